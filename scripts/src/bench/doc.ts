/**
 * Writes the measured table into docs/benchmarks.md between two markers, so the prose around it
 * (what each figure means, what was changed to get there, the limits) is kept by hand.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { markdownTable, type Row } from './report.ts';

const DOC_PATH = fileURLToPath(new URL('../../../docs/benchmarks.md', import.meta.url));
const BEGIN = '<!-- bench:begin (written by pnpm bench) -->';
const END = '<!-- bench:end -->';

export function writeBenchmarksDoc(
  rows: readonly Row[],
  run: { machine: string; minutes: number; wallMinutes: number },
): string {
  const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const block = [
    BEGIN,
    `Last run ${date} UTC on ${run.machine}; ${run.minutes.toFixed(1)} minutes end to end` +
      ` (wall heap over ${run.wallMinutes} min).`,
    '',
    markdownTable(rows),
    END,
  ].join('\n');
  let doc: string;
  try {
    doc = readFileSync(DOC_PATH, 'utf8');
  } catch {
    doc = `# Benchmarks\n\n${BEGIN}\n${END}\n`;
  }
  const at = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  doc =
    at === -1 || end === -1
      ? `${doc}\n${block}\n`
      : `${doc.slice(0, at)}${block}${doc.slice(end + END.length)}`;
  writeFileSync(DOC_PATH, doc);
  // The repository's lint checks formatting: align the new table the way prettier does.
  const prettier = join(
    dirname(createRequire(import.meta.url).resolve('prettier/package.json')),
    'bin/prettier.cjs',
  );
  spawnSync(process.execPath, [prettier, '--write', DOC_PATH], { stdio: 'ignore' });
  return DOC_PATH;
}
