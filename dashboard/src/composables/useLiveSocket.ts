/**
 * The ONE Socket.IO connection of the app (namespace `/live`, SPEC §8). Pages subscribe scopes;
 * on every (re)connect each scope is subscribed again and its ack brings a fresh snapshot.
 */
import { io, type Socket } from 'socket.io-client';
import { readonly, ref, shallowRef } from 'vue';
import {
  LIVE_NAMESPACE,
  type AlertMessage,
  type ClientToServerEvents,
  type FeedMessage,
  type Health,
  type MetricsMessage,
  type PlansMessage,
  type ServerToClientEvents,
  type Snapshot,
} from '@dudao/domain';
import { getToken } from '../lib/token.ts';
import { reportAuthProblem } from './useSession.ts';

export const SUBSCRIBE_ACK_TIMEOUT_MS = 10_000;
export const RESUBSCRIBE_RETRY_MS = 3_000;
/** Leaving every scope (e.g. wall → district) does not drop the link at once: the next page reuses it. */
export const IDLE_DISCONNECT_MS = 5_000;
export const RECONNECT_DELAY_MAX_MS = 5_000;

export interface ScopeHandlers {
  /** the ack of a subscribe: a fresh snapshot of the scope */
  onSnapshot?: (s: Snapshot) => void;
  onMetrics?: (m: MetricsMessage) => void;
  onFeed?: (m: FeedMessage) => void;
  /** the scope's live plans with their progress (SPEC §14): after each subscribe, then on change */
  onPlans?: (m: PlansMessage) => void;
  /** an alert of the scope fired or was acknowledged (SPEC §15) */
  onAlert?: (m: AlertMessage) => void;
  /** the server refused the scope (403 for a district key, unknown scope, …) */
  onRefused?: (error: { code: string; message: string }) => void;
  /** the link dropped: what is on screen becomes stale */
  onDisconnect?: () => void;
}

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: LiveSocket | null = null;
const scopes = new Map<string, Set<ScopeHandlers>>();
/** per scope, the connection (by its id) a subscribe was already sent on */
const subscribedOn = new Map<string, string>();
const retryTimers = new Map<string, ReturnType<typeof setTimeout>>();
let idleTimer: ReturnType<typeof setTimeout> | null = null;

const connected = ref(false);
/** last time anything came from the server, pings included (ms since epoch) */
const lastContactMs = ref<number | null>(null);
/** when the current run of failed connection attempts began */
const connectingSinceMs = ref<number>(Date.now());
const health = shallowRef<Health | null>(null);

const touch = () => {
  lastContactMs.value = Date.now();
};

function forEach(scope: string, fn: (h: ScopeHandlers) => void) {
  for (const h of scopes.get(scope) ?? []) fn(h);
}

function sendSubscribe(scope: string) {
  const s = socket;
  if (!s?.connected || !scopes.has(scope)) return;
  const connId = s.id ?? '';
  if (subscribedOn.get(scope) === connId) return;
  subscribedOn.set(scope, connId);
  s.timeout(SUBSCRIBE_ACK_TIMEOUT_MS).emit('subscribe', { scope }, (err, res) => {
    if (socket !== s || s.id !== connId) return; // an answer for an old connection
    if (err || !res) {
      subscribedOn.delete(scope);
      scheduleRetry(scope);
      return;
    }
    touch();
    if ('error' in res) forEach(scope, (h) => h.onRefused?.(res.error));
    else forEach(scope, (h) => h.onSnapshot?.(res.data));
  });
}

function scheduleRetry(scope: string) {
  if (retryTimers.has(scope)) return;
  retryTimers.set(
    scope,
    setTimeout(() => {
      retryTimers.delete(scope);
      sendSubscribe(scope);
    }, RESUBSCRIBE_RETRY_MS),
  );
}

