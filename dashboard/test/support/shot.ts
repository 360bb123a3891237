/** Dev helper: `npx tsx test/support/shot.ts URL out.png [width height [waitMs]]` */
import { launchChromium } from './browser.ts';

const [url, out, w = '1920', h = '1080', wait = '4000'] = process.argv.slice(2);
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: Number(w), height: Number(h) } });
page.on(
  'console',
  (m) => (m.type() === 'error' || m.type() === 'warning') && console.log(`[${m.type()}]`, m.text()),
);
page.on('pageerror', (e) => console.log('[pageerror]', e.message));
await page.goto(url!);
await page.waitForTimeout(Number(wait));
await page.screenshot({ path: out! });
await browser.close();
