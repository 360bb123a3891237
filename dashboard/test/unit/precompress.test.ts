import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { precompressDir } from '../../build/precompress.ts';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('precompression at build time', () => {
  it('writes .br and .gz beside every text asset worth it, and only those', async () => {
    dir = mkdtempSync(join(tmpdir(), 'dudao-precompress-'));
    mkdirSync(join(dir, 'assets'));
    const js = `console.log(${JSON.stringify('督导'.repeat(1000))});`;
    writeFileSync(join(dir, 'assets', 'index-abc.js'), js);
    writeFileSync(join(dir, 'assets', 'tiny-abc.css'), 'a{}');
    writeFileSync(join(dir, 'assets', 'logo-abc.png'), Buffer.alloc(4096));
    const done = await precompressDir(dir);
    expect(done.map((d) => d.file)).toEqual([join(dir, 'assets', 'index-abc.js')]);
    const base = join(dir, 'assets', 'index-abc.js');
    expect(brotliDecompressSync(readFileSync(`${base}.br`)).toString()).toBe(js);
    expect(gunzipSync(readFileSync(`${base}.gz`)).toString()).toBe(js);
    expect(done[0]!.br).toBeLessThan(done[0]!.bytes);
    for (const skipped of ['tiny-abc.css', 'logo-abc.png'])
      expect(existsSync(join(dir, 'assets', `${skipped}.gz`))).toBe(false);
  });
});
