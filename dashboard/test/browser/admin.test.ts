/**
 * Issue 15 in a real browser (Debian's Chromium) against the real service on the embedded default:
 * an admin signs in to the console, gives a wall its access (a viewer key, its wall URL shown once),
 * sees the wall's socket in the list, takes the access back, and the wall turns to its refused state.
 */
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createKey } from '@dudao/ingest-service';
import { launchChromium } from '../support/browser.ts';
import { buildDashboard, SCREENSHOTS_DIR, startStack, type Stack } from './stack.ts';

const ADMIN = { login: 'console-admin', name: '管理员', password: 'a-long-admin-password-1' };
/** The console re-reads the key list every 10 s; a little more for the wall to connect first. */
const LIST_REFRESH_WAIT_MS = 15_000;

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  await buildDashboard();
  stack = await startStack();
  const adminKey = await createKey(stack.database, { role: 'admin', scope: 'city' });
  const res = await fetch(`${stack.url}/api/v1/users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...ADMIN, role: 'admin', scope: 'city' }),
  });
  expect(res.status).toBe(201);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function newPage(viewport: {
  width: number;
  height: number;
}): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors };
}

/** Opens the console at `path`, goes through the app's sign-in page as the admin and back. */
async function signInToConsole(page: Page, path = '/admin') {
  await page.goto(`${stack.url}${path}`);
  await page.waitForSelector('[data-testid="admin-gate"]');
  await page.click('[data-testid="gate-signin"]');
  await page.waitForSelector('[data-testid="signin-page"]');
  await page.fill('[data-testid="signin-login"]', ADMIN.login);
  await page.fill('[data-testid="signin-password"]', ADMIN.password);
  await page.click('[data-testid="signin-submit"]');
  await page.waitForSelector('[data-testid="admin-page"][data-signed-in="yes"]');
}

describe('the admin console gives out and takes back a wall', () => {
  it('create a viewer key, open its wall in a second browser, revoke it, the wall is refused', async () => {
    const { page: admin, errors } = await newPage({ width: 1366, height: 768 });
    await signInToConsole(admin);
    await admin.waitForSelector('[data-testid="keys-table"]');

    await admin.selectOption('[data-testid="key-role"]', 'viewer');
    await admin.selectOption('[data-testid="key-scope"]', 'city');
    await admin.fill('[data-testid="key-label"]', '指挥中心二号屏');
    await admin.selectOption('[data-testid="key-expiry"]', 'd30');
    await admin.click('[data-testid="key-submit"]');
    const wallUrl = (await admin.textContent('[data-testid="new-wall-url"]'))!.trim();
    const token = (await admin.textContent('[data-testid="new-key"]'))!.trim();
    expect(wallUrl).toBe(`${stack.url}/?token=${encodeURIComponent(token)}`);
    await admin.screenshot({ path: join(SCREENSHOTS_DIR, 'admin-new-key-1366x768.png') });
    await admin.click('[data-testid="secret-done"]');
    expect(await admin.$('[data-testid="new-key"]')).toBeNull(); // shown once
    expect(await admin.content()).not.toContain(token);

    const { page: wall } = await newPage({ width: 1920, height: 1080 });
    await wall.goto(wallUrl);
    await wall.waitForSelector('[data-testid="wall-canvas"][data-state="live"]', { timeout: 15_000 });

    const row = admin.locator('[data-testid="keys-table"] tr', { hasText: '指挥中心二号屏' });
    await row
      .locator('[data-testid="key-sockets"]', { hasText: /^\s*1\s*$/ })
      .waitFor({ timeout: LIST_REFRESH_WAIT_MS });
    expect(await row.getAttribute('data-state')).toBe('active');
    await admin.screenshot({ path: join(SCREENSHOTS_DIR, 'admin-keys-1366x768.png') });

    await row.locator('[data-testid="key-revoke"]').click();
    await row.locator('[data-testid="key-revoke-confirm"]').click();
    await admin
      .locator('[data-testid="keys-table"] tr[data-state="revoked"]', { hasText: '指挥中心二号屏' })
      .waitFor();

    await wall.waitForSelector('[data-testid="access-screen"][data-problem="unauthorized"]', {
      timeout: 10_000,
    });
    await wall.screenshot({ path: join(SCREENSHOTS_DIR, 'wall-revoked.png') });
    const res = await fetch(`${stack.url}/api/v1/city`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(401);
    expect(errors).toEqual([]);
    await wall.context().close();
    await admin.context().close();
  });

  it('the users and audit sections work from the console, in English too', async () => {
    const { page } = await newPage({ width: 1366, height: 768 });
    await signInToConsole(page, '/admin?lang=en');
    await page.click('[data-testid="admin-tab-users"]');
    await page.fill('[data-testid="user-login"]', 'ty-supervisor');
    await page.fill('[data-testid="user-name"]', '王督学');
    await page.selectOption('[data-testid="user-role"]', 'supervisor');
    await page.selectOption('[data-testid="user-scope"]', '430211');
    await page.click('[data-testid="user-submit"]');
    const password = (await page.textContent('[data-testid="one-time-password"]'))!.trim();
    expect(password.length).toBeGreaterThanOrEqual(10);
    await page.waitForSelector('[data-testid="users-table"] tr[data-login="ty-supervisor"]');
    const signIn = await fetch(`${stack.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'ty-supervisor', password }),
    });
    expect(signIn.status).toBe(200);
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'admin-users-1366x768.png') });

    await page.click('[data-testid="admin-tab-audit"]');
    await page.waitForSelector('[data-testid="audit-table"] tr[data-action="key.revoke"]');
    await page.waitForSelector('[data-testid="audit-table"] tr[data-action="user.create"]');
    expect(await page.textContent('[data-testid="audit-section"]')).toContain('Outcome');
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'admin-audit-1366x768.png') });
    await page.context().close();
  });
});

