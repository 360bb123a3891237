/**
 * What a replay (SPEC §15) decides on: the registry as it stood before any event (an institution's
 * status as the rollups take it, `INSTITUTIONS_AT_START`) with an empty ledger, and the event log up
 * to an instant in the order the ingest applied it, for the core to decide again on a scratch world.
 */
import { sql } from 'drizzle-orm';
import type { DudaoEvent, InstitutionCategory, InstitutionStatus } from '@dudao/domain';
import type { Database } from '../client.ts';
import { selectRows } from '../sql.ts';
import type { LedgerState, Named } from './ingest.ts';
import { INSTITUTIONS_AT_START } from './rollup-deltas.ts';

export interface ReplayLog {
  /** the registry at the start of time and an empty ledger */
  state: LedgerState;
  /** accepted events with `occurredAt` before the end, in the order the ingest applied them */
  events: DudaoEvent[];
}

/**
 * The scratch world's start and the events to decide on it: of one district, or of the city when
 * `district` is undefined.
 */
export async function loadReplayLog(
  database: Database,
  p: { district: string | undefined; end: number },
): Promise<ReplayLog> {
  const inDistrict = p.district === undefined ? sql`true` : sql`district = ${p.district}`;
  const end = new Date(p.end).toISOString();
  return database.db.transaction(
    async (tx) => {
      const named = async (table: 'schools' | 'inspectors') =>
        new Map(
          (
            await selectRows<{ id: string; district: string; name: string }>(
              tx,
              sql`select id, district, name from ${sql.identifier(table)} where ${inDistrict}`,
            )
          ).map((r): [string, Named] => [r.id, { district: r.district, name: r.name }]),
        );
      const institutions = await selectRows<{
        id: string;
        district: string;
        name: string;
        category: InstitutionCategory;
        initial: InstitutionStatus;
      }>(
        tx,
        sql`select id, district, name, category, initial from (${INSTITUTIONS_AT_START}) n where ${inDistrict}`,
      );
      const events = await selectRows<{ payload: DudaoEvent }>(
        tx,
        sql`select payload from events
             where occurred_at < ${end}::timestamptz and ${inDistrict}
             order by seq`,
      );
      return {
        state: {
          eventHashes: new Map(),
          inspections: new Map(),
          issues: new Map(),
          complaints: new Map(),
          reports: new Map(),
          schools: await named('schools'),
          inspectors: await named('inspectors'),
          institutions: new Map(
            institutions.map((r) => [
              r.id,
              { id: r.id, district: r.district, name: r.name, category: r.category, status: r.initial },
            ]),
          ),
        },
        events: events.map((r) => r.payload),
      };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}
