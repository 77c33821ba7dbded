#!/usr/bin/env node
// `npm run bench`: runs every bench/*.bench.ts, one after the other (they
// measure CPU, so never two at once), then prints one summary table.
// Usage: node bench/run.mjs [name filter ...] [--seconds N] [other --flags passed to each bench]
//   npm run bench -- receive send          only the benches whose file name contains a filter
//   npm run bench -- --seconds 5           a quick look (also sets BENCH_SECONDS for every bench)
// A bench reports its headline with a line `summary: …` (else its last line is shown).
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..');
const argv = process.argv.slice(2);
const filters = [];
const passed = [];
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a.startsWith('--')) {
    passed.push(a);
    // A flag's value travels with it (--seconds 5), unless it is another flag or a bare switch.
    if (!a.includes('=') && argv[i + 1] !== undefined && !argv[i + 1].startsWith('--') && /^[\d.]+$/.test(argv[i + 1])) passed.push(argv[++i]);
  } else filters.push(a);
}
const env = { ...process.env, NO_COLOR: '1' };
const s = passed.indexOf('--seconds');
if (s >= 0 && passed[s + 1]) env.BENCH_SECONDS = passed[s + 1];

const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  process.stderr.write(`bench: no bench/*.bench.ts matches ${filters.join(', ')}\n`);
  process.exit(2);
}

function run(file) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, file), ...passed], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (b) => {
      out += b;
      process.stdout.write(b);
    });
    const stop = () => child.kill('SIGINT');
    process.on('SIGINT', stop);
    child.on('close', (code, signal) => {
      process.off('SIGINT', stop);
      const lines = out.split('\n').map((l) => l.trimEnd()).filter(Boolean);
      const summaries = lines.filter((l) => l.startsWith('summary: ')).map((l) => l.slice('summary: '.length));
      resolve({
        name: basename(file, '.bench.ts'),
        ok: code === 0,
        status: code === 0 ? 'ok' : signal ? `killed (${signal})` : `exit ${code}`,
        seconds: (Date.now() - started) / 1000,
        summary: summaries.length > 0 ? summaries.join(' | ') : (lines[lines.length - 1] ?? ''),
      });
    });
  });
}

process.stdout.write(`streamer benchmarks — ${new Date().toISOString()} — ${cpus()[0]?.model.trim() ?? 'unknown cpu'}, ${cpus().length} cores, node ${process.version}\n`);
process.stdout.write(`running: ${files.join(', ')}${passed.length ? ` with ${passed.join(' ')}` : ''}\n`);
const results = [];
for (const f of files) {
  process.stdout.write(`\n======== ${f} ========\n`);
  results.push(await run(f));
}

const rows = [['bench', 'status', 'time', 'result'], ...results.map((r) => [r.name, r.status, `${r.seconds.toFixed(0)} s`, r.summary])];
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
const line = (r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
process.stdout.write(`\n======== summary ========\n${line(rows[0])}\n${widths.map((w) => '-'.repeat(Math.min(w, 60))).join('  ')}\n${rows.slice(1).map(line).join('\n')}\n`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
