// Benchmark 5 (issue 8): mouth-to-ear latency on the virtual sound device —
// a click played into the virtual microphone until it leaves the virtual
// speaker — for `streamer send --source mic` → `streamer receive --sink
// speaker` over UDP loopback (--jitter-ms 40 and auto), against the
// equivalent GStreamer pipeline (pulsesrc … rtpL16pay → rtpjitterbuffer
// latency=40 … pulsesink, default element settings).
//
// Method: a private PulseAudio (__tests__/helpers/pulse.ts) plus a combine
// sink `clicks` whose slaves are `mic` and `spk`. One pacat plays a click
// train (1 ms full-scale pulse every PERIOD_MS) into `clicks`, so each click
// lands in the microphone and, as a reference, straight in the speaker. One
// parec records spk.monitor: the reference click and the click that went
// through the streamer both sit in the same recording, on one clock, so the
// latency is the distance between them (threshold detection). Two parecs
// started at different moments would add their start skew (tens of ms under
// load) to every figure; the mic.monitor recording is kept only as a cross-check.
// Run: npm run build && node --import tsx bench/latency.bench.ts  (--seconds N: clicks per run;
// LATENCY_DEBUG=1 prints every click onset). Prints TAP lines at the end: the
// pulse helper imports node:test through __tests__/helpers/cli.ts.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startPulse, type VirtualSound } from '../__tests__/helpers/pulse.js';
import { freeUdpPort, scratchDir, startPeer, STREAMER, stopAll, waitBound, type Peer } from './lib/peers.js';
import { lastStats, num } from './lib/stats.js';
import { benchSeconds, fixed, header, summary, table } from './lib/report.js';

const RATE = 44100;
const PERIOD_MS = 1000; // longer than any latency expected, so reference and delayed clicks cannot be confused
const CLICKS = Math.round(benchSeconds(12));
const THRESHOLD = 8000;
const dir = scratchDir();

interface Run {
  name: string;
  latenciesMs: number[];
  /** Same clicks measured as mic.monitor recording vs spk.monitor recording (two parecs): start skew included. */
  twoRecorderMs: number[];
  refs: number;
  /** streamer receiver's last stats line (target, buffer, late, underruns), if any. */
  rx?: Record<string, unknown>;
}

function clientEnv(vs: VirtualSound): NodeJS.ProcessEnv {
  return { ...process.env, ...vs.env, HOME: join(vs.dir, 'home'), XDG_RUNTIME_DIR: join(vs.dir, 'runtime'), NO_COLOR: '1' };
}