describe('SPEC §14 an admin makes a plan from the console', () => {
  it('shows each broken rule under its field, from the form and from the service, then makes the plan', async () => {
    const { page, errors } = await newPage({ width: 1366, height: 768 });
    await signInToConsole(page, '/admin?tab=plans');
    await page.click('[data-testid="admin-tab-plans"]');
    await page.waitForSelector('[data-testid="plan-create"]');

    // nothing filled in: the form names the fields at fault before anything is sent
    await page.click('[data-testid="plan-submit"]');
    for (const field of ['id', 'title', 'from', 'to', 'theme'])
      await page.waitForSelector(`[data-testid="plan-${field}-error"]`);

    await page.fill('[data-testid="plan-id"]', 'theme-console-test');
    await page.fill('[data-testid="plan-title"]', '12月主题：作业管理');
    await page.fill('[data-testid="plan-from"]', '2026-12-01');
    await page.fill('[data-testid="plan-to"]', '2026-12-31');
    await page.selectOption('[data-testid="plan-theme"]', 'homework');
    expect(await page.$('[data-testid="plan-title-error"]')).toBeNull();
    await page.click('[data-testid="plan-submit"]');
    await page.waitForSelector('[data-testid="plan-created"]');
    await page.waitForSelector('[data-testid="admin-plan-theme-console-test"]');

    // the service's verdicts go under their fields too: a taken id, and targets it does not know
    await page.selectOption('[data-testid="plan-kind"]', 'campaign');
    await page.fill('[data-testid="plan-id"]', 'theme-console-test');
    await page.fill('[data-testid="plan-title"]', '另一个计划');
    await page.fill('[data-testid="plan-from"]', '2026-12-01');
    await page.fill('[data-testid="plan-to"]', '2026-12-31');
    await page.click('[data-testid="plan-submit"]');
    expect(await page.textContent('[data-testid="plan-id-error"]')).toContain('已被内容不同的计划使用');
    await page.fill('[data-testid="plan-id"]', 'campaign-console-test');
    await page.fill('[data-testid="plan-ids"]', 'no-such-school');
    await page.click('[data-testid="plan-submit"]');
    expect(await page.textContent('[data-testid="plan-targets-error"]')).toContain('no-such-school');
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'admin-plan-form-1366x768.png'), fullPage: true });

    const res = await fetch(`${stack.url}/api/v1/plans?scope=city`, {
      headers: { authorization: `Bearer ${stack.keys.viewer}` },
    });
    const ids = ((await res.json()) as { plans: { id: string }[] }).plans.map((p) => p.id);
    expect(ids).toEqual(['theme-console-test']);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
