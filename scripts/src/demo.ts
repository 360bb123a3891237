/**
 * `pnpm start`: the demo on the embedded defaults — builds the wall if needed, seeds the city if
 * empty, starts the service, prints the wall URL and the sign-ins of a district supervisor and an
 * admin, and feeds it with the simulator until Ctrl-C.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registryCounts, type Database } from '@dudao/db';
import { addDays, localTime } from '@dudao/domain';
import { DAY_MS } from './simulator/clock.ts';
import { cityPackById, type CityPack } from '@dudao/domain/cities';
import { bootstrapKeys, createUser, resetPassword, startServer, type UserRole } from '@dudao/ingest-service';
import { onShutdownSignal, openConfiguredDatabase, runMain, serviceConfig } from './env.ts';
import { nightlyJob } from './nightly/job.ts';
import { seedCity } from './seed.ts';
import { formatStatus, runSimulator } from './simulate.ts';
import { demoPlans, makePlans } from './simulator/plans.ts';

/** History posted on a fresh database, so the trends and the month's figures have something to show. */
const DEMO_BACKFILL_DAYS = 30;
/**
 * Live events per second at the peak hour: about one a second keeps the wall visibly alive. Real
 * cities are slower (a visit every few minutes), so today's hourly bars run taller than history's.
 */
const DEMO_RATE_PER_S = 1;
const DASHBOARD_DIR = fileURLToPath(new URL('../../dashboard', import.meta.url));

function buildDashboardIfMissing(dist: string): void {
  if (existsSync(join(dist, 'index.html'))) return;
  console.log('building the wall (first start)…');
  const vitePackage = createRequire(join(DASHBOARD_DIR, 'package.json')).resolve('vite/package.json');
  const result = spawnSync(
    process.execPath,
    [join(dirname(vitePackage), 'bin/vite.js'), 'build', '--logLevel', 'warn'],
    {
      cwd: DASHBOARD_DIR,
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) throw new Error('the dashboard build failed');
}

const DEMO_ACTOR = { login: 'demo' };

interface DemoPerson {
  login: string;
  name: string;
  role: UserRole;
  scope: string;
}

/** The people the demo signs in as: the first district's supervisor and the city's admin. */
function demoPeople(pack: CityPack): DemoPerson[] {
  const district = pack.districts[0]!;
  return [
    { login: 'supervisor', name: `${district.name}督学`, role: 'supervisor', scope: district.adcode },
    { login: 'admin', name: `${pack.name}督导办管理员`, role: 'admin', scope: 'city' },
  ];
}

/**
 * Each demo person with a fresh one-time password: made on the first start, reset on every later
 * one (the passwords are printed, never stored in the clear).
 */
async function signInsFor(database: Database, pack: CityPack): Promise<[DemoPerson, string][]> {
  const isScope = (scope: string) => scope === 'city' || pack.districts.some((d) => d.adcode === scope);
  const out: [DemoPerson, string][] = [];
  for (const person of demoPeople(pack)) {
    const password =
      (await resetPassword(database, person.login, { actor: DEMO_ACTOR })) ??
      (await createUser(database, person, { actor: DEMO_ACTOR, isScope })).password;
    out.push([person, password]);
  }
  return out;
}

runMain(async () => {
  const config = serviceConfig();
  const pack = cityPackById(config.city);
  buildDashboardIfMissing(config.dashboardDir);
  const database = await openConfiguredDatabase(config);
  if ((await registryCounts(database, pack.adcode)).schools === 0) {
    const seeded = await seedCity(database, { city: config.city });
    const c = seeded.counts;
    console.log(
      `seeded ${pack.name}: ${c.schools} schools, ${c.institutions} institutions, ${c.inspectors} inspectors`,
    );
  }
  const [row] = await database.query<{ n: number }>('select count(*)::int as n from events');
  const events = Number(row?.n ?? 0);
  const server = await startServer({ ...config, database, nightly: nightlyJob, logger: { level: 'warn' } });
  const keys = await bootstrapKeys(database, join(config.dataDir, 'demo-keys.json'));
  if (!keys) throw new Error('could not make the demo keys');
  const people = await signInsFor(database, pack);
  // The simulator's monthly themes and a campaign, made as plans by the demo's admin (SPEC §14).
  const [admin, adminPassword] = people.find(([p]) => p.role === 'admin')!;
  const [supervisor, supervisorPassword] = people.find(([p]) => p.role === 'supervisor')!;
  const plans = await makePlans(
    server.url,
    { login: admin.login, password: adminPassword },
    demoPlans(
      Date.now() - DEMO_BACKFILL_DAYS * DAY_MS,
      Date.now(),
      pack.districts.map((d) => d.adcode),
    ),
  );

  console.log(`\n  Dudao 督导 — ${pack.name}"双减"督导实时监测`);
  console.log(`  wall:      ${server.url}/?token=${keys.viewer}`);
  console.log(`  API:       ${server.url}/api/v1/metrics?scope=city  (Authorization: Bearer <viewer key>)`);
  console.log(`  keys:      ${join(config.dataDir, 'demo-keys.json')}`);
  console.log(
    `  plans:     ${plans.made} made, ${plans.existing} already there (monthly themes, a campaign)`,
  );
  console.log(`  sign in:   ${server.url}/signin`);
  for (const [person, password] of people)
    console.log(`             ${person.name} (${person.role}): login ${person.login}  password ${password}`);
  console.log('');

  const stop = new AbortController();
  const interactive = process.stdout.isTTY;
  // Once the history is in, roll it up and brief it, so the wall's 30-day trend shows at once.
  let history: Promise<void> | null = null;
  const rollUpHistory = async () => {
    const yesterday = addDays(localTime(Date.now(), pack.timezone).day, -1);
    const fromDay = addDays(yesterday, 1 - DEMO_BACKFILL_DAYS);
    try {
      const r = await server.nightly?.run({ fromDay, toDay: yesterday, onlyMissing: false });
      console.log(
        `\n  nightly:   ${r?.days.length ?? 0} day(s) of history rolled up, briefings in the district page`,
      );
    } catch (err) {
      console.error(`\nnightly failed: ${err instanceof Error ? err.message : err}`);
    }
  };
  const simulator = runSimulator(
    {
      url: server.url,
      key: keys.ingest,
      viewerKey: keys.viewer,
      rate: DEMO_RATE_PER_S,
      backfillDays: events === 0 ? DEMO_BACKFILL_DAYS : 0,
      // live, the district supervisor's 督办, 延期 and remarks go through the issue actions route
      supervisor: { login: supervisor.login, password: supervisorPassword },
      onStatus: (s) => {
        if (interactive) process.stdout.write(`\r  simulator: ${formatStatus(s)}\u001b[K`);
        if (s.phase === 'live' && events === 0) history ??= rollUpHistory();
      },
    },
    stop.signal,
  ).catch((err: unknown) =>
    console.error(`\nsimulator stopped: ${err instanceof Error ? err.message : err}`),
  );

  onShutdownSignal(async () => {
    stop.abort();
    await simulator;
    await history;
    await server.close();
    await database.close();
    console.log('\nstopped.');
  });
});
