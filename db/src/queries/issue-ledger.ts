/**
 * The issue ledger (SPEC §7, §13): filtered pages city-wide or per district, and one issue with its
 * story. What an issue was raised with (inspector, description, 整改措施, 责任人, photos) is read from
 * its `issue.raised` event, the source of truth; events of an issue are found through the
 * `events_issue_idx` index on `payload->>'issueId'`.
 */
import type { IssueDetail, LedgerRow, Page, TimelineEntry } from '@dudao/domain';
import type { Database } from '../client.ts';

const DAY_MS = 86_400_000;

export type IssueFilter = 'open' | 'submitted' | 'closed' | 'overdue';

export interface LedgerQuery {
  districts: readonly string[];
  status?: IssueFilter | undefined;
  category?: string | undefined;
  severity?: string | undefined;
  school?: string | undefined;
  inspector?: string | undefined;
  /** raised at or after */
  from?: Date | undefined;
  /** raised before */
  to?: Date | undefined;
  /** open and at least this many whole days past the deadline */
  overdueDays?: number | undefined;
  /** a piece of the id, the target's name or id, or the description */
  q?: string | undefined;
  now: number;
}

/** Keyset cursor: the (raised_at, id) of the last row of the previous page. */
const encodeCursor = (raisedAt: string, id: string) => Buffer.from(`${raisedAt}|${id}`).toString('base64url');
function decodeCursor(cursor: string): [Date, string] | null {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const date = new Date(at ?? '');
  return id && !Number.isNaN(date.getTime()) ? [date, id] : null;
}

const iso = (v: unknown): string | null =>
  v === null || v === undefined ? null : new Date(v as string).toISOString();
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The WHERE clause of a ledger query over `issues i` alone and its parameters: what is read from the
 * raised event or a target's name is asked with `exists`, so a page can be picked from `issues` by
 * the `(raised_at, id)` index before anything is joined (an issue has one `issue.raised` event:
 * decide.ts refuses a second).
 */
function whereOf(q: LedgerQuery, after: [Date, string] | null): { where: string; params: unknown[] } {
  const params: unknown[] = [q.districts];
  const where = ['i.district = any($1)'];
  const p = (v: unknown) => `$${params.push(v)}`;
  const raisedWith = (condition: string) =>
    `exists (select 1 from events r where (r.payload->>'issueId') = i.id and r.type = 'issue.raised' and ${condition})`;
  if (q.status === 'overdue') where.push(`i.status = 'open' and i.deadline < ${p(new Date(q.now))}`);
  else if (q.status) where.push(`i.status = ${p(q.status)}`);
  if (q.category) where.push(`i.category = ${p(q.category)}`);
  if (q.severity) where.push(`i.severity = ${p(q.severity)}`);
  if (q.school) where.push(`i.target_kind = 'school' and i.target_id = ${p(q.school)}`);
  // The inspector's raised issues are read once per page, through events_raised_inspector_idx, as
  // an array the page is then picked from by issues_pkey: as a semi-join (`exists`) the planner
  // scanned the whole event log, or every issue, for each page.
  if (q.inspector)
    where.push(
      `i.id = any(array(select r.payload->>'issueId' from events r where r.type = 'issue.raised' and r.inspector = ${p(q.inspector)}))`,
    );
  if (q.from) where.push(`i.raised_at >= ${p(q.from)}`);
  if (q.to) where.push(`i.raised_at < ${p(q.to)}`);
  if (q.overdueDays !== undefined)
    where.push(`i.status = 'open' and i.deadline <= ${p(new Date(q.now - q.overdueDays * DAY_MS))}`);
  if (q.q) {
    const like = p(likePattern(q.q));
    where.push(
      `(i.id ilike ${like} or i.target_id ilike ${like}
        or exists (select 1 from schools s where i.target_kind = 'school' and s.id = i.target_id and s.name ilike ${like})
        or exists (select 1 from institutions n where i.target_kind = 'institution' and n.id = i.target_id and n.name ilike ${like})
        or ${raisedWith(`r.payload->>'description' ilike ${like}`)})`,
    );
  }
  if (after) where.push(`(i.raised_at, i.id) < (${p(after[0])}, ${p(after[1])})`);
  return { where: where.join(' and '), params };
}

/**
 * Issues `i` (a table or a page of it) with their target's name, inspector and raised event. The
 * event is looked up per issue (`lateral`, through `events_issue_idx`): for a page of 1,001 issues
 * that is 1,001 index probes, where a join let the planner hash every raised event in the log.
 */
const ledgerSelect = (issues: string) => `
  select i.*, coalesce(s.name, n.name, i.target_id) as target_name,
         r.inspector as inspector_id, coalesce(p.name, r.inspector) as inspector_name,
         r.payload as raised
    from ${issues} i
    left join schools s on i.target_kind = 'school' and s.id = i.target_id
    left join institutions n on i.target_kind = 'institution' and n.id = i.target_id
    left join lateral (
      select r.inspector, r.payload from events r
       where (r.payload->>'issueId') = i.id and r.type = 'issue.raised' limit 1) r on true
    left join inspectors p on p.id = r.inspector`;

const textOf = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

