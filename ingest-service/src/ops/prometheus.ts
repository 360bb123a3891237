/** Process and pipeline metrics in Prometheus text (`GET /api/v1/metrics/prometheus`), via prom-client. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

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
  readonly sockets = new Gauge({
    name: 'dudao_socket_clients',
    help: 'Connected Socket.IO clients on this instance',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
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
