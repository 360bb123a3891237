/**
 * The simulator's side of the public HTTP API: it reads the registry through the read API (SPEC §7)
 * and posts events to the ingest (SPEC §5), retrying what the contract says to retry.
 */
import type {
  CityPackResponse,
  DudaoEvent,
  InspectorRow,
  InstitutionRow,
  IssueActionBody,
  SchoolRow,
} from '@dudao/domain';
import type { SimRegistry } from './world.ts';

const RETRY_BASE_MS = 250;
const RETRY_MAX_MS = 10_000;
/** Statuses after which the same request may simply be sent again (SPEC §5: a retry is harmless). */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

export class FatalHttpError extends Error {}

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: { index: number; id: string; code: string; message: string }[];
}

/** Waits `ms`, or less if `signal` aborts meanwhile. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

export function backoffMs(attempt: number, retryAfterHeader: string | null): number {
  const retryAfterS = Number(retryAfterHeader);
  if (retryAfterHeader !== null && Number.isFinite(retryAfterS) && retryAfterS >= 0)
    return Math.min(RETRY_MAX_MS, retryAfterS * 1000);
  return Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** attempt);
}

/** What a signed-in person sends with a write (SPEC §12): the session cookie and the CSRF token. */
export function sessionHeaders(signIn: Response, body: { csrfToken: string }): Record<string, string> {
  const cookie = signIn.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { cookie, 'x-csrf-token': body.csrfToken };
}

export interface Credentials {
  login: string;
  password: string;
}

export interface HttpClientOptions {
  baseUrl: string;
  ingestKey: string;
  viewerKey: string;
  /** a district supervisor who acts on issues through SPEC §13's route, signed in as a person */
  supervisor?: Credentials;
  signal: AbortSignal;
  /** called before each retry, for the status line */
  onRetry?: (reason: string) => void;
}

export class HttpClient {
  private session: { headers: Record<string, string>; scope: string } | null = null;

  constructor(private readonly options: HttpClientOptions) {}

  /**
   * Sends until the server answers with something final. Returns undefined only when the signal
   * aborted first. 401/403 end the run (no retry can fix a wrong key), unless `passUnauthorized`
   * hands a 401 back (a person's session that ended: sign in again).
   */
  private async send(
    path: string,
    init: RequestInit & { headers: Record<string, string> },
    key: string | null,
    passUnauthorized = false,
  ): Promise<Response | undefined> {
    const { signal } = this.options;
    for (let attempt = 0; !signal.aborted; attempt++) {
      let response: Response;
      try {
        response = await fetch(new URL(path, this.options.baseUrl), {
          ...init,
          headers: key ? { ...init.headers, authorization: `Bearer ${key}` } : init.headers,
          signal,
        });
      } catch (err) {
        if (signal.aborted) return undefined;
        this.options.onRetry?.(`network: ${err instanceof Error ? err.message : String(err)}`);
        await sleep(backoffMs(attempt, null), signal);
        continue;
      }
      if (RETRYABLE_STATUSES.has(response.status)) {
        await response.body?.cancel();
        this.options.onRetry?.(`HTTP ${response.status}`);
        await sleep(backoffMs(attempt, response.headers.get('retry-after')), signal);
        continue;
      }
      if ((response.status === 401 && !passUnauthorized) || response.status === 403)
        throw new FatalHttpError(`${init.method ?? 'GET'} ${path}: HTTP ${response.status}, check the key`);
      return response;
    }
    return undefined;
  }

