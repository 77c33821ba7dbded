// --stats-json is a promise of numbers: a path that cannot take them is said at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { freePort, streamerSync, tmpDir } from '../helpers/cli.js';

test('--stats-json to a path that cannot be written: one line on stderr, exit 1', async () => {
  const dir = tmpDir();
  const target = join(dir, 'missing', 'rx.jsonl');
  const port = await freePort();
  const r = streamerSync(['receive', '--headless', '--port', String(port), '--sink', 'null', '--stats-json', target, '--log-file', join(dir, 'log')], { cwd: dir });
  assert.equal(r.code, 1, r.stderr);
  // The log's own lines (a start line) may come first: the error is one line of its own, no stack.
  const errorLines = r.stderr.split('\n').filter((l) => l.startsWith('streamer:'));
  assert.deepEqual(errorLines, [`streamer: --stats-json ${target}: cannot write it (no such file or directory) — choose another path`], r.stderr);
  assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
});
