/**
 * The one way `db/` runs a tagged `sql` query and reads its rows. Both drivers (node-postgres and
 * PGlite) answer raw SQL with `{ rows }`; drizzle types that per driver only, so the shape is
 * checked here once instead of cast at every call site.
 */
import type { SQL } from 'drizzle-orm';
import type { Db, Tx } from './client.ts';

/** Anything that runs a query: the database handle or an open transaction. */
export type Executor = Pick<Db, 'execute'> | Pick<Tx, 'execute'>;

/** Runs `query` and returns its rows, typed as the caller's columns. */
export async function selectRows<Row extends Record<string, unknown>>(
  executor: Executor,
  query: SQL,
): Promise<Row[]> {
  const result: unknown = await executor.execute(query);
  if (typeof result === 'object' && result !== null && 'rows' in result && Array.isArray(result.rows))
    return result.rows as Row[];
  throw new TypeError('the database driver answered without rows');
}

/** The first row of `query`, or undefined when it has none. */
export async function selectRow<Row extends Record<string, unknown>>(
  executor: Executor,
  query: SQL,
): Promise<Row | undefined> {
  const [row] = await selectRows<Row>(executor, query);
  return row;
}
