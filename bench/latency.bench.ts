// Benchmark 5 (issue 8): mouth-to-ear latency on the virtual sound device —
// a click played into the virtual microphone until it leaves the virtual
// speaker — for `streamer send --source mic` → `streamer receive --sink
// speaker` over UDP loopback (--jitter-ms 40 and auto), against the
// equivalent GStreamer pipeline (pulsesrc … rtpL16pay → rtpjitterbuffer
// latency=40 … pulsesink), once with default element settings and once
// tuned by hand (pulsesrc/pulsesink buffer-time 20 ms, latency-time 5 ms):
// beating GStreamer's 200 ms default sink buffer proves little.
//
// Stalls (issue 19): each run stops the sending process for 300 ms
// (SIGSTOP/SIGCONT) at ~5.75 s into the click train, and the receiving
// process at ~11.75 s; the per-click latencies show the delay before each
// stall, after it, and when (if) it is back at its pre-stall level.
// LATENCY_STALLS=0: no stalls. LATENCY_ONLY=s40,auto,gst,gst-tuned (or
// `streamer`): run only those pipelines.
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
// Run: npm run bench -- latency  (--seconds N: clicks per run;
// LATENCY_DEBUG=1 prints every click onset and the receiver's stats lines, and logs at debug;
// LATENCY_LOGS=DIR keeps the peers' logs and stats files there). Prints TAP lines at the end: the
// pulse helper imports node:test through __tests__/helpers/cli.ts.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startPulse, type VirtualSound } from '../__tests__/helpers/pulse.js';
import { freeUdpPort, scratchDir, startPeer, STREAMER, stopAll, waitBound, type Peer } from './lib/peers.js';
import { allStats, lastStats, num } from './lib/stats.js';
import { benchSeconds, fixed, header, summary, table } from './lib/report.js';

const RATE = 44100;
const PERIOD_MS = 1000; // longer than any latency expected, so reference and delayed clicks cannot be confused
const STALLS = process.env.LATENCY_STALLS !== '0';
const CLICKS = Math.round(benchSeconds(STALLS ? 18 : 12));
const LEAD_MS = 300; // silence before the first click
const STALL_MS = 300;
/** Into the click train (its start): between two clicks, so the stall's own click is not the one cut. */
const STALLS_AT: Array<{ who: 'sender' | 'receiver'; atMs: number }> = STALLS ? [{ who: 'sender', atMs: 5750 }, { who: 'receiver', atMs: 11750 }] : [];
const RECOVER_WITHIN_MS = 3000;
const RECOVER_TOLERANCE_MS = 10; // back "at its level": within this of the median before the first stall
const ONLY = (process.env.LATENCY_ONLY ?? '').split(',').map((x) => x.trim()).filter(Boolean);
const THRESHOLD = 8000;
const dir = scratchDir();

interface Run {
  name: string;
  latenciesMs: number[];
  /** Each delayed click's reference time into the click train, ms (same order as latenciesMs). */
  clickAtMs: number[];
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

/** Each client stream's buffer and device latency as PulseAudio sees it (sink inputs, then source outputs). */
function pulseLatencies(vs: VirtualSound): string {
  const out: string[] = [];
  for (const kind of ['sink-inputs', 'source-outputs']) {
    const r = spawnSync('pactl', ['list', kind], { env: clientEnv(vs), encoding: 'utf8' });
    for (const block of (r.stdout ?? '').split(/\n(?=\S)/)) {
      const who = /application\.name = "([^"]*)"/.exec(block)?.[1] ?? '?';
      const lat = [...block.matchAll(/(Buffer|Sink|Source) Latency: ([\d.]+) usec/g)].map((m) => `${m[1]!.toLowerCase()} ${(Number(m[2]) / 1000).toFixed(1)} ms`);
      if (lat.length) out.push(`${kind === 'sink-inputs' ? 'play' : 'rec'} ${who}: ${lat.join(', ')}`);
    }
  }
  return out.join('; ');
}

function clickTrain(): Buffer {
  const lead = Math.round((RATE * LEAD_MS) / 1000);
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
function pairUp(spk: number[]): { refs: number[]; latenciesMs: number[]; pairedRefs: number[] } {
  const far = (0.75 * RATE * PERIOD_MS) / 1000;
  const refs: number[] = [];
  const latenciesMs: number[] = [];
  const pairedRefs: number[] = [];
  let lastRef: number | undefined;
  let matched = true;
  for (const e of spk) {
    if (lastRef === undefined || matched || e - lastRef > far) {
      refs.push(e);
      lastRef = e;
      matched = false;
    } else {
      latenciesMs.push(((e - lastRef) * 1000) / RATE);
      pairedRefs.push(lastRef);
      matched = true;
    }
  }
  return { refs, latenciesMs, pairedRefs };
}

function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}
const median = (xs: number[]): number => quantile(xs, 0.5);
const p90 = (xs: number[]): number => quantile(xs, 0.9);

