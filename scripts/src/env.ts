/** The environment every entry point shares (SPEC §3), and the database it names. */
import { openDatabase, type Database } from '@dudao/db';
import { configFromEnv, type ServiceConfig } from '@dudao/ingest-service';

export const serviceConfig = (): ServiceConfig => configFromEnv(process.env);

export function openConfiguredDatabase(config: ServiceConfig = serviceConfig()): Promise<Database> {
  return openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
}

/** Runs `main`, printing a failure as one clear line (no stack) and exiting non-zero. */
export function runMain(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
    if (process.env.DEBUG) console.error(err);
    process.exit(1);
  });
}

/** Calls `stop` once on the first SIGINT/SIGTERM; a second signal exits at once. */
export function onShutdownSignal(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = () => {
    if (stopping) process.exit(130);
    stopping = true;
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
