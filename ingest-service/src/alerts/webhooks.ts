/**
 * Webhook delivery of firings (SPEC §15): the generic JSON body (HMAC-signed when the hook has a
 * secret), the DingTalk robot (text/markdown; 加签: timestamp + HMAC-SHA256 of
 * `timestamp\nsecret`, base64, URL-encoded, as DingTalk documents) and the WeCom robot
 * (text/markdown). Each attempt is logged; failures are retried with exponential backoff (p-retry).
 * No URL or secret is ever logged or stored: the delivery log names the webhook.
 */
import { createHmac } from 'node:crypto';
import pRetry, { AbortError } from 'p-retry';
import type { AlertItem } from '@dudao/domain';
import type { NewDelivery } from '@dudao/db';
import type { WebhookConfig } from './config.ts';
import type { AlertText } from './text.ts';

export interface RetryPolicy {
  /** retries after the first attempt */
  retries: number;
  minTimeoutMs: number;
  maxTimeoutMs: number;
}

/** 1 s, 2 s, 4 s, … up to 5 minutes: six tries over about ten minutes ride out a robot's hiccup. */
export const DEFAULT_RETRY: RetryPolicy = { retries: 5, minTimeoutMs: 1_000, maxTimeoutMs: 300_000 };
/** An attempt without an answer after this long has failed. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** The longest error text kept per attempt. */
const MAX_ERROR_CHARS = 300;

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** DingTalk's 加签: base64(HMAC-SHA256(key = secret, `${timestamp}\n${secret}`)), URL-encoded. */
export function dingtalkSign(secret: string, timestamp: number): string {
  const digest = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
  return encodeURIComponent(digest);
}

/** The generic JSON hook's signature header value: `sha256=` hex HMAC of `${timestamp}.${body}`. */
export function jsonSignature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

/** The HTTP request that delivers `alert` to `hook` at `now` (ms, the signature's timestamp). */
export function webhookRequest(
  hook: WebhookConfig,
  alert: AlertItem,
  text: AlertText,
  now: number,
): WebhookRequest {
  const plain = `${text.title}\n${alert.districtName}：${text.line}`;
  switch (hook.kind) {
    case 'json': {
      const body = JSON.stringify({ alert, title: text.title, text: `${alert.districtName}：${text.line}` });
      const signed: Record<string, string> = hook.secret
        ? { 'x-dudao-timestamp': String(now), 'x-dudao-signature': jsonSignature(hook.secret, now, body) }
        : {};
      return { url: hook.url, headers: { ...JSON_TYPE, ...signed }, body };
    }
    case 'dingtalk': {
      const url = hook.secret
        ? `${hook.url}${hook.url.includes('?') ? '&' : '?'}timestamp=${now}&sign=${dingtalkSign(hook.secret, now)}`
        : hook.url;
      const message =
        hook.msgtype === 'text'
          ? { msgtype: 'text', text: { content: plain } }
          : {
              msgtype: 'markdown',
              markdown: {
                title: text.title,
                text: `#### ${text.title}\n\n**${alert.districtName}** ${text.line}`,
              },
            };
      return { url, headers: JSON_TYPE, body: JSON.stringify(message) };
    }
    case 'wecom': {
      const message =
        hook.msgtype === 'text'
          ? { msgtype: 'text', text: { content: plain } }
          : {
              msgtype: 'markdown',
              markdown: {
                content: `**${text.title}**\n> <font color="warning">${alert.districtName}</font> ${text.line}`,
              },
            };
      return { url: hook.url, headers: JSON_TYPE, body: JSON.stringify(message) };
    }
  }
}

/** Whether `hook` takes `alert`: its scope holds the district and it lists the rule. */
export const hookTakes = (hook: WebhookConfig, alert: AlertItem): boolean =>
  (hook.scope === 'city' || hook.scope === alert.district) && hook.rules.includes(alert.rule);

class DeliveryFailure extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

