#!/usr/bin/env node
// Runs every __tests__/**/*.test.ts(x) with node's own test runner through tsx.
// Node 20 does not expand globs for --test, so the files are listed here.
// Usage: node scripts/run-tests.mjs [substring filter ...]
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (/\.test\.tsx?$/.test(name)) out.push(relative(root, p));
  }
  return out;
}
const filters = process.argv.slice(2);
const files = walk(join(root, '__tests__'))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error('run-tests: no test files matched');
  process.exit(1);
}
// Real-time tests share 2 cores: two files at a time keeps them honest.
const concurrency = process.env.STREAMER_TEST_CONCURRENCY ?? '2';
const tapFile = join(mkdtempSync(join(tmpdir(), 'streamer-tap-')), 'results.tap');
const r = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    `--test-concurrency=${concurrency}`,
    // A hung test fails after 5 minutes instead of holding CI until its deadline.
    '--test-timeout=300000',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tapFile}`,
    ...files,
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
);
// The plain closing line any CI can read, from the TAP copy of the results.
let tap = '';
try {
  tap = readFileSync(tapFile, 'utf8');
} catch {
  // No results file: the runner itself failed; its exit code says so.
}
const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tap)?.[1] ?? 0);
console.log(`\n${count('pass')} passed, ${count('fail') + count('cancelled')} failed, ${count('skipped')} skipped`);
process.exit(r.status ?? 1);
