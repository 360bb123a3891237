/**
 * The wall's bench set-up (SPEC §11), shared by the wall section (`wall.ts`) and its profiler
 * (`wall-profile.ts`): the real service on PostgreSQL + Redis serving a built dashboard, a history
 * spread over the last HISTORY_DAYS, then a live stream at a busy city's pace while the pages are
 * open, and Debian's Chromium (playwright-core, never a downloaded browser).
 */
import { chromium, type Browser } from 'playwright-core';
import type { ScratchDatabase } from '@dudao/db';
import { EventStream } from './events.ts';
import { batchedIngest, type Progress } from './ingest.ts';
import { createBenchDatabase, startService, type ServiceProcess } from './stack.ts';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
];
export const VIEWPORT = { width: 1920, height: 1080 };
export const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
export const HISTORY_DAYS = 30;
/** The live stream while the pages are open: a busy city's pace, well above the simulator's. */
const LIVE_EVENTS_PER_SEC = 10;

export class WallStack {
  private browser: Browser | null = null;
  private feeding = false;
  private feeder: Promise<void> = Promise.resolve();

  private constructor(
    private readonly db: ScratchDatabase,
    private readonly keys: { ingest: string; viewer: string },
    private readonly service: ServiceProcess,
    private readonly stream: EventStream,
  ) {}

  /** A fresh database and the service over it, serving the dashboard built in `distDir`. */
  static async open(o: {
    databaseUrl: string;
    redisUrl: string;
    distDir: string;
    /** prefix of the events' ids */
    streamName: string;
  }): Promise<WallStack> {
    const { db, keys } = await createBenchDatabase('postgres', o.databaseUrl);
    const service = await startService(db, o.redisUrl, { dashboardDir: o.distDir });
    return new WallStack(db, keys, service, new EventStream(o.streamName));
  }

  /** The wall, with a viewer key. */
  get wallUrl(): string {
    return `${this.service.url}/?token=${this.keys.viewer}`;
  }

  private get target() {
    return { url: this.service.url, key: this.keys.ingest };
  }

  /** Posts `total` events spread over the last HISTORY_DAYS (up to a minute ago). */
  async postHistory(total: number, onProgress?: Progress): Promise<void> {
    const from = Date.now() - HISTORY_DAYS * DAY_MS;
    await batchedIngest(this.target, this.stream, {
      total,
      batchSize: 1000,
      at: (i) => from + Math.floor((i / total) * (HISTORY_DAYS * DAY_MS - MINUTE_MS)),
      ...(onProgress ? { onProgress } : {}),
    });
  }

  /** Posts an event now and then, at LIVE_EVENTS_PER_SEC, until `close()`. */
  startLiveStream(): void {
    this.feeding = true;
    this.feeder = (async () => {
      while (this.feeding) {
        await batchedIngest(this.target, this.stream, {
          total: 1,
          batchSize: 1,
          at: () => Date.now() - 1000,
        });
        await new Promise((r) => setTimeout(r, 1000 / LIVE_EVENTS_PER_SEC));
      }
    })();
  }

  async launchBrowser(args: string[]): Promise<Browser> {
    this.browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args });
    return this.browser;
  }

  /** Stops the stream, the browser and the service, and drops the database. */
  async close(): Promise<void> {
    this.feeding = false;
    await this.feeder.catch(() => {});
    await this.browser?.close();
    await this.service.stop();
    await this.db.drop();
  }
}
