/**
 * SPEC §12–§13 from a supervisor's laptop in a real browser (Debian's Chromium) against the real
 * service: the sign-in page and sign-out, the issue panel's actions moving a wall open in a second
 * browser context, the ledger's filters in the URL and its export. On the backend the environment
 * names (PostgreSQL + Redis under DATABASE_URL/REDIS_URL, as CI runs it; PGlite without).
 */
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { DudaoEvent } from '@dudao/domain';
import { createUser } from '@dudao/ingest-service';
import { launchChromium } from '../support/browser.ts';
import { monthOfHistory, postEvents } from '../support/events.ts';
import { buildDashboard, DISTRICT, SCREENSHOTS_DIR, startStack, type Stack } from './stack.ts';

const SUPERVISOR = { login: 'ty-supervisor', name: '王督学', role: 'supervisor', scope: DISTRICT } as const;
const VIEWPORT = { width: 1366, height: 768 };
const DAY_MS = 86_400_000;
/** The pushed KPI reaches the wall within this of the action's answer (SPEC §11's push budget). */
const PUSH_BUDGET_MS = 1_000;

let seq = 0;
/** An issue of DISTRICT raised `raisedDaysAgo` with a deadline `deadlineDays` after that, its fix reported or not. */
function issueStory(opts: { raisedDaysAgo: number; deadlineDays: number; rectified: boolean }) {
  const d = stack.registry.find((x) => x.adcode === DISTRICT)!;
  const school = d.schools[seq % d.schools.length]!;
  const issueId = `iss-people-${++seq}`;
  const raisedAt = Date.now() - opts.raisedDaysAgo * DAY_MS;
  const events: DudaoEvent[] = [
    {
      id: `${issueId}-raised`,
      type: 'issue.raised',
      occurredAt: new Date(raisedAt).toISOString(),
      district: DISTRICT,
      inspector: d.inspectors[0]!.id,
      issueId,
      target: { kind: 'school', id: school.id },
      category: 'homework',
      severity: 'major',
      deadline: new Date(raisedAt + opts.deadlineDays * DAY_MS).toISOString(),
    },
  ];
  if (opts.rectified)
    events.push({
      id: `${issueId}-rectified`,
      type: 'issue.rectified',
      occurredAt: new Date(Date.now() - DAY_MS).toISOString(),
      district: DISTRICT,
      issueId,
    });
  return { issueId, school, events };
}

let stack: Stack;
let browser: Browser;
let supervisorPassword = '';