/** One attempt: delivered, or a DeliveryFailure (an AbortError when trying again cannot help). */
async function attempt(request: WebhookRequest, kind: WebhookConfig['kind']): Promise<number> {
  let res: Response;
  try {
    res = await fetch(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
  } catch (err) {
    // The cause's code (ECONNREFUSED, …) says what happened; fetch's own messages carry no URL.
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new DeliveryFailure(cause?.code ?? cause?.message ?? (err as Error).message, null);
  }
  const text = await res.text();
  if (!res.ok) {
    const failure = new DeliveryFailure(`HTTP ${res.status} ${text}`.trim(), res.status);
    // Another client error will come back the same; a timeout or throttling may pass.
    if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429)
      throw new AbortError(failure);
    throw failure;
  }
  if (kind !== 'json') {
    // The robots answer 200 with { errcode, errmsg }: errcode 0 is delivered.
    let answer: { errcode?: unknown; errmsg?: unknown } = {};
    try {
      answer = JSON.parse(text) as typeof answer;
    } catch {
      throw new DeliveryFailure(`not a robot answer: ${text}`, res.status);
    }
    if (answer.errcode !== 0)
      throw new DeliveryFailure(`errcode ${String(answer.errcode)}: ${String(answer.errmsg)}`, res.status);
  }
  return res.status;
}

export interface DispatcherDeps {
  webhooks: readonly WebhookConfig[];
  now: () => number;
  text: (alert: AlertItem) => AlertText;
  /** writes one attempt to the delivery log */
  record: (row: NewDelivery) => Promise<void>;
  retry?: RetryPolicy;
  onError?: (err: unknown, webhook: string) => void;
}

/** Delivers firings to the webhooks that take them, in the background, until closed. */
export class WebhookDispatcher {
  private readonly stopping = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly deps: DispatcherDeps) {}

  get webhooks(): readonly WebhookConfig[] {
    return this.deps.webhooks;
  }

  /** Starts delivering `alert`; returns at once (`settled` waits). */
  deliver(alert: AlertItem, firingId: number): void {
    for (const hook of this.deps.webhooks) {
      if (!hookTakes(hook, alert)) continue;
      const p: Promise<void> = this.deliverTo(hook, alert, firingId)
        .catch((err: unknown) => this.deps.onError?.(err, hook.name))
        .finally(() => this.inFlight.delete(p));
      this.inFlight.add(p);
    }
  }

  private async deliverTo(hook: WebhookConfig, alert: AlertItem, firingId: number): Promise<void> {
    const { now, record, retry = DEFAULT_RETRY } = this.deps;
    const text = this.deps.text(alert);
    await pRetry(
      async (attemptNumber) => {
        const at = now();
        const started = performance.now();
        const log = (outcome: NewDelivery['outcome'], status: number | null, error: string | null) =>
          record({
            firingId,
            webhook: hook.name,
            kind: hook.kind,
            attempt: attemptNumber,
            at: new Date(at),
            outcome,
            status,
            error: error?.slice(0, MAX_ERROR_CHARS) ?? null,
            durationMs: Math.round(performance.now() - started),
          });
        try {
          // Signed afresh each attempt: DingTalk refuses a timestamp more than an hour old.
          const status = await attempt(webhookRequest(hook, alert, text, at), hook.kind);
          await log('delivered', status, null);
        } catch (err) {
          const failure = err instanceof AbortError ? err.originalError : err;
          const status = failure instanceof DeliveryFailure ? failure.status : null;
          await log('failed', status, (failure as Error).message);
          throw err;
        }
      },
      {
        retries: retry.retries,
        factor: 2,
        minTimeout: retry.minTimeoutMs,
        maxTimeout: retry.maxTimeoutMs,
        randomize: true,
        signal: this.stopping.signal,
      },
    );
  }

  /** Resolves when every delivery started so far has ended (delivered or given up). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  /** Stops retrying and waits for attempts on their way. */
  async close(): Promise<void> {
    this.stopping.abort();
    await this.settled();
  }
}
