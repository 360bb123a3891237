/**
 * Bulk writes for the ingest hot path: all rows of a table travel as ONE json parameter and
 * PostgreSQL unpacks them with `json_to_recordset`. Against drizzle's multi-row VALUES (one bound
 * parameter per cell) this saves building, sending and parsing thousands of parameters per group:
 * the profile of batched ingest showed drizzle's query building (`is`, `buildQueryFromSourceParams`,
 * `mergeQueries`) and the protocol's parameter writer as the largest CPU cost of the service.
 */
import { getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db, Tx } from '../client.ts';

interface Column {
  prop: string;
  name: string;
  type: string;
}

/** The statement around its one parameter: `[text before it, text after it]`. */
type Statement = [before: string, after: string];
const statements = new Map<string, Statement>();

/**
 * `insert … select … from json_to_recordset(<rows>)` (or `update … from` it), built once per table,
 * columns, and conflict or update keys.
 */
function statement(table: PgTable, columns: Column[], set: Recordset): Statement {
  const { upsertOn, updateOn } = set;
  const key = `${getTableName(table)}|${columns.map((c) => c.prop).join(',')}|${upsertOn?.join(',') ?? ''}|${updateOn?.join(',') ?? ''}`;
  let cached = statements.get(key);
  if (!cached) {
    const shape = columns.map((c) => `"${c.prop}" ${c.type}`).join(', ');
    const recordset = `::json) as r(${shape})`;
    const [keys, others] = partition(columns, upsertOn ?? updateOn ?? []);
    if (updateOn) {
      const sets = others.map((c) => `"${c.name}" = r."${c.prop}"`).join(', ');
      const where = keys.map((c) => `t."${c.name}" = r."${c.prop}"`).join(' and ');
      cached = [
        `update "${getTableName(table)}" as t set ${sets} from json_to_recordset(`,
        `${recordset} where ${where}`,
      ];
    } else {
      const names = columns.map((c) => `"${c.name}"`).join(', ');
      const props = columns.map((c) => `r."${c.prop}"`).join(', ');
      let after = recordset;
      if (upsertOn) {
        const updates = others.map((c) => `"${c.name}" = excluded."${c.name}"`);
        after += ` on conflict (${keys.map((c) => `"${c.name}"`).join(', ')}) do update set ${updates.join(', ')}`;
      }
      cached = [
        `insert into "${getTableName(table)}" (${names}) select ${props} from json_to_recordset(`,
        after,
      ];
    }
    statements.set(key, cached);
  }
  return cached;
}

/** The key columns (by prop) and the others. */
const partition = (columns: Column[], keyProps: string[]): [Column[], Column[]] => [
  columns.filter((c) => keyProps.includes(c.prop)),
  columns.filter((c) => !keyProps.includes(c.prop)),
];

export interface Recordset {
  table: PgTable;
  /** drizzle property names as keys; Dates become ISO strings through JSON; one shape per set */
  rows: readonly object[];
  /** conflict keys (props): a row whose keys exist overwrites every other column */
  upsertOn?: string[];
  /** key columns (props): existing rows get the other columns; rows without a match are dropped */
  updateOn?: string[];
}

function writeOf(set: Recordset): SQL {
  const first = set.rows[0] as Record<string, unknown>;
  const columns: Column[] = Object.entries(getTableColumns(set.table) as Record<string, PgColumn>)
    .filter(([prop]) => prop in first)
    .map(([prop, column]) => ({ prop, name: column.name, type: column.getSQLType() }));
  const [before, after] = statement(set.table, columns, set);
  return sql`${sql.raw(before)}${JSON.stringify(set.rows)}${sql.raw(after)}`;
}

/**
 * Writes every non-empty set in ONE statement (each write a data-modifying CTE, which PostgreSQL
 * runs whether or not it is referenced): one round trip per group for all its rows. One statement
 * is atomic on its own, so it needs no transaction around it (no BEGIN and COMMIT round trips). The
 * sets must name different tables: the CTEs share one snapshot and do not see each other's rows.
 */
export async function writeRecordsets(tx: Db | Tx, sets: readonly Recordset[]): Promise<void> {
  const inserts = sets.filter((set) => set.rows.length > 0).map(writeOf);
  if (inserts.length === 0) return;
  if (inserts.length === 1) {
    await tx.execute(inserts[0]!);
    return;
  }
  const ctes = inserts.map((insert, i) => sql`${sql.identifier(`w${i}`)} as (${insert})`);
  await tx.execute(sql`with ${sql.join(ctes, sql`, `)} select 1`);
}