function ledgerRowOf(r: Record<string, unknown>, now: number): LedgerRow {
  const deadline = new Date(r.deadline as string).getTime();
  const overdue = r.status === 'open' && deadline < now;
  const raised = (r.raised ?? {}) as Record<string, unknown>;
  return {
    id: r.id as string,
    district: r.district as string,
    target: {
      kind: r.target_kind as 'school' | 'institution',
      id: r.target_id as string,
      name: r.target_name as string,
    },
    category: r.category as LedgerRow['category'],
    severity: r.severity as LedgerRow['severity'],
    status: r.status as LedgerRow['status'],
    overdue,
    daysOverdue: overdue ? Math.floor((now - deadline) / DAY_MS) : 0,
    raisedAt: iso(r.raised_at) as string,
    deadline: iso(r.deadline) as string,
    submittedAt: iso(r.submitted_at),
    closedAt: iso(r.closed_at),
    reopenCount: Number(r.reopen_count),
    inspectionId: (r.inspection_id as string | null) ?? null,
    inspector: r.inspector_id ? { id: r.inspector_id as string, name: r.inspector_name as string } : null,
    description: textOf(raised.description),
    measures: textOf(raised.measures),
    responsible: textOf(raised.responsible),
    urges: Number(r.urge_count),
  };
}

/**
 * One page of the ledger, newest raised first. The page is picked from `issues` alone, by keyset
 * (`(raised_at, id) < cursor`, walking the `issues_raised_id_idx` index backwards), and only its
 * rows are joined: a page costs the same at the end of the ledger as at its start (it used to join
 * and sort every remaining issue first; docs/benchmarks.md has both).
 */
export async function ledgerPage(
  database: Database,
  q: LedgerQuery & { cursor?: string | undefined; limit: number },
): Promise<Page<LedgerRow>> {
  const { where, params } = whereOf(q, q.cursor ? decodeCursor(q.cursor) : null);
  const order = 'order by i.raised_at desc, i.id desc';
  const page = `(select i.* from issues i where ${where} ${order} limit $${params.push(q.limit + 1)})`;
  const rows = await database.query<Record<string, unknown>>(`${ledgerSelect(page)} ${order}`, params);
  const items = rows.slice(0, q.limit).map((r) => ledgerRowOf(r, q.now));
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > q.limit && last ? encodeCursor(last.raisedAt, last.id) : null };
}

/** Every row of the filtered ledger, page by page (bounded memory and time per page for exports). */
export async function* ledgerRows(
  database: Database,
  q: LedgerQuery,
  pageSize = 1000,
): AsyncGenerator<LedgerRow[]> {
  let cursor: string | undefined;
  do {
    const page = await ledgerPage(database, { ...q, cursor, limit: pageSize });
    if (page.items.length > 0) yield page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

/** The issues of a district, for `GET /districts/:adcode/issues` (SPEC §7). */
export function districtIssues(
  database: Database,
  p: { district: string; status?: IssueFilter; cursor?: string; limit: number; now: number },
): Promise<Page<LedgerRow>> {
  return ledgerPage(database, { ...p, districts: [p.district] });
}

const photosOf = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

function timelineEntryOf(r: Record<string, unknown>): TimelineEntry {
  const payload = r.payload as Record<string, unknown>;
  const entry: TimelineEntry = {
    id: r.id as string,
    type: r.type as string,
    occurredAt: iso(r.occurred_at) as string,
    actor: (r.actor_name as string | null) ?? null,
    actorLogin: (r.actor_login as string | null) ?? null,
  };
  for (const field of ['deadline', 'reason', 'note'] as const) {
    const value = textOf(payload[field]);
    if (value !== null) entry[field] = value;
  }
  if (payload.result === 'passed' || payload.result === 'failed') entry.result = payload.result;
  const photos = photosOf(payload.photos);
  if (photos.length > 0) entry.photos = photos;
  return entry;
}

/** One issue with every field and its story, or null when no such issue exists. */
export async function issueDetail(
  database: Database,
  issueId: string,
  now: number,
): Promise<IssueDetail | null> {
  const [row] = await database.query<Record<string, unknown>>(`${ledgerSelect('issues')} where i.id = $1`, [
    issueId,
  ]);
  if (!row) return null;
  const events = await database.query<Record<string, unknown>>(
    `select e.id, e.type, e.occurred_at, e.payload, u.login as actor_login,
            coalesce(u.name, e.payload->>'actor', p.name, e.inspector) as actor_name
       from events e
       left join users u on u.login = e.payload->>'actor'
       left join inspectors p on p.id = e.inspector
      where (e.payload->>'issueId') = $1
      order by e.occurred_at, e.seq`,
    [issueId],
  );
  const timeline = events.map(timelineEntryOf);
  const rectified = events.filter((e) => e.type === 'issue.rectified').at(-1);
  const raised = (row.raised ?? {}) as Record<string, unknown>;
  return {
    ...ledgerRowOf(row, now),
    photos: photosOf(raised.photos),
    rectification: rectified
      ? {
          at: iso(rectified.occurred_at) as string,
          note: textOf((rectified.payload as Record<string, unknown>).note),
          photos: photosOf((rectified.payload as Record<string, unknown>).photos),
        }
      : null,
    timeline,
  };
}

/** The district and state of an issue, for acting on it; null when unknown. */
export async function issueState(
  database: Database,
  issueId: string,
): Promise<{ district: string; status: string; deadline: Date } | null> {
  const [row] = await database.query<{ district: string; status: string; deadline: string }>(
    'select district, status, deadline from issues where id = $1',
    [issueId],
  );
  return row ? { district: row.district, status: row.status, deadline: new Date(row.deadline) } : null;
}
