// Real audio devices, end to end: the built CLI on a private PulseAudio with
// a virtual microphone and speaker (see ../helpers/pulse.ts).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { WavReader } from '../../src/audio/wav/wav-reader.js';
import { finalStats, freePort, readJsonLines, requireTool, sleep, streamer, tmpDir, type Running } from '../helpers/cli.js';
import { startPulse, type VirtualSound } from '../helpers/pulse.js';
import { zeroCrossingHz } from '../helpers/signal.js';

const RATE = 44100;
/** What PortAudio and ALSA print on their own; none of it may reach our stderr. */
const CHATTER = /PortAudio V19|ALSA lib|Expression '|device name is|Finishing (in|out)put/;

async function withPulse(t: TestContext, body: (vs: VirtualSound) => Promise<void>): Promise<void> {
  if (!requireTool(t, 'pulseaudio') || !requireTool(t, 'pacat') || !requireTool(t, 'parec')) return;
  const vs = await startPulse();
  try {
    await body(vs);
  } finally {
    await vs.stop();
  }
}

/** An env in which PortAudio sees no device at all (ALSA routed to a sound server that is not there). */
function noDeviceEnv(): NodeJS.ProcessEnv {
  const dir = tmpDir();
  spawnSync('sh', ['-c', `printf 'pcm.!default { type pulse }\\nctl.!default { type pulse }\\n' > ${dir}/asound.conf`]);
  return { PULSE_SERVER: `unix:${dir}/nobody-home`, ALSA_CONFIG_PATH: join(dir, 'asound.conf') };
}

/** Frequencies of the 100 ms stretches that carry sound (silence and dropouts left out). */
function toneStretches(pcm: Int16Array): number[] {
  const n = RATE / 10;
  const out: number[] = [];
  for (let i = 0; i + n <= pcm.length; i += n) {
    const s = pcm.subarray(i, i + n);
    let peak = 0;
    for (const v of s) peak = Math.max(peak, Math.abs(v));
    if (peak > 3000) out.push(zeroCrossingHz(s, RATE));
  }
  return out;
}

function assertHeard440(pcm: Int16Array, minStretches: number): void {
  const hz = toneStretches(pcm);
  const at440 = hz.filter((f) => Math.abs(f - 440) <= 10).length;
  assert.ok(at440 >= minStretches, `${at440} stretches of 100 ms at 440 Hz (want ≥ ${minStretches}); heard ${hz.map(Math.round).join(' ')}`);
}