  private async getJson<T>(path: string): Promise<T | undefined> {
    const response = await this.send(path, { method: 'GET', headers: {} }, this.options.viewerKey);
    if (!response) return undefined;
    if (!response.ok)
      throw new FatalHttpError(`GET ${path}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  /** The registry as the read API lists it; undefined if aborted while the service was unreachable. */
  async fetchRegistry(): Promise<(SimRegistry & { city: CityPackResponse }) | undefined> {
    const city = await this.getJson<CityPackResponse>('/api/v1/city');
    if (!city) return undefined;
    const registry: SimRegistry & { city: CityPackResponse } = {
      city,
      districts: city.districts.map((d) => d.adcode),
      schools: [],
      institutions: [],
      inspectors: [],
    };
    for (const { adcode } of city.districts) {
      const base = `/api/v1/districts/${adcode}`;
      const schools = await this.getList<SchoolRow>(`${base}/schools`);
      const institutions = await this.getList<InstitutionRow>(`${base}/institutions`);
      const inspectors = await this.getList<InspectorRow>(`${base}/inspectors`);
      if (!schools || !institutions || !inspectors) return undefined;
      registry.schools.push(...schools.map((s) => ({ id: s.id, district: adcode, stage: s.stage })));
      registry.institutions.push(
        ...institutions.map((i) => ({ id: i.id, district: adcode, category: i.category, status: i.status })),
      );
      registry.inspectors.push(...inspectors.map((i) => ({ id: i.id, district: adcode, role: i.role })));
    }
    return registry;
  }

  /** SPEC §7 does not fix the list envelope; accept a bare array or `{items}` like the paged routes. */
  private async getList<T>(path: string): Promise<T[] | undefined> {
    const body = await this.getJson<T[] | { items: T[] }>(path);
    if (body === undefined) return undefined;
    return Array.isArray(body) ? body : body.items;
  }

  /** Posts one event (as the mini-program does) or a JSON array (as district systems do). */
  async postEvents(events: DudaoEvent | DudaoEvent[]): Promise<IngestResult | undefined> {
    const init = {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(events),
    };
    const response = await this.send('/api/v1/events', init, this.options.ingestKey);
    return response && ingestResult(response, Array.isArray(events) ? events : [events]);
  }

  /** Signs the supervisor in (SPEC §12); undefined if aborted while the service was unreachable. */
  private async signIn(): Promise<{ headers: Record<string, string>; scope: string } | undefined> {
    const { supervisor } = this.options;
    if (!supervisor) throw new Error('no supervisor to sign in as');
    const init = {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(supervisor),
    };
    const response = await this.send('/api/v1/session', init, null);
    if (!response) return undefined;
    if (!response.ok)
      throw new FatalHttpError(
        `signing in as ${supervisor.login}: HTTP ${response.status}, check the password`,
      );
    const body = (await response.json()) as { csrfToken: string; scope: string };
    this.session = { headers: sessionHeaders(response, body), scope: body.scope };
    return this.session;
  }

  /** Where the supervisor may act (`city` or a district), signing in first. */
  async supervisorScope(): Promise<string | undefined> {
    return (this.session ?? (await this.signIn()))?.scope;
  }

  /**
   * The supervisor's action on an issue through `POST /api/v1/issues/:issueId/actions` (SPEC §13),
   * with the session cookie and CSRF token as the dashboard sends them; a session that ended is
   * signed in again once.
   */
  async act(issueId: string, body: IssueActionBody): Promise<IngestResult | undefined> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const session = this.session ?? (await this.signIn());
      if (!session) return undefined;
      const init = {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...session.headers },
        body: JSON.stringify(body),
      };
      const path = `/api/v1/issues/${encodeURIComponent(issueId)}/actions`;
      const response = await this.send(path, init, null, true);
      if (!response) return undefined;
      if (response.status !== 401) return ingestResult(response, [body]);
      await response.body?.cancel();
      this.session = null;
    }
    throw new FatalHttpError(`the session of ${this.options.supervisor?.login} ends as soon as it starts`);
  }
}

/**
 * The ingest's answer; a 400/404/413/415 means the simulator built a bad request: every event of
 * it counts as rejected with the status as its code.
 */
async function ingestResult(response: Response, sent: readonly { id: string }[]): Promise<IngestResult> {
  if (response.ok) return (await response.json()) as IngestResult;
  const detail = await response.text();
  const code = `http_${response.status}`;
  return {
    accepted: 0,
    duplicates: 0,
    rejected: sent.map((e, index) => ({ index, id: e.id, code, message: detail.slice(0, 300) })),
  };
}
