// Opus CPU (issue 17): encode + decode per stream-second, streamer's codec
// (libopus in @evan/opus's wasm, at its raw C API) against ffmpeg's libopus on
// the same audio in the same run. The signal is 20 s of three tones and a
// little noise, 48 kHz; 20 ms frames, FEC on, 64 kbit/s mono and 96 stereo.
// ffmpeg encodes raw PCM to Ogg/Opus and decodes it with -c:a libopus; its
// CPU is its children's utime+stime from /proc/self/stat (its own start and
// file I/O included: a pass-through run of the same PCM is shown too).
// With OPUS_ALTERNATIVES=<node_modules dir> the other npm Opus packages found
// there (@discordjs/opus, opusscript, @evan/opus's native build) are timed on
// the same frames (plain encode/decode: neither can decode FEC or conceal).
// Run: npm run bench -- opus   (node --import tsx bench/opus.bench.ts --seconds 5 for a quick look)
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { OpusDecoder, OpusEncoder } from '../src/audio/codec/opus.js';
import { preloadOpus } from '../src/audio/codec/opus-lib.js';
import { runBench, scratchDir } from './lib/peers.js';
import { benchSeconds, fixed, header, summary, table } from './lib/report.js';

const GOAL = 1.5;
const seconds = benchSeconds(20);
const RATE = 48000;
const dir = scratchDir();

function signal(channels: 1 | 2): Int16Array {
  const frames = RATE * seconds;
  const pcm = new Int16Array(frames * channels);
  let seed = 1;
  const noise = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32 - 0.5) * 600;
  for (let i = 0; i < frames; i++) {
    const t = i / RATE;
    const v = 5000 * Math.sin(2 * Math.PI * 220 * t) + 3000 * Math.sin(2 * Math.PI * 1000 * t) + 1500 * Math.sin(2 * Math.PI * 3300 * t);
    for (let c = 0; c < channels; c++) pcm[i * channels + c] = Math.round(v * (c === 0 ? 1 : 0.8) + noise());
  }
  return pcm;
}

/** CPU seconds of this process (user + system). */
function selfCpu(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** CPU seconds of the children waited for so far (cutime + cstime, /proc/self/stat). */
function childCpu(): number {
  const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[13]) + Number(f[14])) / 100; // fields 16, 17 of stat(5), in clock ticks
}

function ffmpegCpu(args: string[]): number {
  const before = childCpu();
  const r = spawnSync('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', ...args], { cwd: dir });
  if (r.status !== 0) throw new Error(`ffmpeg ${args.join(' ')}: ${r.stderr.toString()}`);
  return childCpu() - before;
}

interface Row { name: string; encode: number; decode: number }

function ours(pcm: Int16Array, channels: 1 | 2, kbps: number): Row {
  const frame = 960 * channels;
  // Warm-up: a second of audio through a throwaway pair.
  const we = new OpusEncoder({ format: { rate: RATE, channels }, frameMs: 20, bitrateKbps: kbps, fec: true });
  const wd = new OpusDecoder({ channels });
  for (const p of we.encode(pcm.subarray(0, RATE * channels))) wd.decode(p.payload, p.frames);
  const enc = new OpusEncoder({ format: { rate: RATE, channels }, frameMs: 20, bitrateKbps: kbps, fec: true });
  const dec = new OpusDecoder({ channels });
  let t = selfCpu();
  const packets = [];
  for (let at = 0; at < pcm.length; at += frame) packets.push(...enc.encode(pcm.subarray(at, at + frame)));
  const encode = selfCpu() - t;
  t = selfCpu();
  for (const p of packets) dec.decode(p.payload, p.frames);
  const decode = selfCpu() - t;
  return { name: 'streamer (@evan/opus wasm, raw API)', encode, decode };
}

function ffmpeg(pcm: Int16Array, channels: 1 | 2, kbps: number): Row & { passThrough: number } {
  const raw = join(dir, `in-${channels}.raw`);
  writeFileSync(raw, Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength));
  const input = ['-f', 's16le', '-ar', String(RATE), '-ac', String(channels), '-i', raw];
  const ogg = join(dir, `out-${channels}.ogg`);
  const passThrough = ffmpegCpu([...input, '-f', 'null', '-']);
  const encode = ffmpegCpu([...input, '-c:a', 'libopus', '-b:a', `${kbps}k`, '-frame_duration', '20', '-fec:a', '1', '-packet_loss:a', '10', '-f', 'ogg', ogg]);
  const decode = ffmpegCpu(['-c:a', 'libopus', '-i', ogg, '-f', 'null', '-']);
  return { name: 'ffmpeg (libopus)', encode, decode, passThrough };
}

