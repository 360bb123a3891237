/**
 * Bulk writes for the ingest hot path: all rows of a table travel as ONE jsonb parameter and
 * PostgreSQL unpacks them with `jsonb_to_recordset`. Against drizzle's multi-row VALUES (one bound
 * parameter per cell) this saves building, sending and parsing thousands of parameters per group:
 * the profile of batched ingest showed drizzle's query building (`is`, `buildQueryFromSourceParams`,
 * `mergeQueries`) and the protocol's parameter writer as the largest CPU cost of the service.
 */
import { getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Tx } from '../client.ts';

interface Column {
  prop: string;
  name: string;
  type: string;
}

/** The statement around its one parameter: `[text before it, text after it]`. */
type Statement = [before: string, after: string];
const statements = new Map<string, Statement>();

/** `insert … select … from jsonb_to_recordset(<rows>)`, built once per table, columns and conflict keys. */
function statement(table: PgTable, columns: Column[], conflictKeys: string[] | undefined): Statement {
  const key = `${getTableName(table)}|${columns.map((c) => c.prop).join(',')}|${conflictKeys?.join(',') ?? ''}`;
  let cached = statements.get(key);
  if (!cached) {
    const names = columns.map((c) => `"${c.name}"`).join(', ');
    const shape = columns.map((c) => `"${c.prop}" ${c.type}`).join(', ');
    const props = columns.map((c) => `r."${c.prop}"`).join(', ');
    let after = `::json) as r(${shape})`;
    if (conflictKeys) {
      const keyNames = columns.filter((c) => conflictKeys.includes(c.prop)).map((c) => `"${c.name}"`);
      const updates = columns
        .filter((c) => !conflictKeys.includes(c.prop))
        .map((c) => `"${c.name}" = excluded."${c.name}"`);
      after += ` on conflict (${keyNames.join(', ')}) do update set ${updates.join(', ')}`;
    }
    cached = [
      `insert into "${getTableName(table)}" (${names}) select ${props} from json_to_recordset(`,
      after,
    ];
    statements.set(key, cached);
  }
  return cached;
}

export interface Recordset {
  table: PgTable;
  /** drizzle property names as keys; Dates become ISO strings through JSON; one shape per set */
  rows: readonly object[];
  /** conflict keys (props): a row whose keys exist overwrites every other column */
  upsertOn?: string[];
}

function insertOf(set: Recordset): SQL {
  const first = set.rows[0] as Record<string, unknown>;
  const columns: Column[] = Object.entries(getTableColumns(set.table) as Record<string, PgColumn>)
    .filter(([prop]) => prop in first)
    .map(([prop, column]) => ({ prop, name: column.name, type: column.getSQLType() }));
  const [before, after] = statement(set.table, columns, set.upsertOn);
  return sql`${sql.raw(before)}${JSON.stringify(set.rows)}${sql.raw(after)}`;
}

/**
 * Writes every non-empty set in ONE statement (each insert a data-modifying CTE, which PostgreSQL
 * runs whether or not it is referenced): one round trip per group for all its rows.
 */
export async function insertRecordsets(tx: Tx, sets: readonly Recordset[]): Promise<void> {
  const inserts = sets.filter((set) => set.rows.length > 0).map(insertOf);
  if (inserts.length === 0) return;
  if (inserts.length === 1) {
    await tx.execute(inserts[0]!);
    return;
  }
  const ctes = inserts.map((insert, i) => sql`${sql.identifier(`w${i}`)} as (${insert})`);
  await tx.execute(sql`with ${sql.join(ctes, sql`, `)} select 1`);
}