/** SIGSTOP, then SIGCONT `ms` later (a process, or its device, stalled). */
async function stall(peer: Peer, ms: number): Promise<void> {
  if (peer.child.exitCode !== null) return;
  process.kill(peer.pid, 'SIGSTOP');
  await sleep(ms);
  process.kill(peer.pid, 'SIGCONT');
}

async function measure(vs: VirtualSound, name: string, start: (port: number) => Peer[]): Promise<Run> {
  const port = await freeUdpPort();
  const peers = start(port); // [receiver, sender]
  await waitBound([[peers[0]!, port]]);
  await sleep(3000); // devices open, the jitter buffer (auto) settles on a silent but live stream
  for (const p of peers) if (p.child.exitCode !== null) throw new Error(`${p.name} exited early:\n${p.tail()}`);
  if (process.env.LATENCY_DEBUG) process.stdout.write(`${name} pulse: ${pulseLatencies(vs)}\n`);
  const micRec = vs.record('mic', RATE, 1);
  const spkRec = vs.record('spk', RATE, 1);
  await sleep(300);
  const player = spawn('pacat', ['--raw', '--format=s16le', `--rate=${RATE}`, '--channels=1', '--latency-msec=20', '-d', 'clicks'], {
    env: clientEnv(vs),
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  const trainStart = Date.now();
  player.stdin.end(clickTrain());
  const stalls = STALLS_AT.map(async ({ who, atMs }) => {
    await sleep(atMs - (Date.now() - trainStart));
    await stall(who === 'sender' ? peers[1]! : peers[0]!, STALL_MS);
  });
  await new Promise((r) => player.once('exit', r));
  await Promise.all(stalls);
  await sleep(1500); // the last click's way through
  const [mic, spk] = await Promise.all([micRec.stop(), spkRec.stop()]);
  for (const p of peers) await p.stop('SIGINT', 3000);
  if (process.env.LATENCY_DEBUG) process.stdout.write(`${name} spk onsets ms: ${onsets(spk).map((x) => ((x * 1000) / RATE).toFixed(1)).join(" ")} / mic: ${onsets(mic).map((x) => ((x * 1000) / RATE).toFixed(1)).join(" ")}\n`);
  const { refs, latenciesMs, pairedRefs } = pairUp(onsets(spk));
  // The click train's start in the recording: the first reference, less the lead (pacat starts the train at once).
  const clickAtMs = pairedRefs.map((r) => ((r - (refs[0] ?? 0)) * 1000) / RATE + LEAD_MS);
  const micOn = onsets(mic);
  // Cross-check: the nth mic click against the nth delayed spk click (their recorders started apart).
  const delayed = refs.map((r, i) => r + ((latenciesMs[i] ?? NaN) * RATE) / 1000);
  const twoRecorderMs = micOn.slice(0, delayed.length).map((m, i) => ((delayed[i]! - m) * 1000) / RATE).filter(Number.isFinite);
  if (latenciesMs.length < CLICKS / 2) {
    process.stdout.write(`${name}: only ${latenciesMs.length} of ${CLICKS} clicks came through (${refs.length} references seen)\n${peers.map((p) => p.tail()).join('\n')}\n`);
  }
  const statsFile = join(dir, `${peers[0]!.name}.json`);
  if (process.env.LATENCY_LOGS) {
    // Keep the peers' logs and stats (the scratch dir goes at exit).
    mkdirSync(process.env.LATENCY_LOGS, { recursive: true });
    for (const f of readdirSync(dir)) copyFileSync(join(dir, f), join(process.env.LATENCY_LOGS, f));
  }
  if (process.env.LATENCY_DEBUG && existsSync(statsFile)) {
    for (const st of allStats(statsFile)) process.stdout.write(`${name} rx t=${num(st, 'uptimeS')} target ${num(st, 'targetMs')} buffer ${num(st, 'bufferMs')} late ${num(st, 'late')} underruns ${num(st, 'underruns')} concealed ${num(st, 'concealedMs')}\n`);
  }
  return { name, latenciesMs, clickAtMs, twoRecorderMs, refs: refs.length, rx: existsSync(statsFile) ? lastStats(statsFile) : undefined };
}

function streamerPeers(vs: VirtualSound, jitter: string) {
  return (port: number): Peer[] => {
    const env = clientEnv(vs);
    const common = ['--headless', '--rate', String(RATE), '--channels', '1', '--port', String(port)];
    const rx = startPeer(`rx-${jitter}`, process.execPath, [STREAMER, 'receive', ...common, '--sink', 'speaker', '--jitter-ms', jitter, '--stats-json', join(dir, `rx-${jitter}.json`), '--log-file', join(dir, `rx-${jitter}.log`), ...(process.env.LATENCY_DEBUG ? ['--log-level', 'debug'] : [])], { env });
    const tx = startPeer(`tx-${jitter}`, process.execPath, [STREAMER, 'send', ...common, '--host', '127.0.0.1', '--source', 'mic', '--log-file', join(dir, `tx-${jitter}.log`)], { env });
    return [rx, tx];
  };
}

/** Hand tuning: 20 ms device buffers in 5 ms periods, both ends (the elements' defaults are 200 ms / 10 ms). */
const GST_TUNED = ['buffer-time=20000', 'latency-time=5000'];

function gstPeers(vs: VirtualSound, tuned: boolean) {
  return (port: number): Peer[] => {
    const env = clientEnv(vs);
    const caps = `application/x-rtp,media=audio,clock-rate=${RATE},encoding-name=L16,channels=1,payload=11`;
    const dev = tuned ? GST_TUNED : [];
    const tag = tuned ? 'gst-tuned' : 'gst';
    const rx = startPeer(`${tag}-rx`, 'gst-launch-1.0', ['-q', 'udpsrc', `port=${port}`, `caps=${caps}`, '!', 'rtpjitterbuffer', 'latency=40', '!', 'rtpL16depay', '!', 'audioconvert', '!', 'pulsesink', ...dev], { env });
    const tx = startPeer(
      `${tag}-tx`,
      'gst-launch-1.0',
      ['-q', 'pulsesrc', ...dev, '!', 'audioconvert', '!', `audio/x-raw,format=S16BE,rate=${RATE},channels=1`, '!', 'rtpL16pay', 'pt=11', '!', 'udpsink', 'host=127.0.0.1', `port=${port}`],
      { env },
    );
    return [rx, tx];
  };
}

/**
 * After each stall: how long until every click is back within the tolerance
 * of the level before the first stall (ms after the stall ended, to the first
 * click of that steady run); NaN if it never is.
 */
function recoveries(r: Run): Array<{ who: string; ms: number; before: number; after: number[] }> {
  if (STALLS_AT.length === 0) return [];
  const pre = r.latenciesMs.filter((_, i) => r.clickAtMs[i]! < STALLS_AT[0]!.atMs);
  const level = median(pre);
  return STALLS_AT.map(({ who, atMs }, k) => {
    const endMs = atMs + STALL_MS;
    const untilMs = STALLS_AT[k + 1]?.atMs ?? Infinity;
    const idx = r.clickAtMs.map((t, i) => ({ t, i })).filter(({ t }) => t > atMs && t < untilMs);
    const after = idx.map(({ i }) => r.latenciesMs[i]!);
    let ms = NaN;
    for (let j = 0; j < idx.length; j++) {
      if (after.slice(j).every((x) => Math.abs(x - level) <= RECOVER_TOLERANCE_MS)) {
        ms = Math.max(0, idx[j]!.t - endMs);
        break;
      }
    }
    return { who, ms, before: level, after };
  });
}

async function main(): Promise<void> {
  process.stdout.write(`${header('Latency: click into the virtual mic → out of the virtual speaker')}\n`);
  process.stdout.write(`${CLICKS} clicks (1 ms, full scale) every ${PERIOD_MS} ms per run, 44.1 kHz mono L16 over UDP loopback, private PulseAudio (null sinks)\n`);
  process.stdout.write('gst: pulsesrc ! audioconvert ! S16BE ! rtpL16pay pt=11 ! udpsink | udpsrc ! rtpjitterbuffer latency=40 ! rtpL16depay ! audioconvert ! pulsesink (element defaults; tuned: pulsesrc/pulsesink buffer-time=20000 latency-time=5000)\n');
  if (STALLS) process.stdout.write(`stalls: ${STALLS_AT.map((s) => `${s.who} SIGSTOP ${STALL_MS} ms at ${(s.atMs / 1000).toFixed(2)} s`).join(', ')} into the click train; recovered = every later click within ${RECOVER_TOLERANCE_MS} ms of the pre-stall median\n`);
  process.stdout.write('\n');
  const all: Array<{ key: string; name: string; start: (vs: VirtualSound) => (port: number) => Peer[] }> = [
    { key: 's40', name: 'streamer --jitter-ms 40', start: (vs) => streamerPeers(vs, '40') },
    { key: 'auto', name: 'streamer --jitter-ms auto', start: (vs) => streamerPeers(vs, 'auto') },
    { key: 'gst', name: 'GStreamer latency=40 (defaults)', start: (vs) => gstPeers(vs, false) },
    { key: 'gst-tuned', name: 'GStreamer latency=40 (tuned 20/5 ms)', start: (vs) => gstPeers(vs, true) },
  ];
  const chosen = all.filter((p) => ONLY.length === 0 || ONLY.includes(p.key) || (ONLY.includes('streamer') && !p.key.startsWith('gst')));
  const vs = await startPulse();
  try {
    pactl(vs, ['load-module', 'module-combine-sink', 'sink_name=clicks', 'slaves=mic,spk']);
    pactl(vs, ['set-default-sink', 'spk']);
    pactl(vs, ['set-default-source', 'mic.monitor']);
    const runs: Run[] = [];
    for (const p of chosen) {
      process.stdout.write(`${p.name}: load ${loadNow()}\n`);
      runs.push(await measure(vs, p.name, p.start(vs)));
    }
    const tuned = runs.find((r) => r.name.includes('tuned'));
    const ref = tuned ?? runs.find((r) => r.name.startsWith('GStreamer'));
    const rows = [['pipeline', 'clicks', 'median ms', 'p90 ms', 'min ms', 'max ms', `vs ${ref === tuned ? 'gst tuned' : 'gst'} (median)`, 'two-recorder median ms', ...STALLS_AT.map((s) => `after ${s.who} stall`)]];
    for (const r of runs) {
      const l = r.latenciesMs;
      const rec = recoveries(r).map((x) => (Number.isNaN(x.ms) ? 'never' : `${(x.ms / 1000).toFixed(2)} s`));
      rows.push([r.name, `${l.length}/${CLICKS}`, fixed(median(l), 1), fixed(p90(l), 1), fixed(Math.min(...l), 1), fixed(Math.max(...l), 1), ref ? `${fixed(median(l) / median(ref.latenciesMs), 2)}×` : '-', fixed(median(r.twoRecorderMs), 1), ...rec]);
    }
    process.stdout.write(`\n${table(rows)}\n\n`);
    for (const r of runs) process.stdout.write(`${r.name}: ${r.latenciesMs.map((x, i) => `${x.toFixed(1)}@${(r.clickAtMs[i]! / 1000).toFixed(1)}s`).join(' ')}\n`);
    for (const r of runs) {
      for (const x of recoveries(r)) {
        process.stdout.write(`${r.name}: ${x.who} stall: before ${fixed(x.before, 1)} ms, after ${x.after.map((v) => v.toFixed(1)).join(' ')} → ${Number.isNaN(x.ms) ? 'not back' : `back within ${(x.ms / 1000).toFixed(2)} s`}${x.ms <= RECOVER_WITHIN_MS ? '' : ` (goal ${RECOVER_WITHIN_MS / 1000} s)`}\n`);
      }
    }
    for (const r of runs) {
      if (r.rx) process.stdout.write(`${r.name} receiver at the end: target ${num(r.rx, 'targetMs')} ms, buffer ${num(r.rx, 'bufferMs')} ms, jitter ${num(r.rx, 'jitterMs')} ms, late ${num(r.rx, 'late')}, underruns ${num(r.rx, 'underruns')}, concealed ${num(r.rx, 'concealedMs')} ms\n`);
    }
    const fig = (key: string): string => {
      const r = runs.find((x) => x.name === all.find((p) => p.key === key)?.name);
      return r ? `${fixed(median(r.latenciesMs), 0)} ms` : '-';
    };
    const worst = (prefix: string): string => {
      const ms = runs.filter((r) => r.name.startsWith(prefix)).flatMap((r) => recoveries(r).map((x) => x.ms));
      if (ms.length === 0) return '-';
      return ms.some(Number.isNaN) ? 'never' : `${(Math.max(...ms) / 1000).toFixed(2)} s`;
    };
    summary(`median latency streamer 40 ${fig('s40')}, auto ${fig('auto')}, GStreamer default ${fig('gst')}, tuned ${fig('gst-tuned')}; worst recovery after a 300 ms stall: streamer ${worst('streamer')}, GStreamer ${worst('GStreamer')}`);
  } finally {
    await stopAll();
    await vs.stop();
  }
}

function loadNow(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return '?';
  }
}

main().catch(async (err: unknown) => {
  await stopAll();
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