function ensureSocket(): LiveSocket {
  if (socket) return socket;
  const s: LiveSocket = io(LIVE_NAMESPACE, {
    auth: (cb) => cb({ token: getToken() ?? '' }),
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
    reconnectionDelay: 500,
    reconnectionDelayMax: RECONNECT_DELAY_MAX_MS,
  });
  connectingSinceMs.value = Date.now();
  s.on('connect', () => {
    connected.value = true;
    touch();
    for (const scope of scopes.keys()) sendSubscribe(scope);
  });
  s.on('disconnect', (reason) => {
    connected.value = false;
    connectingSinceMs.value = Date.now();
    subscribedOn.clear();
    for (const set of scopes.values()) for (const h of set) h.onDisconnect?.();
    // the server closing on us (e.g. a key revoked mid-run) does not reconnect by itself
    if (reason === 'io server disconnect') s.connect();
  });
  s.on('connect_error', (err) => {
    const msg = `${err.message} ${JSON.stringify((err as { data?: unknown }).data ?? '')}`.toLowerCase();
    if (/unauthori[sz]ed|invalid[_ ]token|401|forbidden/.test(msg) && !s.active)
      reportAuthProblem('unauthorized');
  });
  s.io.on('open', () => s.io.engine.on('ping', touch));
  s.on('metrics', (m) => {
    touch();
    forEach(m.scope, (h) => h.onMetrics?.(m));
  });
  s.on('feed', (m) => {
    touch();
    forEach(m.scope, (h) => h.onFeed?.(m));
  });
  s.on('plans', (m) => {
    touch();
    forEach(m.scope, (h) => h.onPlans?.(m));
  });
  // An alert comes once per socket however many of its rooms (city, district) it is in.
  s.on('alert', (m) => {
    touch();
    for (const scope of scopes.keys())
      if (scope === 'city' || scope === m.alert.district) forEach(scope, (h) => h.onAlert?.(m));
  });
  s.on('health', (h) => {
    touch();
    health.value = h;
  });
  socket = s;
  return s;
}

/**
 * Subscribe a scope for as long as the returned function is not called. A consumer that reads its
 * start elsewhere (`initialSnapshot: false`, e.g. the alert list) joins a scope already live without
 * asking the server again; it still hears every later (re)subscribe's snapshot.
 */
export function subscribeScope(
  scope: string,
  handlers: ScopeHandlers,
  { initialSnapshot = true }: { initialSnapshot?: boolean } = {},
): () => void {
  if (idleTimer !== null) clearTimeout(idleTimer);
  idleTimer = null;
  let set = scopes.get(scope);
  if (!set) {
    set = new Set();
    scopes.set(scope, set);
  }
  set.add(handlers);
  const s = ensureSocket();
  if (initialSnapshot && subscribedOn.has(scope) && s.connected) {
    // already live for another consumer: ask again so this one gets its snapshot too
    subscribedOn.delete(scope);
  }
  sendSubscribe(scope);
  return () => {
    const current = scopes.get(scope);
    current?.delete(handlers);
    if (current && current.size === 0) {
      scopes.delete(scope);
      subscribedOn.delete(scope);
      // Leave the room: no more pushes for a scope nobody on this page shows.
      if (socket?.connected) socket.emit('unsubscribe', { scope });
      const t = retryTimers.get(scope);
      if (t) clearTimeout(t);
      retryTimers.delete(scope);
    }
    if (scopes.size === 0 && idleTimer === null) {
      idleTimer = setTimeout(() => {
        idleTimer = null;
        if (scopes.size === 0) closeLiveSocket();
      }, IDLE_DISCONNECT_MS);
    }
  };
}

/** A patch arrived that we cannot apply: ask for a fresh snapshot on the same connection. */
export function resubscribe(scope: string): void {
  subscribedOn.delete(scope);
  sendSubscribe(scope);
}

export function closeLiveSocket(): void {
  socket?.removeAllListeners();
  socket?.io.removeAllListeners();
  socket?.disconnect();
  socket = null;
  connected.value = false;
  subscribedOn.clear();
}

export function useLiveSocket() {
  return {
    connected: readonly(connected),
    lastContactMs: readonly(lastContactMs),
    connectingSinceMs: readonly(connectingSinceMs),
    health: readonly(health),
  };
}
