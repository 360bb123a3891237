/**
 * The dashboard's files and the city map as a browser gets them: the precompressed copy it accepts
 * (brotli before gzip) with Content-Encoding and Vary, hashed assets cached for a year, index.html
 * revalidated, and the map's ETag answered with a 304.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../../testing/index.ts';

const JS = `export const wall = ${JSON.stringify('督导'.repeat(2000))};\n`;
const INDEX =
  '<!doctype html><html><head><script type="module" src="/assets/index-abc123.js"></script></head></html>';

let dir: string;
let svc: TestService;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dudao-dist-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), INDEX);
  const js = join(dir, 'assets', 'index-abc123.js');
  writeFileSync(js, JS);
  writeFileSync(`${js}.br`, brotliCompressSync(JS));
  writeFileSync(`${js}.gz`, gzipSync(JS));
  svc = await startTestService({ dashboardDir: dir });
});

afterAll(async () => {
  await svc?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A raw GET (fetch would decode the body and hide what was sent). */
function get(path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const req = httpRequest(`${svc.url}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const ASSET = '/assets/index-abc123.js';
const YEAR = 'public, max-age=31536000, immutable';

describe('the dashboard bundle', () => {
  it('is sent brotli-compressed when accepted, with Vary and a year of caching', async () => {
    const res = await get(ASSET, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers.vary).toMatch(/accept-encoding/i);
    expect(res.headers['cache-control']).toBe(YEAR);
    expect(res.body.length).toBeLessThan(Buffer.byteLength(JS) / 4);
    expect(brotliDecompressSync(res.body).toString()).toBe(JS);
  });

  it('is sent gzipped to a client that takes only gzip, and as is to one that takes nothing', async () => {
    const gz = await get(ASSET, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(JS);
    const plain = await get(ASSET);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/accept-encoding/i);
    expect(plain.headers['cache-control']).toBe(YEAR);
    expect(plain.body.toString()).toBe(JS);
  });

  it('index.html (at / and on a client-side route) is revalidated every time', async () => {
    for (const path of ['/?token=x', '/district/430211']) {
      const res = await get(path, { 'accept-encoding': 'br, gzip' });
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body.toString()).toBe(INDEX);
    }
  });
});

describe('the city map', () => {
  it('is compressed, carries an ETag, and a client that has it gets a 304 without a body', async () => {
    const auth = { authorization: `Bearer ${svc.keys.viewer}` };
    const first = await get('/api/v1/city/map', { ...auth, 'accept-encoding': 'br' });
    expect(first.status).toBe(200);
    expect(first.headers['content-encoding']).toBe('br');
    expect(first.headers['content-type']).toMatch(/application\/geo\+json/);
    expect(first.headers.vary).toMatch(/accept-encoding/i);
    const geojson = JSON.parse(brotliDecompressSync(first.body).toString()) as { type: string };
    expect(geojson.type).toBe('FeatureCollection');
    const etag = first.headers.etag!;
    expect(etag).toMatch(/^".+"$/);
    const again = await get('/api/v1/city/map', { ...auth, 'accept-encoding': 'br', 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    const gz = await get('/api/v1/city/map', { ...auth, 'accept-encoding': 'gzip' });
    expect(gz.headers.etag).toBe(etag);
    expect(JSON.parse(gunzipSync(gz.body).toString())).toEqual(geojson);
    expect((await get('/api/v1/city/map')).status).toBe(401);
  });
});
