/**
 * For local development against a running service: a month of history, then live events every
 * ~1.5 s. `DUDAO_URL=http://127.0.0.1:8090 VIEWER=... INGEST=... npx tsx test/support/demo-feeder.ts`
 */
import { inspectionStarted, loadRegistry, monthOfHistory, postEvents, rng } from './events.ts';

const LIVE_EVERY_MS = 1_500;
const base = process.env.DUDAO_URL ?? 'http://127.0.0.1:8090';
const viewer = process.env.VIEWER ?? '';
const ingest = process.env.INGEST ?? '';

const { districts } = await loadRegistry(base, viewer);
if (!process.env.LIVE_ONLY) {
  const history = monthOfHistory(districts, Date.now());
  const r = await postEvents(base, ingest, history);
  console.log(`history: ${r.accepted} accepted, ${r.rejected.length} rejected`, r.rejected.slice(0, 3));
}
const r = rng(Date.now() % 100_000);
setInterval(() => {
  const d = districts[Math.floor(r() * districts.length)]!;
  void postEvents(base, ingest, [inspectionStarted(d, Date.now(), r)]).catch((e) => console.error(String(e)));
}, LIVE_EVERY_MS);
