/**
 * The ledger and acting on issues (SPEC §13): `GET /api/v1/issues` (filtered, paged, or the whole of
 * it as CSV/XLSX), `GET /api/v1/issues/:issueId` (every field and the story), and
 * `POST /api/v1/issues/:issueId/actions` — a supervisor's verify/extend/urge/comment, made into the
 * matching event and sent through the same ingest pipeline as `/events`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { issueDetail, issueState, ledgerPage, ledgerRows, type LedgerQuery } from '@dudao/db';
import {
  ISSUE_CATEGORIES,
  ISSUE_ACTIONS,
  SEVERITIES,
  startOfLocalDay,
  addDays,
  type DudaoEvent,
  type IssueAction,
  type IssueActionBody as ActionBody,
} from '@dudao/domain';
import { authorize } from '../auth/authorize.ts';
import { writeScope, type Principal } from '../auth/keys.ts';
import { localTimeFormatter } from '../ledger/columns.ts';
import { CONTENT_TYPES, EXPORT_FORMATS, exportLedger, type ExportFormat } from '../ledger/export.ts';
import { HttpError } from '../plugins/errors.ts';
import { auditLogin } from '../plugins/session.ts';

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 500;
const DAY = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';
const objectId = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } as const;

const ledgerQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    scope: { type: 'string', pattern: '^(city|[0-9]{6})$' },
    status: { type: 'string', enum: ['open', 'submitted', 'closed', 'overdue'] },
    category: { type: 'string', enum: [...ISSUE_CATEGORIES] },
    severity: { type: 'string', enum: [...SEVERITIES] },
    school: objectId,
    inspector: objectId,
    from: { type: 'string', anyOf: [{ pattern: DAY }, { format: 'date-time' }] },
    to: { type: 'string', anyOf: [{ pattern: DAY }, { format: 'date-time' }] },
    overdueDays: { type: 'string', pattern: '^[0-9]{1,4}$' },
    q: { type: 'string', maxLength: 100 },
    cursor: { type: 'string', maxLength: 200 },
    limit: { type: 'string', pattern: '^[0-9]{1,4}$' },
    format: { type: 'string', enum: [...EXPORT_FORMATS] },
    token: { type: 'string' },
  },
} as const;

type LedgerParams = Partial<Record<keyof (typeof ledgerQuerySchema)['properties'], string>>;

const issueParams = {
  type: 'object',
  required: ['issueId'],
  properties: { issueId: objectId },
} as const;

const isoTime = { type: 'string', format: 'date-time', maxLength: 40 } as const;
const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max }) as const;
const actionBody = {
  type: 'object',
  required: ['id', 'type'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', pattern: '^[A-Za-z0-9_-]{8,64}$' },
    type: { type: 'string', enum: [...ISSUE_ACTIONS] },
    result: { type: 'string', enum: ['passed', 'failed'] },
    deadline: isoTime,
    reason: text(500),
    note: text(2000),
  },
  allOf: [
    { if: { properties: { type: { const: 'verify' } } }, then: { required: ['result'] } },
    {
      if: { properties: { result: { const: 'failed' } }, required: ['result'] },
      then: { required: ['deadline'] },
    },
    { if: { properties: { type: { const: 'extend' } } }, then: { required: ['deadline', 'reason'] } },
    { if: { properties: { type: { enum: ['urge', 'comment'] } } }, then: { required: ['note'] } },
  ],
} as const;

const EVENT_TYPE_OF: Record<IssueAction, string> = {
  verify: 'issue.verified',
  extend: 'issue.deadline_extended',
  urge: 'issue.urged',
  comment: 'issue.commented',
};

/** The event an action becomes: its fields only, the issue's district, the person as `actor`. */
function eventOf(
  issueId: string,
  body: ActionBody,
  ctx: { district: string; occurredAt: string; actor: string },
) {
  const fields: Record<string, unknown> = {};
  if (body.type === 'verify') {
    fields.result = body.result;
    if (body.result === 'failed') fields.deadline = body.deadline;
  } else if (body.type === 'extend') {
    fields.deadline = body.deadline;
    fields.reason = body.reason;
  } else {
    fields.note = body.note;
  }
  return {
    id: body.id,
    type: EVENT_TYPE_OF[body.type],
    occurredAt: ctx.occurredAt,
    district: ctx.district,
    issueId,
    actor: ctx.actor,
    ...fields,
  } as unknown as DudaoEvent;
}

/** Who acted, as the event's `actor`: a person's login, or `key:<id>` for an admin key. */
const actorOf = (p: Principal): string => auditLogin(p);

