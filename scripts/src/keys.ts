/**
 * `pnpm keys create --role ingest|viewer|admin --scope city|<adcode> [--label text] [--expires 30d|ISO]`
 * (the key alone on the last line), `pnpm keys list`, `pnpm keys revoke <id>`. While the service
 * runs on the embedded default it owns DATA_DIR: use the admin console (or its API) instead.
 * A revocation made here reaches running instances within KEY_CACHE_MS (they check keys again).
 */
import { Command, Option } from 'commander';
import { cityPackById } from '@dudao/domain/cities';
import { createKey, EXPIRY_FORMAT, KEY_ROLES, listKeys, parseExpiry, revokeKey } from '@dudao/ingest-service';
import { openConfiguredDatabase, runMain, serviceConfig } from './env.ts';

function checkScope(scope: string): string {
  const pack = cityPackById(serviceConfig().city);
  if (scope === 'city' || pack.districts.some((d) => d.adcode === scope)) return scope;
  throw new Error(
    `scope must be "city" or a district of ${pack.name}: ${pack.districts.map((d) => d.adcode).join(', ')}`,
  );
}

const program = new Command('keys').description('manage API keys (SPEC §9)');

program
  .command('create')
  .description('make a key; it is printed once, only its hash is stored')
  .addOption(new Option('--role <role>', 'what the key may do').choices(KEY_ROLES).makeOptionMandatory())
  .requiredOption('--scope <scope>', '"city" or a district adcode')
  .option('--label <text>', 'a note for `keys list`')
  .option('--expires <when>', `when the key stops working: ${EXPIRY_FORMAT}`)
  .action((opts: { role: (typeof KEY_ROLES)[number]; scope: string; label?: string; expires?: string }) =>
    runMain(async () => {
      const scope = checkScope(opts.scope);
      const expiresAt = opts.expires ? parseExpiry(opts.expires, Date.now()) : null;
      const database = await openConfiguredDatabase();
      try {
        const key = await createKey(database, { role: opts.role, scope, label: opts.label, expiresAt });
        const until = expiresAt ? `, expires ${expiresAt.toISOString()}` : '';
        console.log(`created key ${key.keyId} (${key.role}, scope ${key.scope}${until}); it is shown once:`);
        console.log(key.token);
      } finally {
        await database.close();
      }
    }),
  );

program
  .command('list')
  .description('list keys (never the keys themselves)')
  .action(() =>
    runMain(async () => {
      const database = await openConfiguredDatabase();
      try {
        const rows = await listKeys(database);
        console.table(
          rows.map((r) => ({
            id: r.id,
            role: r.role,
            scope: r.scope,
            label: r.label ?? '',
            created: r.createdAt.toISOString(),
            expires: r.expiresAt?.toISOString() ?? '',
            revoked: r.revokedAt?.toISOString() ?? '',
            'last used': r.lastUsedAt ? `${r.lastUsedAt.toISOString()} from ${r.lastUsedFrom}` : '',
          })),
        );
      } finally {
        await database.close();
      }
    }),
  );

program
  .command('revoke <id>')
  .description('revoke a key by its id (see `keys list`)')
  .action((id: string) =>
    runMain(async () => {
      const database = await openConfiguredDatabase();
      try {
        if (!(await revokeKey(database, id))) throw new Error(`no key with id ${id}`);
        console.log(`revoked key ${id}`);
      } finally {
        await database.close();
      }
    }),
  );

program.parse();
