/** The live push of SPEC §8 and the feed of §7, typed for the server and the dashboard alike. */
import type { AlertMessage } from './alerts.ts';
import type { EventType, Target } from './events.ts';
import type { Snapshot } from './metrics.ts';
import type { MetricsMessage } from './patch.ts';
import type { PlansMessage } from './plans.ts';

/** One line of the live feed: an accepted event with its names resolved. */
export interface FeedItem {
  id: string;
  type: EventType;
  district: string;
  districtName: string;
  occurredAt: string;
  inspectorName?: string;
  target?: Target & { name: string };
  /** type-specific detail (category, severity, action, result, theme, …) */
  detail: Record<string, string | number | boolean>;
}

export type HealthState = 'ok' | 'down';
export interface Health {
  db: HealthState;
  live: HealthState;
}

export interface FeedMessage {
  scope: string;
  items: FeedItem[];
}

export type Ack<T> = { data: T } | { error: { code: string; message: string } };

export interface ServerToClientEvents {
  metrics: (msg: MetricsMessage) => void;
  feed: (msg: FeedMessage) => void;
  health: (msg: Health) => void;
  /** the plans of a subscribed scope with their progress (SPEC §14): on subscribe, then when it changes */
  plans: (msg: PlansMessage) => void;
  /** an alert fired in the scope, or was acknowledged (SPEC §15); sent to every subscribed room it concerns */
  alert: (msg: AlertMessage) => void;
}

export interface ClientToServerEvents {
  subscribe: (req: { scope: string }, ack: (res: Ack<Snapshot>) => void) => void;
  /** stop receiving a scope (a client that navigates from the city to a district) */
  unsubscribe: (req: { scope: string }) => void;
}

export const LIVE_NAMESPACE = '/live';