beforeAll(async () => {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  await buildDashboard();
  stack = await startStack({ backend: 'env' });
  const made = await createUser(stack.database, SUPERVISOR, {
    actor: { login: 'test' },
    isScope: (s) => s === 'city' || /^\d{6}$/.test(s),
  });
  supervisorPassword = made.password;
  const history = await postEvents(
    stack.url,
    stack.keys.ingest,
    monthOfHistory(stack.registry, Date.now(), 5, 2),
  );
  expect(history.rejected).toEqual([]);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

interface Opened {
  page: Page;
  errors: string[];
}

/**
 * A fresh browser context (no key, no cookie). Console errors are collected, except the browser's
 * own report of `GET /api/v1/session`'s 401 (the contract's answer when nobody is signed in).
 */
async function fresh(): Promise<Opened> {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const expected401 = /\/api\/v1\/session$/.test(m.location().url) && /401/.test(m.text());
    if (!expected401) errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors };
}

async function signIn(page: Page, login: string, password: string) {
  await page.waitForSelector('[data-testid="signin-page"]');
  await page.fill('[data-testid="signin-login"]', login);
  await page.fill('[data-testid="signin-password"]', password);
  await page.click('[data-testid="signin-submit"]');
}

describe('§12 sign-in: the dashboard asks who you are and shows it', () => {
  it('without a key or session the district page sends to the sign-in, and comes back after it', async () => {
    const { page, errors } = await fresh();
    await page.goto(`${stack.url}/district/${DISTRICT}?tab=issues`);
    await page.waitForSelector('[data-testid="signin-page"]');
    expect(new URL(page.url()).pathname).toBe('/signin');
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'signin-1366x768.png') });

    await signIn(page, SUPERVISOR.login, 'not-the-password');
    await page.waitForSelector('[data-testid="signin-problem"][data-problem="wrong"]');

    await signIn(page, SUPERVISOR.login, supervisorPassword);
    await page.waitForSelector(`[data-testid="district-page"][data-adcode="${DISTRICT}"]`);
    expect(new URL(page.url()).searchParams.get('tab')).toBe('issues');
    expect(await page.textContent('[data-testid="user-name"]')).toBe(SUPERVISOR.name);
    expect(await page.textContent('[data-testid="user-role"]')).toBe('督学');
    await page.waitForSelector('[data-testid="district-page"][data-state="live"]', { timeout: 15_000 });

    await page.click('[data-testid="sign-out"]');
    await page.waitForSelector('[data-testid="signin-page"]');
    await page.goto(`${stack.url}/`);
    await page.waitForSelector('[data-testid="signin-page"]'); // the session is gone on the server too
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

/** A supervisor's page, signed in, at `path`. */
async function supervisorAt(path: string): Promise<Opened> {
  const opened = await fresh();
  await opened.page.goto(`${stack.url}${path}`);
  await signIn(opened.page, SUPERVISOR.login, supervisorPassword);
  await opened.page.waitForSelector('[data-testid="user-badge"]');
  return opened;
}

/** The wall of the city in a browser context of its own, live. */
async function wall(): Promise<Page> {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.goto(`${stack.url}/?token=${stack.keys.viewer}`);
  await page.waitForSelector('[data-testid="wall-canvas"][data-state="live"]', { timeout: 15_000 });
  return page;
}

const kpiSelector = (key: string) => `[data-testid="kpi-${key}"] [data-value]`;
/** 督办中: the urged issues under the wall's open-issues KPI */
const URGED_SELECTOR = '[data-testid="kpi-open-note"]';

const valueAt = (page: Page, selector: string) => page.getAttribute(selector, 'data-value').then(Number);
const kpiValue = (page: Page, key: string) => valueAt(page, kpiSelector(key));

/** Waits until the number at `selector` (its data-value) is no longer `before`; the time it took from now. */
async function valueMoves(page: Page, selector: string, before: number): Promise<number> {
  const t0 = Date.now();
  await page.waitForFunction(
    ([sel, b]) => Number(document.querySelector(sel)?.getAttribute('data-value')) !== b,
    [selector, before] as const,
    { timeout: 10_000, polling: 20 },
  );
  return Date.now() - t0;
}
const kpiMoves = (page: Page, key: string, before: number) => valueMoves(page, kpiSelector(key), before);

/** Opens the issue panel of `issueId` from the ledger row and waits for it. */
async function openIssue(page: Page, issueId: string) {
  const row = page.locator(`[data-testid="issue-ledger"] tr[data-row-id="${issueId}"]`);
  await row.click();
  await page.waitForSelector(
    `[data-testid="issue-panel"][data-issue-id="${issueId}"] [data-testid="issue-timeline"]`,
  );
  return row;
}

/** Presses an action's button, fills what it asks for and confirms; waits for the panel's "done". */
async function act(
  page: Page,
  button: 'extend' | 'urge' | 'comment',
  fields: { reason?: string; note?: string },
) {
  await page.click(`[data-testid="issue-action-${button}"]`);
  await page.waitForSelector(`[data-testid="issue-confirm"][data-action="${button}"]`);
  if (fields.reason) await page.fill('[data-testid="issue-form-reason"]', fields.reason);
  if (fields.note) await page.fill('[data-testid="issue-form-note"]', fields.note);
  await page.click('[data-testid="issue-confirm-ok"]');
  await page.waitForSelector(`[data-testid="issue-action-done"][data-action="${button}"]`);
}

describe('§13 the issue panel: open an issue from the ledger and act on it', () => {
  it('复查通过（销号）: the issue closes on the laptop and the wall’s closure rate moves within 1 s', async () => {
    const story = issueStory({ raisedDaysAgo: 6, deadlineDays: 20, rectified: true });
    expect((await postEvents(stack.url, stack.keys.ingest, story.events)).rejected).toEqual([]);
    const screen = await wall();
    const before = await kpiValue(screen, 'rectification');

    const { page, errors } = await supervisorAt(`/district/${DISTRICT}?tab=issues&status=submitted`);
    const row = await openIssue(page, story.issueId);
    await page.waitForSelector(
      `[data-testid="issue-panel"][data-issue-id="${story.issueId}"][data-status="submitted"]`,
    );
    expect(await page.textContent('[data-testid="issue-panel"]')).toContain(story.school.name);
    // what the state does not allow is off; what a viewer may not do is there for a supervisor
    expect(await page.isDisabled('[data-testid="issue-action-extend"]')).toBe(true);
    expect(await page.isDisabled('[data-testid="issue-action-urge"]')).toBe(true);
    expect(await page.isEnabled('[data-testid="issue-action-verifyPassed"]')).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'issue-panel-1366x768.png') });

    await page.click('[data-testid="issue-action-verifyPassed"]');
    await page.waitForSelector('[data-testid="issue-confirm"][data-action="verifyPassed"]');
    await page.dblclick('[data-testid="issue-confirm-ok"]'); // a double click acts once
    await page.waitForSelector('[data-testid="issue-panel"][data-status="closed"]');
    expect(await kpiMoves(screen, 'rectification', before)).toBeLessThan(PUSH_BUDGET_MS);
    expect(await kpiValue(screen, 'rectification')).toBeGreaterThan(before);

    const verified = page.locator('[data-testid="issue-timeline"] li[data-type="issue.verified"]');
    expect(await verified.count()).toBe(1);
    expect(await verified.locator('[data-testid="timeline-actor"]').textContent()).toBe(SUPERVISOR.name);
    // the ledger row left the "submitted" filter at once
    await row.waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
    await screen.context().close();
    await page.context().close();
  });
});

