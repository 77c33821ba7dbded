// The speaker's start-up and the end of a session with devices, end to end:
// the built CLI on a private PulseAudio (../helpers/pulse.ts), parec on the
// null sink's monitor to hear what really plays.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { BIN, freePort, readJsonLines, requireTool, sleep, streamer, tmpDir, type Running } from '../helpers/cli.js';
import { startPulse, type VirtualSound } from '../helpers/pulse.js';

const RATE = 44100;
const BLOCK = RATE / 100; // 10 ms

async function withPulse(t: TestContext, body: (vs: VirtualSound) => Promise<void>): Promise<void> {
  if (!requireTool(t, 'pulseaudio') || !requireTool(t, 'pactl') || !requireTool(t, 'parec')) return;
  const vs = await startPulse();
  try {
    // A server just started takes up to 2 s to start its first streams: that is its start-up, not ours.
    await sleep(2500);
    await body(vs);
  } finally {
    await vs.stop();
  }
}

function run(t: TestContext, args: string[], env: NodeJS.ProcessEnv, cwd: string): Running {
  const r = streamer(args, { env, cwd });
  t.after(() => r.stop('SIGKILL'));
  return r;
}

/** Runs of sounding 10 ms blocks, in blocks (a single silent block ends a run). */
function soundingRuns(pcm: Int16Array): number[] {
  const runs: number[] = [];
  let len = 0;
  for (let i = 0; i + BLOCK <= pcm.length; i += BLOCK) {
    let peak = 0;
    for (let j = i; j < i + BLOCK; j++) peak = Math.max(peak, Math.abs(pcm[j]!));
    if (peak > 1000) len++;
    else if (len > 0) {
      runs.push(len);
      len = 0;
    }
  }
  if (len > 0) runs.push(len);
  return runs;
}

/** The runs of sound, and the blocks from the first sounding one to the last (gaps included). */
function sounding(pcm: Int16Array): { runs: number[]; spanBlocks: number } {
  const runs = soundingRuns(pcm);
  let first = -1;
  let last = -1;
  for (let b = 0; (b + 1) * BLOCK <= pcm.length; b++) {
    let peak = 0;
    for (let j = b * BLOCK; j < (b + 1) * BLOCK; j++) peak = Math.max(peak, Math.abs(pcm[j]!));
    if (peak > 1000) {
      if (first < 0) first = b;
      last = b;
    }
  }
  return { runs, spanBlocks: first < 0 ? 0 : last - first + 1 };
}

test('a sound server slow to start the stream: no false "unavailable", the speaker line once it plays, a silent meter until then', async (t) => {
  await withPulse(t, async (vs) => {
    const dir = tmpDir();
    const port = String(await freePort());
    const common = ['--headless', '--port', port];
    const stats = join(dir, 'rx.jsonl');
    vs.suspend('spk', true); // streams on it take nothing until resumed
    const rx = run(t, ['receive', ...common, '--sink', 'speaker', '--stats-json', stats, '--log-file', join(dir, 'rx.log')], vs.env, dir);
    await rx.waitFor('listening on', 20_000);
    const tx = run(t, ['send', ...common, '--source', 'tone', '--duration', '7', '--log-file', join(dir, 'tx.log')], vs.env, dir);
    await rx.waitFor('receiving from', 20_000);
    await sleep(3000); // past the old 1 s verdict, inside the 5 s start-up grace
    const before = rx.stderr();
    const statsBefore = readJsonLines(stats).slice(1); // whole seconds after the first packet
    vs.suspend('spk', false);
    await rx.waitFor('speaker: device', 10_000);
    const rec = vs.record('spk');
    await sleep(1500);
    const heard = await rec.stop();
    assert.equal((await tx.exited).code, 0, tx.stderr());
    assert.equal((await rx.stop()).code, 0, rx.stderr());

    assert.doesNotMatch(rx.stderr(), /speaker unavailable/);
    assert.doesNotMatch(before, /speaker: device/, 'the speaker is not announced while it plays nothing');
    assert.ok(statsBefore.length >= 2, `stats lines while suspended: ${statsBefore.length}`);
    for (const l of statsBefore) assert.ok(Number(l.peakDbfs) <= -100, `meter while nothing played: ${statsBefore.map((s) => s.peakDbfs).join(' ')} dBFS`);
    const runs = soundingRuns(heard);
    assert.ok(Math.max(0, ...runs) >= 100, `the tone plays once the server does: runs of 10 ms ${runs.join(' ')}`);
  });
});

