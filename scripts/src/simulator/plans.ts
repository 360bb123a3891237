/**
 * The simulator's monthly themes (一月一主题, `rhythm.ts`) and a 专项 campaign as real plans (SPEC
 * §14), which the demo makes through the public API as its admin, so the wall shows their progress.
 * Ids and content follow from the month alone: making them again on every start is a harmless 200.
 */
import type { PlanInput, SchoolStage, Theme } from '@dudao/domain';
import { THEME_FORMAL_ZH } from '@dudao/domain';
import { beijingTime } from './clock.ts';
import { sessionHeaders } from './http.ts';
import { COMPULSORY_ONLY_THEMES, themeOfMonth } from './rhythm.ts';

const COMPULSORY_STAGES: SchoolStage[] = ['primary', 'junior', 'nine_year'];
/** Zhuzhou's 芦淞区 ran the campaign the demo copies; another city uses its first district. */
const CAMPAIGN_DISTRICT = '430203';

const monthDays = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
};
const shiftMonth = (month: string, n: number) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 + n, 1)).toISOString().slice(0, 7);
};

/** The month's theme plan: the theme's own targets (compulsory schools, institutions, or every school). */
export function themePlan(month: string, theme: Theme): PlanInput {
  const targets: PlanInput['targets'] =
    theme === 'off_campus_training'
      ? { kind: 'institution' }
      : COMPULSORY_ONLY_THEMES.includes(theme)
        ? { kind: 'school', stages: COMPULSORY_STAGES }
        : { kind: 'school' };
  return {
    id: `theme-${month}`,
    kind: 'theme',
    title: `${Number(month.slice(5))}月主题：${THEME_FORMAL_ZH[theme]}`,
    scope: 'city',
    ...monthDays(month),
    theme,
    targets,
  };
}

/** 校外培训专项督导 over three months: 摸底数 last month, 督落实 this month, 督整改 next month. */
export function campaignPlan(month: string, district: string): PlanInput {
  const [before, now, after] = [-1, 0, 1].map((n) => monthDays(shiftMonth(month, n))) as [
    { from: string; to: string },
    { from: string; to: string },
    { from: string; to: string },
  ];
  return {
    id: `campaign-${month}-${district}-training`,
    kind: 'campaign',
    title: '校外培训机构专项督导',
    scope: district,
    from: before.from,
    to: after.to,
    phases: [
      { name: '摸底数', ...before },
      { name: '督落实', ...now },
      { name: '督整改', ...after },
    ],
    targets: { kind: 'institution' },
  };
}

/** Each month's theme from `fromMs` to `toMs` (Beijing time), and this month's campaign. */
export function demoPlans(fromMs: number, toMs: number, districts: readonly string[]): PlanInput[] {
  const plans: PlanInput[] = [];
  const last = beijingTime(toMs).month;
  for (let month = beijingTime(fromMs).month; month <= last; month = shiftMonth(month, 1))
    plans.push(themePlan(month, themeOfMonth(Date.parse(`${month}-15T00:00:00Z`))));
  const district = districts.includes(CAMPAIGN_DISTRICT) ? CAMPAIGN_DISTRICT : districts[0];
  if (district) plans.push(campaignPlan(last, district));
  return plans;
}

/** Signs in as an admin and makes the plans (`POST /api/v1/plans`); answers how many were new. */
export async function makePlans(
  baseUrl: string,
  admin: { login: string; password: string },
  plans: readonly PlanInput[],
): Promise<{ made: number; existing: number }> {
  const session = await fetch(`${baseUrl}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(admin),
  });
  if (!session.ok) throw new Error(`signing in as ${admin.login} failed: ${session.status}`);
  const headers = {
    'content-type': 'application/json',
    ...sessionHeaders(session, (await session.json()) as { csrfToken: string }),
  };
  const out = { made: 0, existing: 0 };
  try {
    for (const plan of plans) {
      const res = await fetch(`${baseUrl}/api/v1/plans`, {
        method: 'POST',
        headers,
        body: JSON.stringify(plan),
      });
      if (res.status === 201) out.made++;
      else if (res.status === 200) out.existing++;
      else throw new Error(`making plan ${plan.id} failed: ${res.status} ${await res.text()}`);
    }
  } finally {
    await fetch(`${baseUrl}/api/v1/session`, { method: 'DELETE', headers });
  }
  return out;
}