describe('§13 the issue panel: 延期, 督办 and 备注 on an overdue issue', () => {
  it('延期 takes it off the wall’s overdue count within 1 s; 督办 adds it to 督办中 within 1 s; all three on the timeline', async () => {
    const story = issueStory({ raisedDaysAgo: 20, deadlineDays: 5, rectified: false });
    expect((await postEvents(stack.url, stack.keys.ingest, story.events)).rejected).toEqual([]);
    const screen = await wall();
    const overdueBefore = await kpiValue(screen, 'overdue');
    expect(overdueBefore).toBeGreaterThan(0);

    const { page, errors } = await supervisorAt(
      `/district/${DISTRICT}?tab=issues&status=overdue&q=${story.issueId}`,
    );
    await openIssue(page, story.issueId);
    await page.waitForSelector('[data-testid="issue-panel"][data-status="open"][data-overdue="true"]');

    const reason = '学校申请：整改需采购设备，延期两周';
    await act(page, 'extend', { reason });
    await page.waitForSelector('[data-testid="issue-panel"][data-overdue="false"]');
    expect(await kpiMoves(screen, 'overdue', overdueBefore)).toBeLessThan(PUSH_BUDGET_MS);
    expect(await kpiValue(screen, 'overdue')).toBeLessThan(overdueBefore);

    const urgedBefore = await valueAt(screen, URGED_SELECTOR);
    const urgeNote = '请于本周五前完成整改并上报';
    await act(page, 'urge', { note: urgeNote });
    expect(await valueMoves(screen, URGED_SELECTOR, urgedBefore)).toBeLessThan(PUSH_BUDGET_MS);
    expect(await valueAt(screen, URGED_SELECTOR)).toBe(urgedBefore + 1);
    expect(await screen.textContent(URGED_SELECTOR)).toContain(`督办中 ${urgedBefore + 1}`);
    await page.waitForSelector('[data-testid="issue-urged"]');

    const remark = '已电话联系校长，确认整改方案';
    await act(page, 'comment', { note: remark });
    const entry = (type: string) => page.locator(`[data-testid="issue-timeline"] li[data-type="${type}"]`);
    await entry('issue.commented').waitFor();
    for (const [type, text] of [
      ['issue.deadline_extended', reason],
      ['issue.urged', urgeNote],
      ['issue.commented', remark],
    ] as const) {
      expect(await entry(type).count()).toBe(1);
      expect(await entry(type).locator('[data-testid="timeline-actor"]').textContent()).toBe(SUPERVISOR.name);
      expect(await entry(type).textContent()).toContain(text);
    }
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'issue-panel-acted-1366x768.png') });
    expect(errors).toEqual([]);
    await screen.context().close();
    await page.context().close();
  });
});

