/**
 * What every read route asks first: is this scope (or district) of the city, and may the caller see
 * it? Plus the calendar windows "today" and "this month" in the city's time.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { localTime, startOfLocalDay } from '@dudao/domain';
import { authorize } from '../auth/authorize.ts';
import { HttpError } from '../plugins/errors.ts';

export interface Windows {
  now: number;
  dayStart: number;
  monthStart: number;
  /** today, YYYY-MM-DD in the city's time */
  today: string;
}

export function scopeGuards(app: FastifyInstance) {
  const { registry, snapshots } = app;
  const { now } = app.config;
  const timezone = registry.city.timezone;

  /** Unknown scope → 404; a scope the caller may not see → 403. */
  const checkScope = (request: FastifyRequest, scope: string) => {
    if (!snapshots.isScope(scope)) throw new HttpError(404, 'not_found', `no scope ${scope} in this city`);
    const denial = authorize(request.principal, { role: 'viewer', scope });
    if (denial) throw new HttpError(denial.status, denial.code, denial.message);
  };

  /** The `:adcode` of a district route, checked like a scope. */
  const districtParam = (request: FastifyRequest): string => {
    const { adcode } = request.params as { adcode: string };
    if (!registry.districtCodes.has(adcode)) throw new HttpError(404, 'not_found', `no district ${adcode}`);
    checkScope(request, adcode);
    return adcode;
  };

  const windows = (): Windows => {
    const t = now();
    const { day, month } = localTime(t, timezone);
    return {
      now: t,
      dayStart: startOfLocalDay(day, timezone),
      monthStart: startOfLocalDay(`${month}-01`, timezone),
      today: day,
    };
  };

  return { checkScope, districtParam, windows };
}
