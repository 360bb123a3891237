/**
 * Alerts (SPEC §15): ALERTS_FILE read and checked at start (a wrong field stops the service, named),
 * the evaluator run on the leader only, each new firing pushed to the wall's and the laptop's
 * sockets on every instance (through the Socket.IO adapter) and handed to the webhooks.
 */
import fp from 'fastify-plugin';
import {
  DEFAULT_ALERT_RULES,
  LIVE_NAMESPACE,
  parseAlertRules,
  type AlertItem,
  type AlertRules,
  type DistrictCoverage,
} from '@dudao/domain';
import { insertDelivery, readAlertSetting, writeAlertSetting, type AlertFiringRow } from '@dudao/db';
import { readAlertsFile, type AlertsFile } from '../alerts/config.ts';
import { AlertEvaluator } from '../alerts/evaluator.ts';
import { alertText } from '../alerts/text.ts';
import { WebhookDispatcher } from '../alerts/webhooks.ts';
import { ALERT_TICK_MS } from '../config.ts';
import { localTimeFormatter } from '../ledger/columns.ts';
import { roomOf } from '../push/pusher.ts';
import { STATE_PLUGINS } from './dependencies.ts';

/** The `alert_settings` row the admin API writes. */
const RULES_SETTING = 'rules';

export interface RulesInForce {
  rules: AlertRules;
  /** where they come from: the admin API, ALERTS_FILE, or the built-in defaults */
  source: 'api' | 'file' | 'default';
  updatedAt: string | null;
  updatedBy: string | null;
}

export interface Alerts {
  file: AlertsFile;
  evaluator: AlertEvaluator;
  dispatcher: WebhookDispatcher;
  rules(): Promise<RulesInForce>;
  setRules(rules: AlertRules, by: string): Promise<void>;
  /** a stored firing as the API and the push show it */
  item(row: AlertFiringRow): AlertItem;
  /** pushes a firing (new or acknowledged) to the sockets of its district and of the city */
  announce(item: AlertItem): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    alerts: Alerts;
  }
}

export default fp(
  async (app) => {
    const { database, registry, snapshots, cluster, io } = app;
    const { alertsFile, alertRetry, now } = app.config;
    const timezone = registry.city.timezone;
    const file: AlertsFile = alertsFile
      ? await readAlertsFile(alertsFile, snapshots.isScope)
      : { rules: null, webhooks: [] };
    if (alertsFile)
      app.log.info(
        { webhooks: file.webhooks.map((w) => w.name) },
        `alert rules and webhooks from ${alertsFile}`,
      );

    const rules = async (): Promise<RulesInForce> => {
      const stored = await readAlertSetting(database, RULES_SETTING);
      if (stored)
        return {
          rules: parseAlertRules(stored.value, 'alert_settings'),
          source: 'api',
          updatedAt: stored.updatedAt.toISOString(),
          updatedBy: stored.updatedBy,
        };
      return {
        rules: file.rules ?? DEFAULT_ALERT_RULES,
        source: file.rules ? 'file' : 'default',
        updatedAt: null,
        updatedBy: null,
      };
    };

    const item = (row: AlertFiringRow): AlertItem => ({
      id: String(row.id),
      rule: row.rule as AlertItem['rule'],
      district: row.district,
      districtName: registry.districtName(row.district),
      subject: { kind: row.subjectKind, id: row.subjectId },
      severity: row.severity,
      facts: row.facts,
      firedAt: row.firedAt.toISOString(),
      acknowledgedAt: row.acknowledgedAt?.toISOString() ?? null,
      acknowledgedBy: row.acknowledgedBy,
    });

    const nsp = io.of(LIVE_NAMESPACE);
    // Not `.local`: through the adapter every instance's sockets in either room get it (once each).
    const announce = (alert: AlertItem) =>
      nsp.to([roomOf('city'), roomOf(alert.district)]).emit('alert', { alert });

    const localTime = localTimeFormatter(timezone);
    const dispatcher = new WebhookDispatcher({
      webhooks: file.webhooks,
      now,
      text: (alert) => alertText(alert, localTime),
      record: (row) => insertDelivery(database, row),
      ...(alertRetry ? { retry: alertRetry } : {}),
      onError: (err, webhook) => app.log.warn({ err, webhook }, 'alert delivery gave up'),
    });

    const coverage = async (districts: string[]): Promise<DistrictCoverage[]> => {
      const { districts: all = [] } = await snapshots.read('city');
      return all
        .filter((d) => districts.includes(d.adcode))
        .map((d) => ({ district: d.adcode, ...d.metrics.coverage.schools }));
    };

    const evaluator = new AlertEvaluator({
      database,
      timezone,
      districts: [...registry.districtCodes],
      rules: async () => (await rules()).rules,
      coverage,
      now,
      tickMs: ALERT_TICK_MS,
      onFired: (rows) => {
        for (const row of rows) {
          const alert = item(row);
          app.log.info({ alert: alert.id, rule: alert.rule, district: alert.district }, 'alert fired');
          announce(alert);
          dispatcher.deliver(alert, row.id);
        }
      },
      onError: (err) => app.log.error({ err }, 'alert evaluation failed'),
    });

    const follow = (leader: boolean) => {
      if (leader) evaluator.start();
      else void evaluator.stop();
    };
    cluster.leadership.on('change', follow);

    app.decorate('alerts', {
      file,
      evaluator,
      dispatcher,
      rules,
      setRules: (value: AlertRules, by: string) =>
        writeAlertSetting(database, {
          name: RULES_SETTING,
          value,
          updatedBy: by,
          updatedAt: new Date(now()),
        }),
      item,
      announce,
    });
    app.addHook('preClose', async () => {
      cluster.leadership.off('change', follow);
      await evaluator.stop();
      await dispatcher.close();
    });
  },
  {
    name: 'dudao-alerts',
    fastify: '5.x',
    dependencies: [...STATE_PLUGINS, 'dudao-cluster', 'dudao-socket'],
  },
);