/** The CLI, killed when the test ends however it ends (a failed wait must not leave it running). */
function run(t: TestContext, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Running {
  const r = streamer(args, opts);
  t.after(() => r.stop('SIGKILL'));
  return r;
}

function lastReceived(file: string): number {
  const lines = readJsonLines(file);
  return Number(lines.at(-1)?.received ?? 0);
}

test('streamer devices lists the virtual devices and marks the defaults', async (t) => {
  await withPulse(t, async (vs) => {
    const r = run(t, ['devices'], { env: vs.env });
    const { code } = await r.exited;
    assert.equal(code, 0, r.stderr());
    assert.match(r.stdout(), /^\s+\d+\s+spk\s+ALSA\s+\d+\s+\d+\s+44100\s*$/m);
    assert.match(r.stdout(), /^\s+\d+\s+mic\s+ALSA\s+\d+\s+\d+\s+44100\s*$/m);
    assert.match(r.stdout(), /^\*\s+\d+\s+default\s+ALSA\s+\d+\s+\d+\s+44100\s+default input, output$/m);
    assert.doesNotMatch(r.stdout() + r.stderr(), CHATTER);
    const json = run(t, ['devices', '--json'], { env: vs.env });
    await json.exited;
    const list = JSON.parse(json.stdout()) as { devices: { name: string }[]; defaultInput: number };
    assert.deepEqual(list.devices.map((d) => d.name).sort(), ['default', 'mic', 'spk']);
  });
});

test('a --device that does not exist is one clear line and exit 1', async (t) => {
  await withPulse(t, async (vs) => {
    const port = String(await freePort());
    for (const args of [['send', '--source', 'mic'], ['receive', '--sink', 'speaker']]) {
      const r = run(t, [...args, '--headless', '--port', port, '--device', '999'], { env: vs.env });
      const { code } = await r.exited;
      assert.equal(code, 1, r.stderr());
      assert.match(r.stderr(), /^streamer: device 999: no audio device 999 \(ids are 0–2\) — see `streamer devices` for the --device ids$/m);
    }
  });
});

test('a 440 Hz tone played into the virtual microphone is heard at the virtual speaker', async (t) => {
  await withPulse(t, async (vs) => {
    const dir = tmpDir();
    const port = String(await freePort());
    const common = ['--headless', '--port', port];
    vs.playTone(440, 30);
    const rx = run(t, ['receive', ...common, '--sink', 'speaker', '--jitter-ms', '200', '--log-file', join(dir, 'rx.log')], { env: vs.env, cwd: dir });
    await rx.waitFor('listening on', 20_000);
    const rec = vs.record('spk');
    const tx = run(t, ['send', ...common, '--source', 'mic', '--duration', '6', '--log-file', join(dir, 'tx.log')], { env: vs.env, cwd: dir });
    assert.equal((await tx.exited).code, 0, tx.stderr());
    await sleep(500);
    assert.equal((await rx.stop()).code, 0, rx.stderr());
    const heard = await rec.stop();
    assert.match(tx.stderr(), /microphone: device \d+ "default" \(ALSA\), L16 44100 Hz mono/);
    assert.match(rx.stderr(), /speaker: device \d+ "default" \(ALSA\), L16 44100 Hz mono/);
    assertHeard440(heard, 10); // of ~60: dropouts on a loaded box spoil a stretch, a garbled stream spoils them all
    assert.doesNotMatch(tx.stderr() + rx.stderr(), CHATTER);
  });
});

test('the device taking over at start-up leaves a 40 ms jitter buffer on its target (its queue starts as silence, not as 30 ms taken from the buffer)', async (t) => {
  await withPulse(t, async (vs) => {
    const dir = tmpDir();
    const port = String(await freePort());
    const common = ['--headless', '--port', port];
    const stats = join(dir, 'rx.jsonl');
    const rx = run(t, ['receive', ...common, '--sink', 'speaker', '--jitter-ms', '40', '--stats-json', stats, '--log-file', join(dir, 'rx.log')], { env: vs.env, cwd: dir });
    await rx.waitFor('listening on', 20_000);
    const tx = run(t, ['send', ...common, '--source', 'tone', '--duration', '6', '--log-file', join(dir, 'tx.log')], { env: vs.env, cwd: dir });
    assert.equal((await tx.exited).code, 0, tx.stderr());
    await sleep(300);
    assert.equal((await rx.stop()).code, 0, rx.stderr());
    // Seconds 2 … 5 (the device has taken over; the sender has not stopped yet).
    // Counted from the stream's first second: a loaded box may start the sender a second or
    // two after the receiver's first stats line (CI once saw `0 40.1 40.1 …`).
    const flowing = readJsonLines(stats).filter((l) => Number(l.received) > 0);
    const mid = flowing.slice(1, -1).map((l) => Number(l.bufferMs));
    assert.ok(mid.length >= 3, `stats lines: ${mid.join(' ')}`);
    // Filling the device's 40 ms queue from the jitter buffer at the hand-over used to leave
    // it at 5–15 ms for good (a late packet away from an underrun on a real link); a loaded
    // box moves it a few ms either way.
    for (const b of mid) assert.ok(Math.abs(b - 40) <= 15, `bufferMs per second: ${mid.join(' ')} (target 40)`);
  });
});

test('losing the sound server: one clear line each side, packets still counted, the stream resumes when it is back', async (t) => {
  await withPulse(t, async (vs) => {
    const dir = tmpDir();
    const port = String(await freePort());
    const common = ['--headless', '--port', port];
    vs.playTone(440, 60);
    const rx = run(t, ['receive', ...common, '--sink', 'speaker', '--jitter-ms', '200', '--stats-json', join(dir, 'rx.jsonl'), '--log-file', join(dir, 'rx.log')], { env: vs.env, cwd: dir });
    await rx.waitFor('listening on', 20_000);
    const tx = run(t, ['send', ...common, '--source', 'mic', '--log-file', join(dir, 'tx.log')], { env: vs.env, cwd: dir });
    await tx.waitFor('microphone: device', 20_000);
    await rx.waitFor('speaker: device', 20_000);
    await sleep(1500);

    await vs.kill();
    await tx.waitFor(/microphone unavailable: .* — see `streamer devices`, or use --source tone; retrying/, 20_000);
    await rx.waitFor(/speaker unavailable: .* — see `streamer devices`, or use --sink null; retrying/, 20_000);
    await sleep(1500); // a stats line or two into the outage
    const during = lastReceived(join(dir, 'rx.jsonl'));
    await sleep(2000);
    assert.ok(lastReceived(join(dir, 'rx.jsonl')) >= during + 100, 'the sender sends (silence) and the receiver counts while the devices are gone');

    await vs.restart();
    vs.playTone(440, 60);
    await tx.waitFor('microphone back: device', 30_000);
    await rx.waitFor('speaker back: device', 30_000);
    await sleep(2000); // both device clocks settle (the speaker takes over once the device runs at its pace)
    const rec = vs.record('spk');
    await sleep(5000); // a loaded 2-core box can take seconds to get parec and the device going again
    const heard = await rec.stop();

    assert.equal((await tx.stop()).code, 0, tx.stderr());
    assert.equal((await rx.stop()).code, 0, rx.stderr());
    assertHeard440(heard, 6);
    assert.equal(tx.stderr().match(/microphone unavailable/g)?.length, 1, tx.stderr());
    assert.equal(rx.stderr().match(/speaker unavailable/g)?.length, 1, rx.stderr());
    assert.doesNotMatch(tx.stderr() + rx.stderr(), CHATTER);
  });
});

test('a crashed audio worker is restarted and the recording runs on', async (t) => {
  await withPulse(t, async (vs) => {
    if (!requireTool(t, 'pgrep')) return;
    const dir = tmpDir();
    const port = String(await freePort());
    const common = ['--headless', '--port', port];
    const wav = join(dir, 'rx.wav');
    const rx = run(t, ['receive', ...common, '--sink', 'speaker', '--jitter-ms', '200', '--record', wav, '--stats-json', join(dir, 'rx.jsonl'), '--log-file', join(dir, 'rx.log')], { env: vs.env, cwd: dir });
    await rx.waitFor('listening on', 20_000);
    const tx = run(t, ['send', ...common, '--source', 'tone:440', '--duration', '8', '--stats-json', join(dir, 'tx.jsonl'), '--log-file', join(dir, 'tx.log')], { env: vs.env, cwd: dir });
    await rx.waitFor('speaker: device', 20_000);
    await sleep(1000);
    const worker = spawnSync('pgrep', ['-P', String(rx.child.pid)], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean);
    assert.equal(worker.length, 1, `one audio worker under the receiver: ${worker.join(' ')}`);
    // A native crash from outside: SIGABRT, as an assert in C would (segfault-handler
    // catches the first SIGSEGV to write crash.log; a real fault then hits again).
    process.kill(Number(worker[0]), 'SIGABRT');
    await rx.waitFor('speaker unavailable: the audio worker died (signal SIGABRT)', 20_000);
    await rx.waitFor('speaker back: device', 20_000);
    assert.equal((await tx.exited).code, 0, tx.stderr());
    await sleep(500);
    assert.equal((await rx.stop()).code, 0, rx.stderr());

    const sent = finalStats(join(dir, 'tx.jsonl')).sent!;
    const got = finalStats(join(dir, 'rx.jsonl'));
    assert.equal(got.received, sent, 'every packet counted through the crash');
    const r = WavReader.open(wav);
    const seconds = r.totalFrames / r.format.rate;
    r.close();
    assert.ok(seconds >= (sent * 0.01) - 0.5, `the recording holds ${seconds.toFixed(2)} s of the ${sent * 0.01} s sent`);
  });
});

test('with no audio device at all: one line, and the stream runs on (silence out, packets counted in)', async (t) => {
  const env = noDeviceEnv();
  const dir = tmpDir();
  const port = String(await freePort());
  const common = ['--headless', '--port', port];
  const rx = run(t, ['receive', ...common, '--sink', 'speaker', '--stats-json', join(dir, 'rx.jsonl'), '--log-file', join(dir, 'rx.log')], { env, cwd: dir });
  await rx.waitFor('listening on', 20_000);
  const tx = run(t, ['send', ...common, '--source', 'mic', '--duration', '4', '--stats-json', join(dir, 'tx.jsonl'), '--log-file', join(dir, 'tx.log')], { env, cwd: dir });
  assert.equal((await tx.exited).code, 0, tx.stderr());
  await sleep(500);
  assert.equal((await rx.stop()).code, 0, rx.stderr());
  const line = 'microphone unavailable: PortAudio finds no audio devices — see `streamer devices`, or use --source tone; retrying';
  assert.equal(tx.stderr().split(line).length - 1, 1, tx.stderr());
  assert.match(rx.stderr(), /speaker unavailable: PortAudio finds no audio devices — see `streamer devices`, or use --sink null; retrying/);
  const sent = finalStats(join(dir, 'tx.jsonl')).sent!;
  assert.ok(sent >= 300, `sent ${sent} packets of silence in 4 s`);
  assert.ok(finalStats(join(dir, 'rx.jsonl')).received! >= sent - 5);

  const list = run(t, ['devices'], { env });
  assert.equal((await list.exited).code, 0, list.stderr());
  assert.match(list.stdout(), /^No audio devices found/);
});

test('demo plays on the default devices when they exist, and on a tone into the null sink when not', async (t) => {
  await withPulse(t, async (vs) => {
    const port = String(await freePort());
    const withDevices = run(t, ['demo', '--port', port, '--duration', '2'], { env: vs.env });
    assert.equal((await withDevices.exited).code, 0, withDevices.stderr());
    assert.match(withDevices.stderr(), /demo: microphone → speaker over loopback \(use headphones/);
    const without = run(t, ['demo', '--port', port, '--duration', '2'], { env: noDeviceEnv() });
    assert.equal((await without.exited).code, 0, without.stderr());
    assert.match(without.stderr(), /demo: 440 Hz test tone → null sink over loopback \(no input device; no output device\)/);
    assert.doesNotMatch(withDevices.stderr() + without.stderr(), CHATTER);
  });
});
