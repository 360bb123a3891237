/**
 * `pnpm users create --login L --name 名字 --role viewer|supervisor|admin --scope city|<adcode>
 * [--password-stdin]` (a one-time password printed alone on the last line unless one is given),
 * `pnpm users list`, `pnpm users disable L`, `pnpm users reset-password L [--password-stdin]` (SPEC §12).
 */
import { text } from 'node:stream/consumers';
import { Command, Option } from 'commander';
import { cityPackById } from '@dudao/domain/cities';
import {
  createUser,
  disableUser,
  listUsers,
  resetPassword,
  USER_ROLES,
  type UserRole,
} from '@dudao/ingest-service';
import { openConfiguredDatabase, runMain, serviceConfig } from './env.ts';
import type { Database } from '@dudao/db';

const CLI_ACTOR = { login: 'cli' };

function isScope(scope: string): boolean {
  return scope === 'city' || cityPackById(serviceConfig().city).districts.some((d) => d.adcode === scope);
}

/** The first line of standard input, for `--password-stdin` (so no password sits in shell history). */
async function passwordFromStdin(): Promise<string> {
  const line = (await text(process.stdin)).split(/\r?\n/)[0] ?? '';
  if (!line) throw new Error('--password-stdin: standard input is empty');
  return line;
}

async function withDatabase(fn: (database: Database) => Promise<void>): Promise<void> {
  const database = await openConfiguredDatabase();
  try {
    await fn(database);
  } finally {
    await database.close();
  }
}

const program = new Command('users').description('manage the people who sign in (SPEC §12)');

program
  .command('create')
  .description('add a person; prints a one-time password unless --password-stdin gives one')
  .requiredOption('--login <login>', 'what they type to sign in (a-z 0-9 . _ -)')
  .requiredOption('--name <name>', 'their name, as shown on screen and in the timeline')
  .addOption(new Option('--role <role>', 'what they may do').choices(USER_ROLES).makeOptionMandatory())
  .requiredOption('--scope <scope>', '"city" or a district adcode')
  .option('--password-stdin', 'read the password from standard input')
  .action((opts: { login: string; name: string; role: UserRole; scope: string; passwordStdin?: boolean }) =>
    runMain(async () => {
      const password = opts.passwordStdin ? await passwordFromStdin() : undefined;
      await withDatabase(async (database) => {
        const made = await createUser(
          database,
          { login: opts.login, name: opts.name, role: opts.role, scope: opts.scope, password },
          { actor: CLI_ACTOR, isScope },
        );
        const u = made.user;
        console.log(`created ${u.login} (${u.name}, ${u.role}, scope ${u.scope})`);
        if (made.oneTime) {
          console.log('one-time password (shown once; change it by `pnpm users reset-password`):');
          console.log(made.password);
        }
      });
    }),
  );

program
  .command('list')
  .description('list people (never their passwords)')
  .action(() =>
    runMain(() =>
      withDatabase(async (database) => {
        const rows = await listUsers(database);
        console.table(
          rows.map((r) => ({
            login: r.login,
            name: r.name,
            role: r.role,
            scope: r.scope,
            created: r.createdAt.toISOString(),
            disabled: r.disabledAt?.toISOString() ?? '',
          })),
        );
      }),
    ),
  );

program
  .command('disable <login>')
  .description('stop a person signing in; their sessions end at once')
  .action((login: string) =>
    runMain(() =>
      withDatabase(async (database) => {
        if (!(await disableUser(database, login, { actor: CLI_ACTOR }))) throw new Error(`no user ${login}`);
        console.log(`disabled ${login}`);
      }),
    ),
  );

program
  .command('reset-password <login>')
  .description('a new one-time password (or the one from --password-stdin); their sessions end')
  .option('--password-stdin', 'read the password from standard input')
  .action((login: string, opts: { passwordStdin?: boolean }) =>
    runMain(async () => {
      const chosen = opts.passwordStdin ? await passwordFromStdin() : undefined;
      await withDatabase(async (database) => {
        const password = await resetPassword(database, login, { actor: CLI_ACTOR, password: chosen });
        if (password === null) throw new Error(`no user ${login}`);
        console.log(`password of ${login} reset; their sessions ended`);
        if (chosen === undefined) {
          console.log('one-time password (shown once):');
          console.log(password);
        }
      });
    }),
  );

program.parse();