describe('§13 the ledger: filters in the URL, export of what they select', () => {
  it('the district ledger keeps its filters across a reload and exports the filtered rows', async () => {
    const { page, errors } = await supervisorAt(`/district/${DISTRICT}?tab=issues`);
    await page.waitForSelector(
      '[data-testid="ledger"][data-loading="no"] [data-testid="issue-ledger"] tbody tr',
    );
    await page.selectOption('[data-testid="filter-severity"]', 'major');
    await page.selectOption('[data-testid="filter-category"]', 'homework');
    await page.waitForURL(/category=homework/);
    expect(new URL(page.url()).searchParams.get('severity')).toBe('major');
    await page.waitForSelector('[data-testid="ledger"][data-loading="no"]');
    const ids = async () =>
      page.$$eval('[data-testid="issue-ledger"] tbody tr', (trs) =>
        trs.map((tr) => tr.getAttribute('data-row-id')),
      );
    const shown = await ids();
    expect(shown.length).toBeGreaterThan(0);

    await page.reload();
    await page.waitForSelector(
      '[data-testid="ledger"][data-loading="no"] [data-testid="issue-ledger"] tbody tr',
    );
    expect(await page.inputValue('[data-testid="filter-category"]')).toBe('homework');
    expect(await page.inputValue('[data-testid="filter-severity"]')).toBe('major');
    expect((await ids()).sort()).toEqual([...shown].sort());
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'ledger-1366x768.png') });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid="export-csv"]'),
    ]);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff); // BOM, so Excel reads the Chinese
    const lines = csv.trim().split(/\r?\n/).slice(1);
    expect(lines.length).toBe(shown.length);
    for (const id of shown) expect(csv).toContain(id!);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);

    // the A4 print view: the rows only
    await page.emulateMedia({ media: 'print' });
    expect(await page.isVisible('[data-testid="ledger-filters"]')).toBe(false);
    expect(await page.isVisible(`[data-testid="issue-ledger"] tr[data-row-id="${shown[0]}"]`)).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'ledger-print.png') });
    await page.pdf({ path: join(SCREENSHOTS_DIR, 'ledger-print-a4.pdf'), format: 'A4', landscape: true });
    await page.emulateMedia({ media: 'screen' });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('with a key the export is fetched with the key and still downloads (the city ledger)', async () => {
    const context = await browser.newContext({
      viewport: VIEWPORT,
      deviceScaleFactor: 1,
      acceptDownloads: true,
    });
    const page = await context.newPage();
    await page.goto(`${stack.url}/ledger?token=${stack.keys.viewer}&scope=${DISTRICT}&severity=major`);
    await page.waitForSelector(
      '[data-testid="ledger"][data-loading="no"] [data-testid="issue-ledger"] tbody tr',
    );
    expect(await page.inputValue('[data-testid="filter-scope"]')).toBe(DISTRICT);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid="export-xlsx"]'),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const bytes = await readFile((await download.path())!);
    expect(bytes.subarray(0, 2).toString()).toBe('PK'); // a zip: the xlsx container
    // a viewer reads the issue but gets no buttons
    await page.click('[data-testid="issue-ledger"] tbody tr');
    await page.waitForSelector('[data-testid="issue-panel"] [data-testid="issue-timeline"]');
    expect(await page.$('[data-testid="issue-actions"]')).toBeNull();
    await context.close();
  });
});