/** The other npm packages, where OPUS_ALTERNATIVES points at a node_modules that has them. */
function alternatives(pcm: Int16Array, channels: 1 | 2, kbps: number): Row[] {
  const at = process.env.OPUS_ALTERNATIVES;
  if (!at) return [];
  const req = createRequire(join(at, 'x.js'));
  const frames: Buffer[] = [];
  for (let i = 0; i < pcm.length; i += 960 * channels) frames.push(Buffer.from(pcm.buffer, pcm.byteOffset + i * 2, 960 * channels * 2));
  const rows: Row[] = [];
  const time = (name: string, encodeOne: (b: Buffer) => Uint8Array, decodeOne: (p: Uint8Array) => unknown): void => {
    for (const f of frames.slice(0, 50)) decodeOne(encodeOne(f));
    let t = selfCpu();
    const packets = frames.map((f) => Buffer.from(encodeOne(f)));
    const encode = selfCpu() - t;
    t = selfCpu();
    for (const p of packets) decodeOne(p);
    rows.push({ name, encode, decode: selfCpu() - t });
  };
  const tryRow = (name: string, fn: () => void): void => {
    try {
      fn();
    } catch (err) {
      process.stdout.write(`${name}: not measured (${(err as Error).message.split('\n')[0]})\n`);
    }
  };
  tryRow('@discordjs/opus (native)', () => {
    const { OpusEncoder: E } = req('@discordjs/opus') as { OpusEncoder: new (r: number, c: number) => { encode(b: Buffer): Buffer; decode(b: Buffer): Buffer; setBitrate(b: number): void } };
    const e = new E(RATE, channels);
    e.setBitrate(kbps * 1000);
    const d = new E(RATE, channels);
    time('@discordjs/opus (native)', (b) => e.encode(b), (p) => d.decode(Buffer.from(p)));
  });
  tryRow('opusscript (wasm)', () => {
    const O = req('opusscript') as { new (r: number, c: number, a: number): { encode(b: Buffer, n: number): Buffer; decode(b: Buffer): Buffer; setBitrate(b: number): void }; Application: { AUDIO: number } };
    const e = new O(RATE, channels, O.Application.AUDIO);
    e.setBitrate(kbps * 1000);
    const d = new O(RATE, channels, O.Application.AUDIO);
    time('opusscript (wasm)', (b) => e.encode(b, 960), (p) => d.decode(Buffer.from(p)));
  });
  tryRow('@evan/opus (native build)', () => {
    // Ours is a dependency already: its native build is beside the wasm one.
    const N = createRequire(import.meta.url)('@evan/opus/node/index.js') as { Encoder: new (o: object) => { encode(b: Buffer): Uint8Array; ctl(c: number, v: number): void }; Decoder: new (o: object) => { decode(b: Uint8Array): Uint8Array } };
    const e = new N.Encoder({ channels, sample_rate: RATE, application: 'audio' });
    e.ctl(4002, kbps * 1000);
    const d = new N.Decoder({ channels, sample_rate: RATE });
    time('@evan/opus (native build)', (b) => e.encode(b), (p) => d.decode(p));
  });
  return rows;
}

async function main(): Promise<void> {
  process.stdout.write(`${header('Opus encode + decode CPU')}\n`);
  process.stdout.write(`signal: ${seconds} s of 220 + 1000 + 3300 Hz tones with noise, 48 kHz; 20 ms frames, FEC on (ffmpeg: -fec 1 -packet_loss 10)\n`);
  await preloadOpus();
  const ratios: string[] = [];
  for (const [channels, kbps] of [[1, 64], [2, 96]] as const) {
    const pcm = signal(channels);
    const us = ours(pcm, channels, kbps);
    const ff = ffmpeg(pcm, channels, kbps);
    const net: Row = { name: 'ffmpeg, less its pass-through floor', encode: Math.max(0, ff.encode - ff.passThrough), decode: Math.max(0, ff.decode - ff.passThrough) };
    const rows: Row[] = [us, ff, net, ...alternatives(pcm, channels, kbps)];
    const perS = (x: number): string => `${fixed((x * 1000) / seconds, 2)} ms`;
    process.stdout.write(`\n${channels === 1 ? 'mono' : 'stereo'}, ${kbps} kbit/s — CPU per stream-second\n`);
    process.stdout.write(
      `${table([
        ['codec', 'encode', 'decode', 'encode + decode', '× ffmpeg'],
        ...rows.map((r) => [r.name, perS(r.encode), perS(r.decode), perS(r.encode + r.decode), fixed((r.encode + r.decode) / (ff.encode + ff.decode), 2)]),
      ])}\n`,
    );
    process.stdout.write(`ffmpeg reading the same PCM and writing nothing (start-up and I/O, inside each ffmpeg figure): ${perS(ff.passThrough)} per stream-second\n`);
    const ratio = (us.encode + us.decode) / (ff.encode + ff.decode);
    const ratioNet = (us.encode + us.decode) / (net.encode + net.decode);
    ratios.push(`${channels === 1 ? 'mono' : 'stereo'} ${fixed(ratio, 2)}× (${fixed(ratioNet, 2)}× of ffmpeg less its floor)`);
  }
  summary(`streamer Opus encode+decode vs ffmpeg libopus: ${ratios.join(', ')} (goal ≤ ${GOAL}×)`);
}

void runBench('opus', main);
