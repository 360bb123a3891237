import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkEnvelope, decide, type DudaoEvent } from '@dudao/domain';
import { CITY_PACKS } from '@dudao/domain/cities';
import { generateRegistry } from '../src/registry/generator.ts';
import { runSimulator } from '../src/simulate.ts';
import { FatalHttpError } from '../src/simulator/http.ts';
import { MemoryWorld } from './helpers/world.ts';

const DISTRICT = '430211';
const pack = CITY_PACKS.zhuzhou;
const demo = generateRegistry(pack, 4);
const inDistrict = <T extends { district: string }>(rows: T[]) => rows.filter((r) => r.district === DISTRICT);

/** A stand-in for the service: the SPEC §7 reads and a §5 ingest that applies the domain rules. */
class FakeService {
  readonly world = new MemoryWorld({ districts: [DISTRICT], ...demo });
  readonly bodies: unknown[] = [];
  readonly rejected: string[] = [];
  readonly authSeen = new Set<string>();
  failNextPosts = 1;
  server: Server = createServer((req, res) => void this.handle(req, res));

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const auth = req.headers.authorization ?? '';
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    };
    this.authSeen.add(`${req.method} ${auth}`);
    if (req.method === 'GET') {
      if (auth !== 'Bearer viewer-key') return json(401, { error: 'unauthorized' });
      const base = `/api/v1/districts/${DISTRICT}`;
      if (req.url === '/api/v1/city') {
        const district = pack.districts.find((d) => d.adcode === DISTRICT);
        return json(200, {
          adcode: pack.adcode,
          name: pack.name,
          timezone: pack.timezone,
          districts: [district],
        });
      }
      if (req.url === `${base}/schools`) return json(200, inDistrict(demo.schools));
      // The list envelope is not fixed by SPEC §7: serve one route paged-style to cover both.
      if (req.url === `${base}/institutions`) return json(200, { items: inDistrict(demo.institutions) });
      if (req.url === `${base}/inspectors`) return json(200, inDistrict(demo.inspectors));
      return json(404, { error: 'not_found' });
    }
    if (auth !== 'Bearer ingest-key') return json(401, { error: 'unauthorized' });
    let text = '';
    for await (const chunk of req) text += String(chunk);
    if (this.failNextPosts > 0) {
      this.failNextPosts -= 1;
      return json(503, { error: 'unavailable' }, { 'retry-after': '0' });
    }
    const body = JSON.parse(text) as DudaoEvent | DudaoEvent[];
    this.bodies.push(body);
    const events = Array.isArray(body) ? body : [body];
    const rejected = [];
    for (const [index, event] of events.entries()) {
      const outcome = checkEnvelope(event, this.world, null, Date.now()) ?? decide(event, this.world);
      if (outcome.ok) this.world.apply(outcome.change);
      else rejected.push({ index, id: event.id, code: outcome.code, message: outcome.message });
    }
    this.rejected.push(...rejected.map((r) => `${r.code}: ${r.message}`));
    return json(200, { accepted: events.length - rejected.length, duplicates: 0, rejected });
  }
}

describe('pnpm simulate against the public API (SPEC §5, §7)', () => {
  const service = new FakeService();
  let url: string;
  beforeAll(async () => {
    await new Promise<void>((resolve) => service.server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(service.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => service.server.close(resolve));
  });

  it('reads the registry with the viewer key, backfills in batches, goes live, retries a 503', async () => {
    const controller = new AbortController();
    const run = runSimulator(
      { url, key: 'ingest-key', viewerKey: 'viewer-key', rate: 40, backfillDays: 3, seed: 5 },
      controller.signal,
    );
    const live = async () => {
      for (let i = 0; i < 100 && !service.bodies.some((b) => !Array.isArray(b)); i++)
        await new Promise((r) => setTimeout(r, 100));
    };
    await live();
    controller.abort();
    const final = await run;
    expect(service.rejected).toEqual([]);
    expect(final.phase).toBe('stopped');
    expect(final.retries).toBeGreaterThanOrEqual(1);
    expect(final.rejected).toBe(0);
    const batches = service.bodies.filter(Array.isArray);
    const singles = service.bodies.filter((b) => !Array.isArray(b));
    expect(batches.length).toBeGreaterThan(0);
    expect(batches.every((b) => b.length <= 500)).toBe(true);
    expect(singles.length).toBeGreaterThan(0);
    const sent = batches.flat().length + singles.length;
    // The stop may land while the last post is on its way: the service stored it, the answer was
    // never read, so the simulator does not count it (a restart would send it again, a duplicate).
    const last = service.bodies.at(-1);
    const inFlight = Array.isArray(last) ? last.length : 1;
    expect([sent, sent - inFlight]).toContain(final.sent);
    expect(final.accepted).toBe(final.sent);
    expect([...service.authSeen].sort()).toEqual(['GET Bearer viewer-key', 'POST Bearer ingest-key']);
  });

  it('refuses a backfill that reaches past MAX_EVENT_AGE_DAYS before sending anything', async () => {
    const posts = service.bodies.length;
    const run = (backfillDays: number, maxEventAgeDays?: number) =>
      runSimulator(
        {
          url,
          key: 'ingest-key',
          viewerKey: 'viewer-key',
          backfillDays,
          seed: 2,
          ...(maxEventAgeDays ? { maxEventAgeDays } : {}),
        },
        new AbortController().signal,
      );
    await expect(run(730)).rejects.toThrow(
      /--backfill-days 730 reaches past MAX_EVENT_AGE_DAYS \(730\).*at most 729/,
    );
    await expect(run(30, 30)).rejects.toThrow(/too_old/);
    expect(service.bodies.length).toBe(posts);
  });

  it('stops with a clear error when the key is refused', async () => {
    const run = runSimulator({ url, key: 'wrong', seed: 1 }, new AbortController().signal);
    await expect(run).rejects.toBeInstanceOf(FatalHttpError);
    await expect(run).rejects.toThrow(/HTTP 401/);
  });
});
