// The dashboard when the run fails or will not end: the user is told, in a real terminal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { WavReader } from '../../src/audio/wav/wav-reader.js';
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

test('dashboard: a second Ctrl-C while the shutdown hangs exits at once, the recording saved, and says what hung', async (t) => {
  if (!requireTool(t, 'tmux')) return;
  const dir = tmpDir();
  // A --stats-json FIFO nobody reads: closing it never finishes.
  assert.equal(spawnSync('mkfifo', [join(dir, 'stats.fifo')]).status, 0);
  const port = await freePort();
  const tx = `${process.execPath} ${BIN} send --port ${port} --source tone --record rec.wav --stats-json stats.fifo --log-file tx.log`;
  const term = terminal(t, dir, keepPane(tx, dir));
  await term.waitFor(/SENDER[\s\S]*REC 0:0[1-9]/, 'the sender screen, a second recorded');
  term.keys('q');
  assert.equal(await exitCode(dir, 1500), null, 'the shutdown hangs (the test needs it to)');
  term.keys('C-c');
  // 130: out the way an unhandled Ctrl-C goes; process.exit would wait for the thread stuck opening the FIFO.
  assert.equal(await exitCode(dir, 5000), '130', 'the second Ctrl-C ends it at once');
  assert.equal(term.format('#{alternate_on}'), '0', 'back on the main screen');
  assert.match(term.screen(), /^streamer: stopped without waiting for the --stats-json output to close \(asked to stop twice\)/m);
  const wav = WavReader.open(join(dir, 'rec.wav'));
  assert.ok(wav.totalFrames >= 44100, `${wav.totalFrames} frames recorded`);
  wav.close();
});