// Each start on its own recording and stats. A start-up must keep the whole
// playout delay (a receiver stalled by forking its audio worker once played
// it away in the pre-roll, and the first late packet was a gap ~0.65 s in).
// The box's own stalls (2 shared cores) can still starve the device: such a
// gap must be one the receiver counted (underruns, late, concealed), never a
// silent one.
test('20 speaker start-ups: the tone is heard within ~1 s (1.5 s on a loaded box) of the first packet with the whole playout delay, no gap the receiver did not count, and never a false "unavailable"', async (t) => {
  await withPulse(t, async (vs) => {
    const STARTS = 20;
    const SECONDS = 2;
    const TARGET_MS = 40; // the default --jitter-ms
    const failures: string[] = [];
    const startupsMs: number[] = [];
    const delaysMs: number[] = [];
    const counted: string[] = [];
    for (let i = 0; i < STARTS; i++) {
      const dir = tmpDir();
      const port = String(await freePort());
      const common = ['--headless', '--port', port];
      const stats = join(dir, 'rx.jsonl');
      const rec = vs.record('spk');
      const rx = run(t, ['receive', ...common, '--sink', 'speaker', '--stats-json', stats, '--log-file', join(dir, 'rx.log')], vs.env, dir);
      await rx.waitFor('listening on', 20_000);
      const tx = run(t, ['send', ...common, '--source', 'tone', '--duration', String(SECONDS), '--log-file', join(dir, 'tx.log')], vs.env, dir);
      assert.equal((await tx.exited).code, 0, tx.stderr());
      await sleep(300); // the buffer plays out
      assert.equal((await rx.stop()).code, 0, rx.stderr());
      const heard = sounding(await rec.stop());
      if (/speaker unavailable/.test(rx.stderr()) || !/speaker: device/.test(rx.stderr())) failures.push(`start ${i}:\n${rx.stderr()}`);
      const lines = readJsonLines(stats);
      const final = lines.find((l) => l.final === true)!;
      // The first second that played: its median delay, before any stall of the box could move it.
      delaysMs.push(Number(lines.find((l) => l.final !== true && Number(l.bufferMs) > 0)?.bufferMs ?? 0));
      // What start-up costs is what is missing from the tone's 2 s, up to its first sound.
      startupsMs.push(SECONDS * 1000 - heard.spanBlocks * 10);
      const reported = Number(final.underruns) + Number(final.late) + Number(final.concealedMs);
      if (heard.runs.length !== 1) {
        const line = `start ${i}: runs of 10 ms ${heard.runs.join(' ')}; underruns ${String(final.underruns)}, late ${String(final.late)}, concealed ${String(final.concealedMs)} ms`;
        if (reported > 0) counted.push(line);
        else failures.push(`${line}: a gap nobody counted`);
      }
    }
    t.diagnostic(`start-up per run (ms): ${startupsMs.join(' ')}`);
    t.diagnostic(`playout delay in the first second (ms): ${delaysMs.join(' ')}`);
    if (counted.length > 0) t.diagnostic(`gaps the receiver counted (a stall of the box): ${counted.join('; ')}`);
    assert.deepEqual(failures, []);
    for (const ms of startupsMs) assert.ok(ms <= 1500, `start-up per run (ms): ${startupsMs.join(' ')}`);
    // Within one 10 ms packet of the target (arrivals and pulls are out of phase; CI has
    // seen 30.0 and 50.1): a start that played its delay away kept 10-30 ms (15-20 typically).
    for (const ms of delaysMs) assert.ok(ms >= TARGET_MS - 10, `playout delay in the first second (ms): ${delaysMs.join(' ')}`);
  });
});

test('Ctrl-C (SIGINT to the whole process group) ends a demo on devices cleanly: the audio workers do not die first', async (t) => {
  await withPulse(t, async (vs) => {
    const dir = tmpDir();
    const port = String(await freePort());
    // Its own process group, as a shell gives a foreground job; the signal goes to the group.
    const demo = spawn(process.execPath, [BIN, 'demo', '--port', port, '--log-file', join(dir, 'demo.log')], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1', ...vs.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    t.after(() => {
      if (demo.exitCode === null && demo.signalCode === null) process.kill(-demo.pid!, 'SIGKILL');
    });
    let err = '';
    demo.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => demo.on('exit', (code, signal) => r({ code, signal })));
    for (let i = 0; i < 200 && !(/microphone: device/.test(err) && /speaker: device/.test(err)); i++) await sleep(100);
    assert.match(err, /speaker: device/);
    await sleep(500);
    process.kill(-demo.pid!, 'SIGINT');
    const { code } = await exited;
    assert.equal(code, 0, err);
    assert.doesNotMatch(err, /unavailable/);
    assert.doesNotMatch(err, /audio worker died/);
  });
});
