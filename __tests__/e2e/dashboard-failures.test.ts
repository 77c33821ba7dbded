// The dashboard when the run fails or will not end: the user is told, in a real terminal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
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

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// Closing the terminal (tmux killed, a window closed, ssh dropped): SIGHUP, and every write to the
// screen fails from then on. The dashboard's failure handler used to re-enter on its own failing
// writes in nextTick, never reached the timer that ends the process, and spun at half a core,
// growing by megabytes a second (seen at 4 GB). Racy, so three runs.
for (const [i, role] of (['send', 'send', 'receive'] as const).entries()) {
  test(`dashboard: its terminal closed under it, the ${role === 'send' ? 'sender' : 'receiver'} ends (run ${i + 1})`, async (t) => {
    if (!requireTool(t, 'tmux')) return;
    const dir = tmpDir();
    const port = await freePort();
    const args = role === 'send' ? `send --port ${port} --source tone` : `receive --port ${port} --sink null`;
    const term = terminal(t, dir, `${process.execPath} ${BIN} ${args} --log-file ${dir}/app.log`);
    await term.waitFor(role === 'send' ? /SENDER/ : /RECEIVER/, 'the screen');
    const pid = Number(term.format('#{pane_pid}'));
    assert.ok(pid > 0 && alive(pid), `pane pid ${pid}`);
    t.after(() => {
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    });
    term.close();
    const until = Date.now() + 15_000;
    while (alive(pid) && Date.now() < until) await sleep(100);
    assert.equal(alive(pid), false, 'still running 15 s after its terminal closed');
    // Whichever it heard first: the hang-up, or its screen's writes failing.
    assert.match(readFileSync(join(dir, 'app.log'), 'utf8'), /"msg":"exit: (stopped by SIGHUP|the terminal went away)/);
  });
}
