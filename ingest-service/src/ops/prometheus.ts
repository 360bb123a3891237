/** Process and pipeline metrics in Prometheus text (`GET /api/v1/metrics/prometheus`), via prom-client. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Health } from '@dudao/domain';

export class PipelineMetrics {
  readonly registry = new Registry();
  readonly events = new Counter({
    name: 'dudao_ingest_events_total',
    help: 'Ingested events by outcome (accepted, duplicate, or the rejection code)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly groups = new Histogram({
    name: 'dudao_ingest_group_requests',
    help: 'Requests committed together in one transaction (group commit)',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200],
    registers: [this.registry],
  });
  readonly liveFailures = new Counter({
    name: 'dudao_live_store_failures_total',
    help: 'Committed groups whose deltas the live store could not take',
    registers: [this.registry],
  });
  readonly databaseUp = new Gauge({
    name: 'dudao_database_up',
    help: 'Whether the database answers (1) or not (0), as the health checks last saw it',
    registers: [this.registry],
  });
  readonly liveStoreUp = new Gauge({
    name: 'dudao_live_store_up',
    help: 'Whether the live store is up and complete (1) or down or missing deltas (0): reads then come from the database',
    registers: [this.registry],
  });
  readonly sockets = new Gauge({
    name: 'dudao_socket_clients',
    help: 'Connected Socket.IO clients on this instance',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** The gauges of `health` (SPEC §8's `{ db, live }`). */
  recordHealth(health: Health): void {
    this.databaseUp.set(health.db === 'ok' ? 1 : 0);
    this.liveStoreUp.set(health.live === 'ok' ? 1 : 0);
  }

  recordCommit(stats: {
    requests: number;
    accepted: number;
    duplicates: number;
    rejected: { code: string }[];
  }) {
    this.groups.observe(stats.requests);
    if (stats.accepted) this.events.inc({ outcome: 'accepted' }, stats.accepted);
    if (stats.duplicates) this.events.inc({ outcome: 'duplicate' }, stats.duplicates);
    for (const r of stats.rejected) this.events.inc({ outcome: r.code });
  }
}
