/**
 * ALERTS_FILE (SPEC §15): a JSON document with the rules' thresholds and the webhooks firings are
 * delivered to, checked at start so a wrong field stops the service with its path named:
 *
 * { "rules": { "issue_overdue": { "days": 7 }, … },
 *   "webhooks": [{ "name": "督导办钉钉群", "kind": "dingtalk", "url": "https://oapi.dingtalk.com/robot/send?access_token=…",
 *                  "secret": "SEC…", "msgtype": "markdown", "scope": "city", "rules": ["critical_issue"] }] }
 *
 * Webhooks live in the file only: their URLs and secrets never enter the database or an API answer.
 */
import { readFile } from 'node:fs/promises';
import {
  ALERT_RULES,
  AlertConfigError,
  parseAlertRules,
  type AlertRule,
  type AlertRules,
  type ConfigProblem,
} from '@dudao/domain';

export const WEBHOOK_KINDS = ['json', 'dingtalk', 'wecom'] as const;
export type WebhookKind = (typeof WEBHOOK_KINDS)[number];
export const MESSAGE_TYPES = ['markdown', 'text'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export interface WebhookConfig {
  /** unique; what the delivery log and the admin console show (never the URL) */
  name: string;
  kind: WebhookKind;
  url: string;
  /** DingTalk: the robot's 加签 secret; json: the HMAC key of `X-Dudao-Signature`; wecom: none */
  secret: string | null;
  /** DingTalk and WeCom robots: markdown (default) or text */
  msgtype: MessageType;
  /** `city` (every district's firings) or one district's adcode */
  scope: string;
  /** the rules delivered (default: all) */
  rules: AlertRule[];
}

export interface AlertsFile {
  /** null when the file gives none: the defaults apply */
  rules: AlertRules | null;
  webhooks: WebhookConfig[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const WEBHOOK_FIELDS = ['name', 'kind', 'url', 'secret', 'msgtype', 'scope', 'rules'];

function parseWebhook(
  raw: unknown,
  path: string,
  isScope: (scope: string) => boolean,
  problems: ConfigProblem[],
): WebhookConfig | null {
  if (!isObject(raw)) {
    problems.push({ path, message: 'must be an object' });
    return null;
  }
  const before = problems.length;
  const wrong = (field: string, message: string) => problems.push({ path: `${path}/${field}`, message });
  for (const field of Object.keys(raw))
    if (!WEBHOOK_FIELDS.includes(field))
      wrong(field, `is not a webhook field (fields: ${WEBHOOK_FIELDS.join(', ')})`);
  const { name, kind, url, secret, msgtype = 'markdown', scope = 'city', rules = [...ALERT_RULES] } = raw;
  if (typeof name !== 'string' || name.trim() === '' || name.length > 64)
    wrong('name', 'must be 1 to 64 characters');
  if (!(WEBHOOK_KINDS as readonly unknown[]).includes(kind))
    wrong('kind', `must be one of ${WEBHOOK_KINDS.join(', ')}`);
  if (typeof url !== 'string' || !/^https?:\/\/[^\s]+$/.test(url)) wrong('url', 'must be an http(s) URL');
  if (secret !== undefined && (typeof secret !== 'string' || secret === ''))
    wrong('secret', 'must be a non-empty string');
  if (kind === 'wecom' && secret !== undefined)
    wrong('secret', 'a WeCom robot is not signed: its key is in the URL');
  if (!(MESSAGE_TYPES as readonly unknown[]).includes(msgtype))
    wrong('msgtype', `must be one of ${MESSAGE_TYPES.join(', ')}`);
  if (typeof scope !== 'string' || !isScope(scope)) wrong('scope', 'must be city or a district of this city');
  if (
    !Array.isArray(rules) ||
    rules.length === 0 ||
    rules.some((r) => !(ALERT_RULES as readonly unknown[]).includes(r))
  )
    wrong('rules', `must be a non-empty list of ${ALERT_RULES.join(', ')}`);
  if (problems.length > before) return null;
  return {
    name: (name as string).trim(),
    kind: kind as WebhookKind,
    url: url as string,
    secret: (secret as string | undefined) ?? null,
    msgtype: msgtype as MessageType,
    scope: scope as string,
    rules: rules as AlertRule[],
  };
}

/** Checks a whole document; throws AlertConfigError naming every wrong field. */
export function parseAlertsFile(
  doc: unknown,
  source: string,
  isScope: (scope: string) => boolean,
): AlertsFile {
  if (!isObject(doc)) throw new AlertConfigError(source, [{ path: '', message: 'must be a JSON object' }]);
  const problems: ConfigProblem[] = [];
  for (const field of Object.keys(doc))
    if (field !== 'rules' && field !== 'webhooks')
      problems.push({ path: `/${field}`, message: 'is not a field (fields: rules, webhooks)' });
  let rules: AlertRules | null = null;
  if (doc.rules !== undefined) {
    try {
      rules = parseAlertRules(doc.rules, source, '/rules');
    } catch (err) {
      if (!(err instanceof AlertConfigError)) throw err;
      problems.push(...err.problems);
    }
  }
  const webhooks: WebhookConfig[] = [];
  if (doc.webhooks !== undefined && !Array.isArray(doc.webhooks))
    problems.push({ path: '/webhooks', message: 'must be a list' });
  else
    (doc.webhooks ?? []).forEach((raw: unknown, i: number) => {
      const hook = parseWebhook(raw, `/webhooks/${i}`, isScope, problems);
      if (!hook) return;
      if (webhooks.some((w) => w.name === hook.name))
        problems.push({ path: `/webhooks/${i}/name`, message: `repeats ${hook.name}` });
      webhooks.push(hook);
    });
  if (problems.length > 0) throw new AlertConfigError(source, problems);
  return { rules, webhooks };
}

/** Reads and checks ALERTS_FILE; an unreadable file or bad JSON is an error naming the file. */
export async function readAlertsFile(path: string, isScope: (scope: string) => boolean): Promise<AlertsFile> {
  const source = `ALERTS_FILE ${path}`;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new AlertConfigError(source, [{ path: '', message: `cannot be read (${(err as Error).message})` }]);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new AlertConfigError(source, [{ path: '', message: `is not JSON (${(err as Error).message})` }]);
  }
  return parseAlertsFile(doc, source, isScope);
}
