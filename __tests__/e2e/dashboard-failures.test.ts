// The dashboard when the run fails or will not end: the user is told, in a real terminal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BIN, freePort, requireTool, streamer, tmpDir } from '../helpers/cli.js';
import { exitCode, keepPane, terminal } from '../helpers/terminal.js';

test('a failure after the dashboard started: the screen closes, then one line says what failed, exit 1', async (t) => {
  if (!requireTool(t, 'tmux')) return;
  const dir = tmpDir();
  const port = await freePort();
  // The sink's disk is full: the run ends at the first audio it writes.
  const rx = `${process.execPath} ${BIN} receive --port ${port} --sink file:/dev/full --log-file ${dir}/rx.log`;
  const term = terminal(t, dir, keepPane(rx, dir));
  await term.waitFor(/RECEIVER/, 'the receiver screen');
  const tx = streamer(['send', '--headless', '--port', String(port), '--source', 'tone', '--log-file', join(dir, 'tx.log')], { cwd: dir });
  t.after(() => tx.stop());
  assert.equal(await exitCode(dir, 20_000), '1');
  assert.equal(term.format('#{alternate_on}'), '0', 'back on the main screen');
  const lines = term.screen().split('\n').filter((l) => l.startsWith('streamer: '));
  assert.equal(lines.length, 1, term.screen());
  assert.match(lines[0]!, /^streamer: recording stopped: cannot write \/dev\/full: no space left on device — details in .*rx\.log$/);
});
