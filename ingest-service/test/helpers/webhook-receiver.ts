/**
 * A local webhook receiver (node:http) for the alert tests: it keeps every request it got (path,
 * query, headers, body) and answers as the test says — a robot's `{ errcode: 0 }`, a 200, or a
 * failure for the first N requests of a path.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  /** the raw query string, as sent (DingTalk's sign stays URL-encoded) */
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: any;
  at: number;
}

export interface WebhookReceiver {
  url: string;
  received: Received[];
  /** requests to `path` */
  to(path: string): Received[];
  /** the next `times` requests to `path` get `status` (503 by default) */
  failNext(path: string, times: number, status?: number): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: Received[] = [];
  const failures = new Map<string, { left: number; status: number }>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const [path = '', rawQuery = ''] = (req.url ?? '').split('?');
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown = null;
      try {
        json = JSON.parse(body);
      } catch {
        // kept as text
      }
      received.push({ path, rawQuery, headers: req.headers, body, json, at: Date.now() });
      const failure = failures.get(path);
      if (failure && failure.left > 0) {
        failure.left--;
        res.writeHead(failure.status).end('try later');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0,"errmsg":"ok"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    to: (path) => received.filter((r) => r.path === path),
    failNext: (path, times, status = 503) => failures.set(path, { left: times, status }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
