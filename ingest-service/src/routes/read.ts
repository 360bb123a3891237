/** The read API (SPEC §7): city pack, snapshots, feed, trends and the district drill-down tables. */
import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import {
  districtInspectors,
  districtInstitutions,
  districtIssues,
  districtSchools,
  dailySeries,
} from '@dudao/db';
import { addDays, dayList, flattenMetrics, localTime, type TrendsResponse } from '@dudao/domain';
import { cityPackById, CITIES_DIR } from '@dudao/domain/cities';
import { HttpError } from '../plugins/errors.ts';
import { compressBody, sendCompressed, type CompressedBody } from './compressed.ts';
import { MAX_RANGE_DAYS, parseDayRange } from './day-range.ts';
import { scopeGuards } from './scope.ts';

/** A day, then revalidated by its ETag (a 304 without the body). */
const MAP_CACHE_CONTROL = 'public, max-age=86400';
const DEFAULT_FEED_LIMIT = 50;
const MAX_FEED_LIMIT = 200;
const DEFAULT_TREND_DAYS = 30;
const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 500;

const scopeQuery = {
  type: 'object',
  properties: { scope: { type: 'string', pattern: '^(city|[0-9]{6})$' }, token: { type: 'string' } },
} as const;
const trendsQuery = {
  type: 'object',
  properties: {
    ...scopeQuery.properties,
    days: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
  },
} as const;
const limitOf = (raw: unknown, fallback: number, max: number) => {
  const n = Number(raw ?? fallback);
  if (!Number.isInteger(n) || n < 1)
    throw new HttpError(400, 'invalid_body', 'limit must be a positive integer');
  return Math.min(n, max);
};

export default async function readRoutes(app: FastifyInstance, opts: { city: string }) {
  const viewer = app.requireKey('viewer', { queryToken: true });
  const { registry, snapshots, live, database } = app;
  const { now } = app.config;
  const timezone = registry.city.timezone;
  const { checkScope, districtParam, windows } = scopeGuards(app);

  app.get('/api/v1/whoami', { onRequest: viewer }, async (request) => ({
    role: request.principal.role,
    scope: request.principal.scope,
  }));

  app.get('/api/v1/city', { onRequest: viewer }, async () => registry.cityPack);

  const pack = cityPackById(opts.city);
  /** read and compressed at the first request; the file changes only with a deploy */
  let map: Promise<CompressedBody> | null = null;
  app.get('/api/v1/city/map', { onRequest: viewer }, async (request, reply) => {
    map ??= readFile(new URL(pack.mapFile, CITIES_DIR), 'utf8')
      .then((geojson) => compressBody(geojson, 'application/geo+json'))
      .catch((err: unknown) => {
        map = null; // the next request tries again
        throw err;
      });
    return sendCompressed(request, reply, await map, MAP_CACHE_CONTROL);
  });

  app.get('/api/v1/metrics', { onRequest: viewer, schema: { querystring: scopeQuery } }, async (request) => {
    const scope = (request.query as { scope?: string }).scope ?? 'city';
    checkScope(request, scope);
    return snapshots.read(scope);
  });

  app.get('/api/v1/feed', { onRequest: viewer, schema: { querystring: scopeQuery } }, async (request) => {
    const q = request.query as { scope?: string; limit?: string };
    const scope = q.scope ?? 'city';
    checkScope(request, scope);
    return live.feed(scope, limitOf(q.limit, DEFAULT_FEED_LIMIT, MAX_FEED_LIMIT));
  });

  app.get('/api/v1/trends', { onRequest: viewer, schema: { querystring: trendsQuery } }, async (request) => {
    const q = request.query as { scope?: string; days?: string; from?: string; to?: string };
    const scope = q.scope ?? 'city';
    checkScope(request, scope);
    const today = localTime(now(), timezone).day;
    const range =
      q.from === undefined && q.to === undefined
        ? { from: addDays(today, 1 - limitOf(q.days, DEFAULT_TREND_DAYS, MAX_RANGE_DAYS)), to: today }
        : parseDayRange(q, today, DEFAULT_TREND_DAYS);
    const days = dayList(range.from, range.to);
    // Past days from the nightly rollups; today (when the range reaches it) from the live store.
    const withToday = range.to === today;
    const [rollups, snapshot] = await Promise.all([
      dailySeries(database, { scope, fromDay: range.from, toDay: withToday ? addDays(today, -1) : range.to }),
      withToday ? snapshots.read(scope) : null,
    ]);
    if (snapshot) rollups.set(today, flattenMetrics(snapshot.metrics) as Record<string, number>);
    const names = new Set([...rollups.values()].flatMap((v) => Object.keys(v)));
    const series: TrendsResponse['series'] = {};
    for (const name of names) series[name] = days.map((d) => rollups.get(d)?.[name] ?? null);
    return { scope, days, series } satisfies TrendsResponse;
  });

  app.get('/api/v1/districts/:adcode/schools', { onRequest: viewer }, async (request) => {
    const w = windows();
    return districtSchools(database, {
      district: districtParam(request),
      monthStart: w.monthStart,
      now: w.now,
    });
  });

  app.get('/api/v1/districts/:adcode/institutions', { onRequest: viewer }, async (request) =>
    districtInstitutions(database, { district: districtParam(request) }),
  );

  app.get('/api/v1/districts/:adcode/inspectors', { onRequest: viewer }, async (request) => {
    const w = windows();
    return districtInspectors(database, {
      district: districtParam(request),
      dayStart: w.dayStart,
      monthStart: w.monthStart,
    });
  });

  app.get(
    '/api/v1/districts/:adcode/issues',
    {
      onRequest: viewer,
      schema: {
        querystring: {
          type: 'object',
          properties: {
            status: { type: 'string', enum: ['open', 'submitted', 'closed', 'overdue'] },
            cursor: { type: 'string', maxLength: 200 },
            limit: { type: 'string', pattern: '^[0-9]{1,4}$' },
            token: { type: 'string' },
          },
        },
      },
    },
    async (request) => {
      const q = request.query as {
        status?: 'open' | 'submitted' | 'closed' | 'overdue';
        cursor?: string;
        limit?: string;
      };
      return districtIssues(database, {
        district: districtParam(request),
        limit: limitOf(q.limit, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
        now: now(),
        ...(q.status ? { status: q.status } : {}),
        ...(q.cursor ? { cursor: q.cursor } : {}),
      });
    },
  );
}
