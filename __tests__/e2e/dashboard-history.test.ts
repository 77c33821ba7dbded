// Issue 16 end to end: a receiver dashboard playing to the speaker of a
// private PulseAudio and a sender dashboard, each in its own real terminal
// (tmux), the sender losing 4 % and delaying packets by up to 20 ms on
// purpose. The receiver must draw its history and score the link below a
// clean one (a third, headless sender into a second receiver dashboard,
// running at the same time); the sender must show the RTT and
// the loss its receiver reports; `s` must write a replay WAV of 5 s or more.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { WavReader } from '../../src/audio/wav/wav-reader.js';
import { BIN, freePort, requireTool, streamer, tmpDir } from '../helpers/cli.js';
import { startPulse, type VirtualSound } from '../helpers/pulse.js';
import { exitCode, keepPane, terminal as sharedTerminal } from '../helpers/terminal.js';

const terminal = (t: TestContext, cwd: string, command: string, env: NodeJS.ProcessEnv = {}) => sharedTerminal(t, cwd, command, env, { join: false });

const mosOf = (screen: string): number => Number(/^MOS (\d\.\d) \(/m.exec(screen)?.[1] ?? NaN);
const uptimeOf = (screen: string): number => {
  const m = /running (\d+):(\d\d)/.exec(screen);
  return m ? Number(m[1]) * 60 + Number(m[2]) : -1;
};
const row = (screen: string, start: string): string => screen.split('\n').find((l) => l.startsWith(start)) ?? '';

/**
 * A receiver dashboard on the private speaker, writing --stats-json. Both runs play 200 ms behind: on a
 * loaded box the receiver's own event-loop stalls would make a clean link's packets late at 40 ms, and
 * the comparison is about the link, at the same delay.
 */
async function receiverDashboard(t: TestContext, vs: VirtualSound, dir: string, port: number, name: string) {
  const cmd = keepPane(`${process.execPath} ${BIN} receive --port ${port} --sink speaker --jitter-ms 200 --log-file ${dir}/${name}.log --stats-json ${dir}/${name}.jsonl`, dir);
  const term = terminal(t, dir, cmd, vs.env);
  await term.waitFor(/RECEIVER/, 'the receiver dashboard');
  return term;
}

test('history, causes and MOS on the receiver, the receiver’s reports on the sender, s saves a replay WAV', async (t) => {
  if (!requireTool(t, 'tmux') || !requireTool(t, 'pulseaudio') || !requireTool(t, 'parec')) return;
  const vs = await startPulse();
  t.after(() => vs.stop());

  // A clean link and the impaired one side by side, at the same time on the same box: only the link differs.
  const cleanDir = tmpDir();
  const cleanPort = await freePort();
  const clean = await receiverDashboard(t, vs, cleanDir, cleanPort, 'clean');
  const cleanTx = streamer(['send', '--headless', '--port', String(cleanPort), '--source', 'tone', '--log-file', join(cleanDir, 'tx.log')], { cwd: cleanDir });
  t.after(() => cleanTx.stop());

  // The impaired link: both ends on a dashboard.
  const dir = tmpDir();
  const port = await freePort();
  const rx = await receiverDashboard(t, vs, dir, port, 'rx');
  const heard = vs.record('spk');
  const txDir = tmpDir();
  const tx = terminal(
    t,
    txDir,
    keepPane(`${process.execPath} ${BIN} send --port ${port} --source tone --sim-loss 4 --sim-jitter 20 --log-file ${txDir}/tx.log`, txDir),
    vs.env,
  );
  tx.resize(80, 24);

  const shown = await rx.waitFor(
    (s) => uptimeOf(s) >= 10 && Number.isFinite(mosOf(s)) && /[▂▃▄▅▆▇█]/.test(row(s, 'loss %')),
    'the receiver’s charts and MOS after 10 s of the impaired link',
    40_000,
  );
  const mos = mosOf(shown);
  const cleanScreen = await clean.waitFor((s) => uptimeOf(s) >= 10 && Number.isFinite(mosOf(s)), 'a MOS on the clean link after 10 s', 20_000);
  const cleanMos = mosOf(cleanScreen);
  await cleanTx.stop();
  clean.keys('q');
  t.diagnostic(`MOS ${cleanMos} on the clean link, ${mos} at --sim-loss 4 --sim-jitter 20`);
  assert.ok(mos < cleanMos, `MOS ${mos} at 4 % loss and 20 ms jitter, ${cleanMos} on the clean link:\n${row(cleanScreen, 'MOS')}\n${row(shown, 'MOS')}`);
  assert.match(row(shown, 'loss %'), / max \d+(\.\d+)? %$/, 'the loss chart is scaled by its window’s max');
  for (const chart of ['jitter ', 'delay', 'concealed']) assert.match(row(shown, chart), /[▁-█]+.* max /, `the ${chart.trim()} chart`);
  assert.match(row(shown, 'delay'), /target 200 ms$/, 'playout delay against its target');
  assert.match(shown, /^MOS \d\.\d \(\w+\) {2}glitches [1-9]\d*: network [1-9]\d*/m, 'glitches by cause, the network’s share counted');
  assert.match(shown, /^jitter ms {2}0–1 /m, 'the jitter histogram');
  assert.match(shown, /^loss bursts: \d+ single loss/m, 'the burst-loss line');

  const sent = await tx.waitFor(/RTT \d+\.\d ms/, 'the sender showing the RTT from the receiver’s reports', 30_000);
  const loss = Number(/^loss (\d+\.\d) % +lost (\d+)/m.exec(sent)?.[1] ?? NaN);
  assert.ok(Number(/lost (\d+)/.exec(row(sent, 'loss '))?.[1] ?? 0) > 0, `the receiver's loss reported: ${row(sent, 'loss ')}`);
  assert.ok(Number.isFinite(loss), row(sent, 'loss '));
  const header = sent.split('\n')[0]!;
  assert.match(header, /^streamer +SENDER +running \d+:\d\d +UDP → 127\.0\.0\.1:\d+ +source tone 440 Hz/, 'the sender header is whole at 80×24');
  assert.ok(header.trimEnd().length <= 80 && !header.includes('…'), header);
  const txRows = sent.split('\n');
  assert.ok(txRows.findIndex((r) => r.startsWith('r record')) <= 22, 'the footer is inside the 80×24 frame');

  rx.keys('s');
  const saved = await rx.waitFor(/replay saved: replay_\d{8}_\d{6}\.wav +\d+\.\d s/, 'the replay saved', 20_000);
  const line = /replay saved: (replay_\d{8}_\d{6}\.wav) +(\d+\.\d) s +\S+ \S+ +in (\S+)/.exec(saved)!;
  assert.equal(line[3], 'Recording/');
  const wavs = readdirSync(join(dir, 'Recording')).filter((f) => f.startsWith('replay_'));
  assert.deepEqual(wavs, [line[1]]);
  const wav = WavReader.open(join(dir, 'Recording', wavs[0]!));
  const seconds = wav.totalFrames / wav.format.rate;
  wav.close();
  assert.ok(seconds >= 5, `${seconds.toFixed(2)} s in the replay`);
  assert.ok(Math.abs(seconds - Number(line[2])) < 0.15, `the screen said ${line[2]} s, the file holds ${seconds.toFixed(2)} s`);

  // r keeps working beside s.
  rx.keys('r');
  await rx.waitFor(/● REC 0:0[1-9]/, 'a recording running beside the replay');
  rx.keys('r');
  await rx.waitFor(/recording saved: Recording\/\S+\.wav/, 'the recording saved');

  tx.keys('q');
  rx.keys('q');
  assert.equal(await exitCode(dir, 20_000), '0', 'the receiver exits 0');
  assert.equal(await exitCode(txDir, 20_000), '0', 'the sender exits 0');
  assert.equal(await exitCode(cleanDir, 20_000), '0', 'the clean receiver exits 0');
  const played = await heard.stop();
  assert.ok(played.some((v) => Math.abs(v) > 3000), 'the virtual speaker played the tone');
});