export default async function issueRoutes(app: FastifyInstance) {
  const viewer = app.requireKey('viewer', { queryToken: true });
  const supervisor = app.requireKey('supervisor');
  const { registry, snapshots, database, pipeline } = app;
  const { now, exportPageSize } = app.config;
  const timezone = registry.city.timezone;
  const exportContext = {
    districtName: (a: string) => registry.districtName(a),
    localTime: localTimeFormatter(timezone),
  };

  const checkScope = (request: FastifyRequest, scope: string, role: 'viewer' | 'supervisor' = 'viewer') => {
    if (!snapshots.isScope(scope)) throw new HttpError(404, 'not_found', `no scope ${scope} in this city`);
    const denial = authorize(request.principal, { role, scope });
    if (denial) throw new HttpError(denial.status, denial.code, denial.message);
  };

  /** A day (`YYYY-MM-DD`, the city's) or a time; `to` as a day includes that whole day. */
  const bound = (value: string | undefined, end: boolean): Date | undefined => {
    if (!value) return undefined;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(value);
    return new Date(startOfLocalDay(end ? addDays(value, 1) : value, timezone));
  };

  const ledgerQuery = (request: FastifyRequest): LedgerQuery => {
    const q = request.query as LedgerParams;
    const scope = q.scope ?? request.principal.scope;
    checkScope(request, scope);
    const [from, to] = [bound(q.from, false), bound(q.to, true)];
    if (from && to && from >= to)
      throw new HttpError(400, 'invalid_body', 'from must be before to', [
        { path: '/from', message: `must not be after to (${q.to})` },
      ]);
    return {
      districts: scope === 'city' ? [...registry.districtCodes] : [scope],
      status: q.status as LedgerQuery['status'],
      category: q.category,
      severity: q.severity,
      school: q.school,
      inspector: q.inspector,
      from,
      to,
      overdueDays: q.overdueDays === undefined ? undefined : Number(q.overdueDays),
      q: q.q?.trim() || undefined,
      now: now(),
    };
  };

  app.get(
    '/api/v1/issues',
    { onRequest: viewer, schema: { querystring: ledgerQuerySchema } },
    async (request, reply) => {
      const q = request.query as LedgerParams;
      const query = ledgerQuery(request);
      if (q.format) {
        const format = q.format as ExportFormat;
        const day = new Date(query.now).toISOString().slice(0, 10);
        const name = `ledger-${q.scope ?? request.principal.scope}-${day}.${format}`;
        return reply
          .header('content-type', CONTENT_TYPES[format])
          .header(
            'content-disposition',
            `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(`问题台账-${name}`)}`,
          )
          .header('cache-control', 'no-store')
          .send(exportLedger(format, ledgerRows(database, query, exportPageSize), exportContext));
      }
      const limit = Math.min(Number(q.limit ?? DEFAULT_PAGE_SIZE) || DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
      return ledgerPage(database, { ...query, cursor: q.cursor, limit });
    },
  );

  app.get(
    '/api/v1/issues/:issueId',
    { onRequest: viewer, schema: { params: issueParams } },
    async (request) => {
      const { issueId } = request.params as { issueId: string };
      const issue = await issueDetail(database, issueId, now());
      if (!issue) throw new HttpError(404, 'not_found', `no issue ${issueId}`);
      checkScope(request, issue.district);
      return issue;
    },
  );

  app.post(
    '/api/v1/issues/:issueId/actions',
    { onRequest: supervisor, schema: { params: issueParams, body: actionBody } },
    async (request) => {
      const { issueId } = request.params as { issueId: string };
      const body = request.body as ActionBody;
      const issue = await issueState(database, issueId);
      if (!issue) throw new HttpError(404, 'not_found', `no issue ${issueId}`);
      checkScope(request, issue.district, 'supervisor');
      // A repeated id (a double click, a retry) carries the first try's time, so it is a duplicate.
      const [seen] = await database.query<{ occurred_at: string }>(
        'select occurred_at from events where id = $1',
        [body.id],
      );
      const at = seen ? new Date(seen.occurred_at).getTime() : now();
      if (body.deadline && !seen && Date.parse(body.deadline) <= at)
        throw new HttpError(400, 'invalid_body', 'the request does not match the schema', [
          { path: '/deadline', message: 'must be in the future' },
        ]);
      const event = eventOf(issueId, body, {
        district: issue.district,
        occurredAt: new Date(at).toISOString(),
        actor: actorOf(request.principal),
      });
      const result = await pipeline.submit([event], writeScope(request.principal));
      const rejected = result.rejected[0];
      await app.audit(request, {
        action: `issue.${body.type}`,
        outcome: rejected ? 'failed' : 'ok',
        target: issueId,
        detail: {
          eventId: body.id,
          ...(rejected ? { code: rejected.code } : {}),
          ...(result.duplicates ? { duplicate: true } : {}),
        },
      });
      return result;
    },
  );
}