function pactl(vs: VirtualSound, args: string[]): void {
  const r = spawnSync('pactl', args, { env: clientEnv(vs), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pactl ${args.join(' ')}: ${r.stderr}`);
}

function clickTrain(): Buffer {
  const lead = Math.round(RATE * 0.3);
  const period = Math.round((RATE * PERIOD_MS) / 1000);
  const pcm = new Int16Array(lead + CLICKS * period);
  const width = Math.round(RATE / 1000);
  for (let k = 0; k < CLICKS; k++) pcm.fill(32767, lead + k * period, lead + k * period + width);
  return Buffer.from(pcm.buffer);
}

/** Sample index of each click onset: first sample over the threshold, then 100 ms deaf. */
function onsets(pcm: Int16Array): number[] {
  const out: number[] = [];
  const deaf = Math.round(RATE * 0.1);
  for (let i = 0; i < pcm.length; i++) {
    if (Math.abs(pcm[i]!) > THRESHOLD) {
      out.push(i);
      i += deaf;
    }
  }
  return out;
}

/**
 * Splits spk onsets into reference clicks and the delayed click after each:
 * they alternate (latency < PERIOD), and an onset more than 3/4 of a period
 * after the last reference is the next reference (its delayed click was lost).
 * Not a fixed grid: pacat may slip a few ms, which moves both copies alike.
 */
function pairUp(spk: number[]): { refs: number[]; latenciesMs: number[] } {
  const far = (0.75 * RATE * PERIOD_MS) / 1000;
  const refs: number[] = [];
  const latenciesMs: number[] = [];
  let lastRef: number | undefined;
  let matched = true;
  for (const e of spk) {
    if (lastRef === undefined || matched || e - lastRef > far) {
      refs.push(e);
      lastRef = e;
      matched = false;
    } else {
      latenciesMs.push(((e - lastRef) * 1000) / RATE);
      matched = true;
    }
  }
  return { refs, latenciesMs };
}

function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}
const median = (xs: number[]): number => quantile(xs, 0.5);
const p90 = (xs: number[]): number => quantile(xs, 0.9);

async function measure(vs: VirtualSound, name: string, start: (port: number) => Peer[]): Promise<Run> {
  const port = await freeUdpPort();
  const peers = start(port);
  await waitBound([[peers[0]!, port]]);
  await sleep(3000); // devices open, the jitter buffer (auto) settles on a silent but live stream
  for (const p of peers) if (p.child.exitCode !== null) throw new Error(`${p.name} exited early:\n${p.tail()}`);
  const micRec = vs.record('mic', RATE, 1);
  const spkRec = vs.record('spk', RATE, 1);
  await sleep(300);
  const player = spawn('pacat', ['--raw', '--format=s16le', `--rate=${RATE}`, '--channels=1', '--latency-msec=20', '-d', 'clicks'], {
    env: clientEnv(vs),
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  player.stdin.end(clickTrain());
  await new Promise((r) => player.once('exit', r));
  await sleep(1500); // the last click's way through
  const [mic, spk] = await Promise.all([micRec.stop(), spkRec.stop()]);
  for (const p of peers) await p.stop('SIGINT', 3000);
  if (process.env.LATENCY_DEBUG) process.stdout.write(`${name} spk onsets ms: ${onsets(spk).map((x) => ((x * 1000) / RATE).toFixed(1)).join(" ")} / mic: ${onsets(mic).map((x) => ((x * 1000) / RATE).toFixed(1)).join(" ")}\n`);
  const { refs, latenciesMs } = pairUp(onsets(spk));
  const micOn = onsets(mic);
  // Cross-check: the nth mic click against the nth delayed spk click (their recorders started apart).
  const delayed = refs.map((r, i) => r + ((latenciesMs[i] ?? NaN) * RATE) / 1000);
  const twoRecorderMs = micOn.slice(0, delayed.length).map((m, i) => ((delayed[i]! - m) * 1000) / RATE).filter(Number.isFinite);
  if (latenciesMs.length < CLICKS / 2) {
    process.stdout.write(`${name}: only ${latenciesMs.length} of ${CLICKS} clicks came through (${refs.length} references seen)\n${peers.map((p) => p.tail()).join('\n')}\n`);
  }
  const statsFile = join(dir, `${peers[0]!.name}.json`);
  return { name, latenciesMs, twoRecorderMs, refs: refs.length, rx: existsSync(statsFile) ? lastStats(statsFile) : undefined };
}

function streamerPeers(vs: VirtualSound, jitter: string) {
  return (port: number): Peer[] => {
    const env = clientEnv(vs);
    const common = ['--headless', '--rate', String(RATE), '--channels', '1', '--port', String(port)];
    const rx = startPeer(`rx-${jitter}`, process.execPath, [STREAMER, 'receive', ...common, '--sink', 'speaker', '--jitter-ms', jitter, '--stats-json', join(dir, `rx-${jitter}.json`), '--log-file', join(dir, `rx-${jitter}.log`)], { env });
    const tx = startPeer(`tx-${jitter}`, process.execPath, [STREAMER, 'send', ...common, '--host', '127.0.0.1', '--source', 'mic', '--log-file', join(dir, `tx-${jitter}.log`)], { env });
    return [rx, tx];
  };
}

function gstPeers(vs: VirtualSound) {
  return (port: number): Peer[] => {
    const env = clientEnv(vs);
    const caps = `application/x-rtp,media=audio,clock-rate=${RATE},encoding-name=L16,channels=1,payload=11`;
    const rx = startPeer('gst-rx', 'gst-launch-1.0', ['-q', 'udpsrc', `port=${port}`, `caps=${caps}`, '!', 'rtpjitterbuffer', 'latency=40', '!', 'rtpL16depay', '!', 'audioconvert', '!', 'pulsesink'], { env });
    const tx = startPeer(
      'gst-tx',
      'gst-launch-1.0',
      ['-q', 'pulsesrc', '!', 'audioconvert', '!', `audio/x-raw,format=S16BE,rate=${RATE},channels=1`, '!', 'rtpL16pay', 'pt=11', '!', 'udpsink', 'host=127.0.0.1', `port=${port}`],
      { env },
    );
    return [rx, tx];
  };
}

async function main(): Promise<void> {
  process.stdout.write(`${header('Latency: click into the virtual mic → out of the virtual speaker')}\n`);
  process.stdout.write(`${CLICKS} clicks (1 ms, full scale) every ${PERIOD_MS} ms per run, 44.1 kHz mono L16 over UDP loopback, private PulseAudio (null sinks)\n`);
  process.stdout.write('gst: pulsesrc ! audioconvert ! S16BE ! rtpL16pay pt=11 ! udpsink | udpsrc ! rtpjitterbuffer latency=40 ! rtpL16depay ! audioconvert ! pulsesink (element defaults)\n\n');
  const vs = await startPulse();
  try {
    pactl(vs, ['load-module', 'module-combine-sink', 'sink_name=clicks', 'slaves=mic,spk']);
    pactl(vs, ['set-default-sink', 'spk']);
    pactl(vs, ['set-default-source', 'mic.monitor']);
    const runs: Run[] = [];
    runs.push(await measure(vs, 'streamer --jitter-ms 40', streamerPeers(vs, '40')));
    runs.push(await measure(vs, 'streamer --jitter-ms auto', streamerPeers(vs, 'auto')));
    runs.push(await measure(vs, 'GStreamer latency=40', gstPeers(vs)));
    const gst = runs[2]!;
    const rows = [['pipeline', 'clicks', 'median ms', 'p90 ms', 'min ms', 'max ms', 'vs gst (median)', 'two-recorder median ms']];
    for (const r of runs) {
      const l = r.latenciesMs;
      rows.push([r.name, `${l.length}/${CLICKS}`, fixed(median(l), 1), fixed(p90(l), 1), fixed(Math.min(...l), 1), fixed(Math.max(...l), 1), `${fixed(median(l) / median(gst.latenciesMs), 2)}×`, fixed(median(r.twoRecorderMs), 1)]);
    }
    process.stdout.write(`${table(rows)}\n\n`);
    for (const r of runs) process.stdout.write(`${r.name}: ${r.latenciesMs.map((x) => x.toFixed(1)).join(' ')}\n`);
    for (const r of runs) {
      if (r.rx) process.stdout.write(`${r.name} receiver at the end: target ${num(r.rx, 'targetMs')} ms, buffer ${num(r.rx, 'bufferMs')} ms, jitter ${num(r.rx, 'jitterMs')} ms, late ${num(r.rx, 'late')}, underruns ${num(r.rx, 'underruns')}, concealed ${num(r.rx, 'concealedMs')} ms\n`);
    }
    const s40 = runs[0]!;
    const sAuto = runs[1]!;
    summary(
      `median latency streamer 40 ms ${fixed(median(s40.latenciesMs), 0)} ms, auto ${fixed(median(sAuto.latenciesMs), 0)} ms, GStreamer ${fixed(median(gst.latenciesMs), 0)} ms (${fixed(median(s40.latenciesMs) / median(gst.latenciesMs), 2)}×)`,
    );
  } finally {
    await stopAll();
    await vs.stop();
  }
}

main().catch(async (err: unknown) => {
  await stopAll();
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
