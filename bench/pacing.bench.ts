// Sender pacing (issue 2): over a long run the monotonic pacer neither drifts
// (packet k leaves at start + k·frame) nor bunches (intervals stay near one frame).
// Run: node --import tsx bench/pacing.bench.ts [--seconds 60]
import dgram from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { benchSeconds, fixed, header, summary, table } from './lib/report.js';
import { freeUdpPort, scratchDir, startStreamer, stopAll } from './lib/peers.js';

const seconds = benchSeconds(60);
const frameMs = 10;
console.log(header(`sender pacing: ${frameMs} ms packets for ${seconds} s`));

const port = await freeUdpPort();
const sock = dgram.createSocket('udp4');
await new Promise<void>((r) => sock.bind(port, '127.0.0.1', () => r()));
const arrivals: number[] = [];
sock.on('message', () => arrivals.push(performance.now()));

const dir = scratchDir();
const tx = startStreamer('send', ['send', '--headless', '--port', String(port), '--source', 'tone', '--frame-ms', String(frameMs), '--duration', String(seconds)], dir);
await tx.exited;
sock.close();
await stopAll();

if (arrivals.length < 10) {
  console.log(`only ${arrivals.length} packets arrived:\n${tx.tail()}`);
  process.exit(1);
}
const t0 = arrivals[0]!;
// Offset of each packet from its ideal departure, relative to the first.
const offsets = arrivals.map((t, k) => t - (t0 + k * frameMs));
const intervals = arrivals.slice(1).map((t, k) => t - arrivals[k]!);
const sorted = [...intervals].sort((a, b) => a - b);
const pct = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const lastTenth = offsets.slice(Math.floor(offsets.length * 0.9));
const driftMs = lastTenth.reduce((a, b) => a + b, 0) / lastTenth.length;
const expected = Math.floor((seconds * 1000) / frameMs) + 1;

console.log(
  table([
    ['figure', 'value'],
    ['packets (expected)', `${arrivals.length} (${expected})`],
    ['drift at the end (ms, mean of last 10 %)', fixed(driftMs, 2)],
    ['worst lateness (ms)', fixed(Math.max(...offsets), 2)],
    ['interval p50 / p99 / max (ms)', `${fixed(pct(50), 2)} / ${fixed(pct(99), 2)} / ${fixed(sorted.at(-1)!, 2)}`],
    ['intervals < 2 ms (bunched)', String(intervals.filter((i) => i < 2).length)],
  ]),
);
summary(`${arrivals.length}/${expected} packets, drift ${fixed(driftMs, 2)} ms after ${seconds} s, interval p99 ${fixed(pct(99), 2)} ms`);
