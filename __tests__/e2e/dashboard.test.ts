// The dashboard in a real terminal: tmux runs the built CLI in a 100×30 pane,
// send-keys types, capture-pane reads the screen. Audio goes to the real
// speaker sink on a private PulseAudio (../helpers/pulse.ts).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WavReader } from '../../src/audio/wav/wav-reader.js';
import { BIN, finalStats, freePort, requireTool, sleep, streamer, streamerSync, tmpDir } from '../helpers/cli.js';
import { startPulse } from '../helpers/pulse.js';
import { terminal as sharedTerminal } from '../helpers/terminal.js';
import { zeroCrossingHz } from '../helpers/signal.js';

/** A tmux server of our own (-L), so nothing of anyone else's is touched; rows read exactly as drawn. */
const terminal = (t: TestContext, cwd: string, command: string, env: NodeJS.ProcessEnv = {}) => sharedTerminal(t, cwd, command, env, { join: false });

/** What must never reach the dashboard's screen: JSON, headless log lines, error lines. */
const STRAY = /^\s*\{"|^\d\d:\d\d:\d\d\.\d{3} |^streamer: /m;

function packets(screen: string): number {
  return Number(/packets (\d+)/.exec(screen)?.[1] ?? -1);
}

test('tui: pick receive and TCP on the launch screen, numbers move, r twice records a WAV, q exits 0', async (t) => {
  if (!requireTool(t, 'tmux') || !requireTool(t, 'pulseaudio') || !requireTool(t, 'parec')) return;
  const vs = await startPulse();
  t.after(() => vs.stop());
  const dir = tmpDir();
  const port = await freePort();
  const cmd = `sh -c '${process.execPath} ${BIN} tui --port ${port} --sink speaker --jitter-ms 200 --log-file ${dir}/rx.log --stats-json ${dir}/rx.jsonl; echo $? > ${dir}/code; sleep 120'`; // the pane stays, to be looked at
  const term = terminal(t, dir, cmd, vs.env);

  await term.waitFor(/LAUNCH/, 'the launch screen');
  term.keys('r');
  await term.waitFor(/› Mode[\s\S]*Sink/, 'the receiver form');
  term.keys('Down');
  await term.waitFor(/› Protocol/, 'focus on the protocol');
  term.keys('t');
  await sleep(300);
  term.keys('Enter');
  const first = await term.waitFor(/RECEIVER +\S.*TCP 0\.0\.0\.0:\d+/, 'the receiver screen over TCP');
  assert.match(first.split('\n')[0]!, /^streamer /, 'the header is on the first row: nothing scrolled the frame');
  assert.equal(term.format('#{alternate_on}'), '1', 'the dashboard draws on the alternate screen');

  const heard = vs.record('spk');
  const tx = streamer(['send', '--headless', '--protocol', 'tcp', '--port', String(port), '--source', 'tone', '--log-file', join(dir, 'tx.log')], { cwd: dir });
  t.after(() => tx.stop());
  const a = await term.waitFor(/packets [1-9]\d*/, 'packets counted');
  const b = await term.waitFor(new RegExp(`packets (?!${packets(a)}\\b)\\d+`), 'the packet count moving');
  assert.ok(packets(b) > packets(a), `${packets(a)} → ${packets(b)}`);
  await term.waitFor(/^peak .*█+.* -6\.0 dBFS/m, 'the output meter at the tone’s -6 dBFS peak');
  await term.waitFor(/Network: 127\.0\.0\.1:\d+, L16 44100 Hz mono/, 'the peer and the stream format');

  term.keys('r');
  await term.waitFor(/● REC 0:0[1-9]/, 'a recording a second long');
  term.keys('r');
  await term.waitFor(/recording saved: Recording\/\S+\.wav/, 'the recording saved');
  term.keys('q');
  const deadline = Date.now() + 20_000;
  while (!existsSync(join(dir, 'code')) && Date.now() < deadline) await sleep(200);
  const played = await heard.stop();
  assert.equal(readFileSync(join(dir, 'code'), 'utf8').trim(), '0', 'q exits 0');

  const wavs = readdirSync(join(dir, 'Recording'));
  assert.equal(wavs.length, 1, wavs.join(' '));
  const wav = WavReader.open(join(dir, 'Recording', wavs[0]!));
  assert.deepEqual(wav.format, { rate: 44100, channels: 1 });
  assert.ok(wav.totalFrames >= 44100, `${wav.totalFrames} frames recorded`);
  const pcm = wav.read(wav.totalFrames) ?? new Int16Array(0);
  wav.close();
  assert.ok(Math.abs(zeroCrossingHz(pcm, 44100) - 440) < 3, 'the recording holds the 440 Hz tone');
  assert.ok(played.some((v) => Math.abs(v) > 3000), 'the virtual speaker played the tone');
  assert.equal(finalStats(join(dir, 'rx.jsonl')).final, true, 'the final --stats-json line was written');

  for (const s of term.screens) assert.doesNotMatch(s, STRAY, `stray output on the screen:\n${s}`);
});

test('send on a terminal opens the dashboard; SIGTERM leaves the alternate screen and exits 0', async (t) => {
  if (!requireTool(t, 'tmux')) return;
  const dir = tmpDir();
  const port = await freePort();
  const term = terminal(t, dir, `sh -c '${process.execPath} ${BIN} send --protocol tcp --port ${port} --source tone --log-file ${dir}/tx.log; echo $? > ${dir}/code; sleep 120'`);
  const s = await term.waitFor(/SENDER[\s\S]*(connecting|retrying)/, 'the sender screen, connecting');
  assert.match(s, /r record +t timed rec +s replay +l log level: info +\? help +q\/\^C quit/);
  assert.equal(term.format('#{alternate_on}'), '1');
  term.resize(80, 24);
  // Shrinking pushes the top of the old 29-row frame off the screen; the redraw must bring the header back.
  const fitted = (scr: string): boolean => {
    const rows = scr.split('\n');
    const footer = rows.findIndex((r) => r.startsWith('r record'));
    return /^streamer +SENDER/.test(rows[0]!) && footer >= 0 && footer <= 22;
  };
  const small = await term.waitFor(fitted, 'the frame redrawn for 80×24, header on top, one row to spare');
  assert.equal(small.split('\n').filter((r) => r.startsWith('streamer ')).length, 1, 'no leftover of the larger frame');
  const node = spawnSync('pgrep', ['-P', term.format('#{pane_pid}')], { encoding: 'utf8' }).stdout.trim().split('\n')[0];
  assert.ok(node, 'the wrapper shell runs node as its child');
  process.kill(Number(node), 'SIGTERM');
  const deadline = Date.now() + 15_000;
  while (!existsSync(join(dir, 'code')) && Date.now() < deadline) await sleep(200);
  assert.equal(readFileSync(join(dir, 'code'), 'utf8').trim(), '0', 'SIGTERM is a normal end');
  assert.equal(term.format('#{alternate_on}'), '0', 'back on the main screen');
  assert.equal(term.format('#{cursor_flag}'), '1', 'cursor visible again');
  for (const scr of term.screens) assert.doesNotMatch(scr, STRAY);
});

test('tui --mode receive --protocol tcp goes straight to the receiver screen; q exits 0', async (t) => {
  if (!requireTool(t, 'tmux')) return;
  const dir = tmpDir();
  const port = await freePort();
  const term = terminal(t, dir, `sh -c '${process.execPath} ${BIN} tui --mode receive --protocol tcp --port ${port} --sink null --log-file ${dir}/rx.log; echo $? > ${dir}/code; sleep 120'`);
  const s = await term.waitFor(/RECEIVER.*TCP 0\.0\.0\.0:\d+/, 'the receiver screen');
  assert.doesNotMatch(s, /LAUNCH/);
  term.keys('q');
  const deadline = Date.now() + 15_000;
  while (!existsSync(join(dir, 'code')) && Date.now() < deadline) await sleep(200);
  assert.equal(readFileSync(join(dir, 'code'), 'utf8').trim(), '0');
});

test('a level that moves: the meter is redrawn in place on its own rows, before and after a resize', async (t) => {
  if (!requireTool(t, 'tmux') || !requireTool(t, 'sox')) return;
  const dir = tmpDir();
  const port = await freePort();
  // A 440 Hz tone whose level swings (tremolo 0.3 Hz, 95 % deep): the meter changes at every look.
  const wav = join(dir, 'swing.wav');
  const made = spawnSync('sox', ['-n', '-r', '44100', '-c', '1', '-b', '16', wav, 'synth', '20', 'sine', '440', 'tremolo', '0.3', '95'], { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  const term = terminal(t, dir, `sh -c '${process.execPath} ${BIN} receive --port ${port} --sink null --log-file ${dir}/rx.log; echo $? > ${dir}/code; sleep 120'`);
  await term.waitFor(/RECEIVER/, 'the receiver screen');
  const tx = streamer(['send', '--headless', '--port', String(port), '--source', `file:${wav}`, '--log-file', join(dir, 'tx.log')], { cwd: dir });
  t.after(() => tx.stop());
  await term.waitFor(/^peak .* -\d+\.\d dBFS/m, 'the meter showing the stream');
  /** The meter's rows where the layout puts them: under the header (and its rule), above the network rule; compact has no rule over it and no scale. */
  const meterAt = (scr: string, columns: number, compact: boolean): string => {
    const rows = scr.split('\n');
    assert.match(rows[0]!, /^streamer +RECEIVER/, 'the header on the first row');
    const top = compact ? 1 : 2;
    if (!compact) assert.match(rows[1]!, /^── Output level ─/);
    assert.match(rows[top]!, /^peak [█·│]+ +(-\d+\.\d|-inf) dBFS$/, `the peak row: ${rows[top]}`);
    assert.match(rows[top + 1]!, /^rms  [█·]+ +(-\d+\.\d|-inf) dBFS$/, `the RMS row: ${rows[top + 1]}`);
    if (!compact) assert.match(rows[top + 2]!, /^ +-60 .* 0  hold /, `the scale row: ${rows[top + 2]}`);
    assert.match(rows[compact ? top + 2 : top + 3]!, /^── Network: /, 'the rule under the meter');
    assert.equal(rows.filter((r) => r.startsWith('peak ')).length, 1, 'one peak row on the screen');
    for (const r of rows.slice(top, top + 2)) assert.equal(Array.from(r).length, columns, `a meter row ${columns} columns wide: ${r}`);
    return /(-\d+\.\d|-inf) dBFS$/.exec(rows[top]!)![1]!;
  };
  const figures = new Set<string>();
  for (let i = 0; i < 12; i++) {
    figures.add(meterAt(term.screen(), 100, false));
    await sleep(250);
  }
  assert.ok(figures.size >= 4, `the peak figure moves between looks: ${[...figures].join(' ')}`);
  term.resize(80, 24);
  await term.waitFor((scr) => /^streamer +RECEIVER/.test(scr.split('\n')[0] ?? '') && scr.split('\n').length <= 25 && /^peak .{60,75} dBFS$/m.test(scr), 'the frame redrawn at 80 columns');
  figures.clear();
  for (let i = 0; i < 8; i++) {
    figures.add(meterAt(term.screen(), 80, true)); // 24 rows: the compact layout
    await sleep(250);
  }
  assert.ok(figures.size >= 3, `still moving after the resize: ${[...figures].join(' ')}`);
  for (const scr of term.screens) assert.doesNotMatch(scr, STRAY);
  term.keys('q');
  const deadline = Date.now() + 15_000;
  while (!existsSync(join(dir, 'code')) && Date.now() < deadline) await sleep(200);
  assert.equal(readFileSync(join(dir, 'code'), 'utf8').trim(), '0');
});

test('tui without a terminal needs --mode: one line, exit 2', () => {
  const r = streamerSync(['tui', '--port', '1']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^streamer: streamer tui needs a terminal for its launch screen: give --mode send\|receive to run without one$/m);
});
