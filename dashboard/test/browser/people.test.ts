/**
 * SPEC §12–§13 from a supervisor's laptop in a real browser (Debian's Chromium) against the real
 * service: the sign-in page and sign-out, the issue panel's actions moving a wall open in a second
 * browser context, the ledger's filters in the URL and its export.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createUser } from '@dudao/ingest-service';
import { launchChromium } from '../support/browser.ts';
import { buildDashboard, DISTRICT, SCREENSHOTS_DIR, startStack, type Stack } from './stack.ts';

const SUPERVISOR = { login: 'ty-supervisor', name: '王督学', role: 'supervisor', scope: DISTRICT } as const;
const VIEWPORT = { width: 1366, height: 768 };

let stack: Stack;
let browser: Browser;
let supervisorPassword = '';

beforeAll(async () => {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  await buildDashboard();
  stack = await startStack();
  const made = await createUser(stack.database, SUPERVISOR, {
    actor: { login: 'test' },
    isScope: (s) => s === 'city' || /^\d{6}$/.test(s),
  });
  supervisorPassword = made.password;
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
