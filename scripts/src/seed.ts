/**
 * `pnpm seed [--city zhuzhou|guiyang] [--seed N] [--schools f.csv] [--institutions f.csv] [--inspectors f.csv]`
 * Loads a city pack and its registry: the deterministic demo registry, or the given CSV files.
 * Safe to re-run: every write is an upsert by id.
 */
import { pathToFileURL } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { CITY_IDS, cityPackById, type CityId, type CityPack } from '@dudao/domain/cities';
import {
  registryCounts,
  upsertCityPack,
  upsertInspectors,
  upsertInstitutions,
  upsertSchools,
  type Database,
  type RegistryCounts,
} from '@dudao/db';
import { DEFAULT_SEED, generateRegistry } from './registry/generator.ts';
import { CSV_KINDS, formatProblem, importRegistryCsv, type CsvFiles } from './registry/csv-import.ts';
import { openConfiguredDatabase, serviceConfig } from './env.ts';
import { terminalBars } from './progress-bars.ts';

/** Rows handed to one upsert call, so progress moves in visible steps. */
const PROGRESS_CHUNK_ROWS = 200;

export type SeedStep = 'city' | 'schools' | 'institutions' | 'inspectors';
export type SeedProgress = (step: SeedStep, done: number, total: number) => void;

export interface SeedOptions {
  city: CityId | string;
  seed?: number;
  onProgress?: SeedProgress;
}

export interface SeedResult {
  pack: CityPack;
  /** rows of the demo registry written now */
  written: Omit<RegistryCounts, 'districts'>;
  /** what the database holds for the city afterwards */
  counts: RegistryCounts;
}

/** Writes the city pack and the demo registry for `seed` in one transaction. */
export async function seedCity(database: Database, options: SeedOptions): Promise<SeedResult> {
  const pack = cityPackById(options.city);
  const registry = generateRegistry(pack, options.seed ?? DEFAULT_SEED);
  const progress = options.onProgress ?? (() => {});
  await database.db.transaction(async (tx) => {
    await upsertCityPack(tx, pack);
    progress('city', 1, 1);
    const inChunks = async <T>(step: SeedStep, rows: T[], write: (chunk: T[]) => Promise<number>) => {
      for (let start = 0; start < rows.length; start += PROGRESS_CHUNK_ROWS) {
        await write(rows.slice(start, start + PROGRESS_CHUNK_ROWS));
        progress(step, Math.min(rows.length, start + PROGRESS_CHUNK_ROWS), rows.length);
      }
    };
    await inChunks('schools', registry.schools, (rows) => upsertSchools(tx, rows));
    // A re-seed keeps the statuses that suspension and closure events have moved since.
    await inChunks('institutions', registry.institutions, (rows) =>
      upsertInstitutions(tx, rows, { keepStatus: true }),
    );
    await inChunks('inspectors', registry.inspectors, (rows) => upsertInspectors(tx, rows));
  });
  return {
    pack,
    written: {
      schools: registry.schools.length,
      institutions: registry.institutions.length,
      inspectors: registry.inspectors.length,
    },
    counts: await registryCounts(database, pack.adcode),
  };
}

function parseSeed(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError('the seed must be an integer');
  return n;
}

async function main(argv: string[]): Promise<number> {
  const config = serviceConfig();
  const program = new Command('seed')
    .description('load a city pack and its registry (demo generator, or CSV files)')
    .option('--city <id>', `city pack: ${CITY_IDS.join('|')} (env CITY)`, config.city)
    .option('--seed <n>', 'seed of the demo generator', parseSeed, DEFAULT_SEED)
    .option('--schools <file>', 'schools CSV (id,district,name,stage,ownership,students)')
    .option('--institutions <file>', 'institutions CSV (id,district,name,category,status)')
    .option('--inspectors <file>', 'inspectors CSV (id,district,name,role)')
    .parse(argv);
  const opts = program.opts<{ city: string; seed: number } & CsvFiles>();
  const pack = cityPackById(opts.city);
  const files: CsvFiles = Object.fromEntries(CSV_KINDS.flatMap((k) => (opts[k] ? [[k, opts[k]]] : [])));
  const database = await openConfiguredDatabase(config);
  try {
    if (Object.keys(files).length > 0) {
      // Real registry data is never mixed with generated rows.
      const result = await importRegistryCsv(database, { pack, files });
      if (!result.ok) {
        for (const p of result.problems) console.error(formatProblem(p));
        console.error(`${result.problems.length} problem(s) found; nothing was imported`);
        return 1;
      }
      console.log(`${pack.name}: imported ${CSV_KINDS.map((k) => `${result.counts[k]} ${k}`).join(', ')}`);
    } else {
      const bars = terminalBars(' {step} [{bar}] {value}/{total}', (step: SeedStep) => ({
        step: step.padEnd(12),
      }));
      const result = await seedCity(database, {
        city: pack.id,
        seed: opts.seed,
        onProgress: bars.onProgress,
      });
      bars.stop();
      const w = result.written;
      console.log(
        `${pack.name} (seed ${opts.seed}): ${w.schools} schools, ${w.institutions} institutions, ${w.inspectors} inspectors`,
      );
    }
    const c = await registryCounts(database, pack.adcode);
    console.log(
      `${database.kind} now holds ${c.districts} districts, ${c.schools} schools, ${c.institutions} institutions, ${c.inspectors} inspectors for ${pack.name}`,
    );
    return 0;
  } finally {
    await database.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error('seed failed:', err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
