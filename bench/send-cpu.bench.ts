// Benchmark 2 (issue 8): CPU per sent packet, streamer vs ffmpeg vs GStreamer.
// All three send a 440 Hz tone as L16 44.1 kHz mono, 110 samples (232-byte
// datagrams, ~401 pps) to loopback ports this process counts on, at the same
// time; each sender's CPU is read from /proc over the same window.
// Run: npm run bench -- send   (node --import tsx bench/send-cpu.bench.ts --seconds 8 for a quick look;
// --profile also lists the streamer sender's hottest functions)
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { countOn } from './lib/counter.js';
import { formatHottest, hottest, newestProfile } from './lib/cpuprofile.js';
import { ROOT, scratchDir, startPeer, startStreamer, type Peer, runBench } from './lib/peers.js';
import { benchSeconds, fixed, header, summary, table } from './lib/report.js';

const GOAL = 0.8;
const seconds = benchSeconds(20);
const warmS = Math.min(3, seconds / 4);
const profile = process.argv.includes('--profile');
const dir = scratchDir();

async function main(): Promise<void> {
  process.stdout.write(`${header('Send CPU per packet')}\n`);
  process.stdout.write(`stream: 440 Hz tone, L16 44100 Hz mono, 110 samples (232-byte datagrams) per packet, ${seconds} s; CPU window skips the first ${warmS} s\n`);
  const counter = await countOn([0, 0, 0, 0]);
  const [ps, pf, pg, pn] = counter.counts.map((c) => c.port) as [number, number, number, number];
  const spawnedAt = performance.now();
  const peers: Peer[] = [
    startStreamer(
      'streamer',
      ['send', '--source', 'tone', '--frame-ms', '2.5', '--headless', '--port', String(ps)],
      dir,
      profile ? ['--cpu-prof', '--cpu-prof-dir', dir] : [],
    ),
    startPeer('ffmpeg', 'ffmpeg', [
      '-nostdin', '-hide_banner', '-nostats', '-loglevel', 'error',
      '-re', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100:samples_per_frame=110',
      '-ac', '1', '-c:a', 'pcm_s16be', '-f', 'rtp', `rtp://127.0.0.1:${pf}?pkt_size=232`,
    ]),
    startPeer('gstreamer', 'gst-launch-1.0', [
      '-q', 'audiotestsrc', 'is-live=true', 'samplesperbuffer=110',
      '!', 'audio/x-raw,rate=44100,channels=1,format=S16BE',
      '!', 'rtpL16pay', 'pt=11', 'min-ptime=2500000', 'max-ptime=2500000',
      '!', 'udpsink', 'host=127.0.0.1', `port=${pg}`,
    ]),
    // Not a peer: the bare runtime's cost for the same schedule, for reference.
    startPeer('(node floor)', process.execPath, ['--import', 'tsx', join(ROOT, 'bench/lib/node-floor.ts'), 'send', String(pn), '44100', '110']),
  ];
  await sleep(warmS * 1000);
  for (const p of peers) {
    if (p.child.exitCode !== null) throw new Error(`${p.name} exited at start:\n${p.tail()}`);
  }
  const cpu0 = peers.map((p) => p.cpu());
  const n0 = counter.counts.map((c) => c.packets);
  const t0 = performance.now();
  await sleep((seconds - warmS) * 1000);
  const cpu1 = peers.map((p) => p.cpu());
  const n1 = counter.counts.map((c) => c.packets);
  const windowS = (performance.now() - t0) / 1000;
  for (const p of peers) {
    if (p.child.exitCode !== null) throw new Error(`${p.name} exited during the run:\n${p.tail()}`);
  }
  await Promise.all(peers.map((p) => p.stop('SIGINT')));
  await counter.close();

  const packets = n1.map((n, i) => n - n0[i]!);
  const pps = packets.map((n) => n / windowS);
  const used = cpu1.map((c, i) => c - cpu0[i]!);
  const perPacketUs = used.map((c, i) => (c / packets[i]!) * 1e6);
  const best = Math.min(perPacketUs[1]!, perPacketUs[2]!);
  const ratio = perPacketUs[0]! / best;
  const rows = [['sender', 'pps seen', 'bytes/pkt', 'CPU s', '% core', 'µs/packet', '× best peer']];
  peers.forEach((p, i) => {
    rows.push([p.name, fixed(pps[i]!, 1), String(counter.counts[i]!.lastSize), fixed(used[i]!, 2), fixed((100 * used[i]!) / windowS, 1), fixed(perPacketUs[i]!, 1), fixed(perPacketUs[i]! / best, 2)]);
  });
  process.stdout.write(`window: ${fixed(windowS, 1)} s\n${table(rows)}\n`);
  const wrongRate = peers.filter((_, i) => Math.abs(pps[i]! - 44100 / 110) > 0.05 * (44100 / 110)).map((p) => p.name);
  if (wrongRate.length > 0) process.stdout.write(`WARNING: not ~401 pps: ${wrongRate.join(', ')} — the comparison is not like for like\n`);
  const verdict = ratio <= GOAL ? 'OK' : 'OVER';
  process.stdout.write(`ratio streamer / best peer: ${fixed(ratio, 2)} (goal ≤ ${GOAL}) ${verdict}\n`);
  if (profile) {
    const file = newestProfile(dir);
    if (file) process.stdout.write(`\nstreamer send, hottest functions (self time over the window):\n${formatHottest(hottest(file, 20, t0 - spawnedAt))}\n`);
  }
  summary(
    `streamer ${fixed(perPacketUs[0]!, 1)} µs/pkt, ffmpeg ${fixed(perPacketUs[1]!, 1)}, gst ${fixed(perPacketUs[2]!, 1)} (node floor ${fixed(perPacketUs[3]!, 1)}) → ${fixed(ratio, 2)}× best (goal ≤ ${GOAL}) ${verdict}`,
  );
}

await runBench('send-cpu', main);
