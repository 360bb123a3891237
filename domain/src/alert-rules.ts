/**
 * The alert rules of SPEC §15 and their thresholds: the shape an operator writes (ALERTS_FILE) or
 * PUTs (`/api/v1/admin/alerts/rules`), checked in one place so both say the same thing about a
 * wrong value, naming the field.
 */

export const ALERT_RULES = [
  'critical_issue',
  'issue_overdue',
  'issue_reopened',
  'complaint_open',
  'coverage_low',
] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

export interface AlertRules {
  /** a critical issue is raised */
  critical_issue: { enabled: boolean };
  /** an issue not closed is `days` or more past its deadline */
  issue_overdue: { enabled: boolean; days: number };
  /** an issue not closed has been reopened (verification failed) `times` times or more */
  issue_reopened: { enabled: boolean; times: number };
  /** a complaint is still open `days` or more after it was received */
  complaint_open: { enabled: boolean; days: number };
  /** from local day `dayOfMonth` of a month on, a district's school coverage is below `belowPercent` */
  coverage_low: { enabled: boolean; belowPercent: number; dayOfMonth: number };
}

export const DEFAULT_ALERT_RULES: AlertRules = {
  critical_issue: { enabled: true },
  issue_overdue: { enabled: true, days: 7 },
  issue_reopened: { enabled: true, times: 2 },
  complaint_open: { enabled: true, days: 7 },
  coverage_low: { enabled: true, belowPercent: 60, dayOfMonth: 20 },
};

/** The numeric thresholds of each rule and their allowed ranges (whole numbers). */
const THRESHOLDS: { [R in AlertRule]: Record<Exclude<keyof AlertRules[R], 'enabled'>, [number, number]> } = {
  critical_issue: {},
  issue_overdue: { days: [1, 365] },
  issue_reopened: { times: [1, 100] },
  complaint_open: { days: [1, 365] },
  coverage_low: { belowPercent: [1, 100], dayOfMonth: [1, 28] },
};

/** One wrong value: where (a JSON pointer) and what is wrong with it. */
export interface ConfigProblem {
  path: string;
  message: string;
}

export class AlertConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: ConfigProblem[],
  ) {
    super(`${source}: ${problems.map((p) => `${p.path || '/'} ${p.message}`).join('; ')}`);
    this.name = 'AlertConfigError';
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks rules as given (every rule may be left out, and then keeps its default; every field of a
 * rule given may be left out too) and returns them complete. Throws AlertConfigError naming each
 * wrong field; `base` is the path of the rules in the document (e.g. `/rules`).
 */
export function parseAlertRules(input: unknown, source: string, base = ''): AlertRules {
  const problems: ConfigProblem[] = [];
  if (!isObject(input)) throw new AlertConfigError(source, [{ path: base, message: 'must be an object' }]);
  for (const name of Object.keys(input))
    if (!(ALERT_RULES as readonly string[]).includes(name))
      problems.push({ path: `${base}/${name}`, message: `is not a rule (rules: ${ALERT_RULES.join(', ')})` });
  const rules: AlertRules = structuredClone(DEFAULT_ALERT_RULES);
  for (const rule of ALERT_RULES) {
    const given = input[rule];
    if (given === undefined) continue;
    const path = `${base}/${rule}`;
    if (!isObject(given)) {
      problems.push({ path, message: 'must be an object' });
      continue;
    }
    const ranges: Record<string, [number, number]> = THRESHOLDS[rule];
    /** the rule's fields, written in place */
    const fields: Record<string, number | boolean> = rules[rule];
    for (const [field, value] of Object.entries(given)) {
      const at = `${path}/${field}`;
      if (field === 'enabled') {
        if (typeof value !== 'boolean') problems.push({ path: at, message: 'must be true or false' });
        else fields.enabled = value;
        continue;
      }
      const range = ranges[field];
      if (!range) {
        const known = ['enabled', ...Object.keys(ranges)].join(', ');
        problems.push({ path: at, message: `is not a field of ${rule} (fields: ${known})` });
      } else if (
        typeof value !== 'number' ||
        !Number.isInteger(value) ||
        value < range[0] ||
        value > range[1]
      )
        problems.push({ path: at, message: `must be a whole number from ${range[0]} to ${range[1]}` });
      else fields[field] = value;
    }
  }
  if (problems.length > 0) throw new AlertConfigError(source, problems);
  return rules;
}
