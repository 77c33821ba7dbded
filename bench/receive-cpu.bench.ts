// Benchmark 1 (issue 8): CPU per received packet, streamer vs GStreamer vs ffmpeg.
// One stream of 2.5 ms L16 packets (44.1 kHz mono, PT 11, 110 samples, ~400 pps)
// is sent by this process to three ports in the same tick; each receiver's CPU
// is read from /proc over the same window, after its startup.
// Run: npm run bench -- receive   (node --import tsx bench/receive-cpu.bench.ts --seconds 8 for a quick look;
// --profile also writes a .cpuprofile of the streamer receiver and lists its hottest functions)
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatHottest, hottest, newestProfile } from './lib/cpuprofile.js';
import { ROOT, freeUdpPort, scratchDir, startPeer, startStreamer, waitBound, type Peer, runBench } from './lib/peers.js';
import { udpDrops } from './lib/proc.js';
import { benchSeconds, fixed, header, summary, table } from './lib/report.js';
import { startFeed } from './lib/rtp-feed.js';
import { lastStats, num } from './lib/stats.js';

const GOAL = 0.8;
const seconds = benchSeconds(20);
const warmArg = process.argv.indexOf('--warm');
// Startup (JIT, probing, pre-roll) is not what we measure; --warm S skips more of it.
const warmS = warmArg >= 0 ? Number(process.argv[warmArg + 1]) : Math.min(3, seconds / 4);
const profile = process.argv.includes('--profile');
const dir = scratchDir();

async function distinctPorts(n: number): Promise<number[]> {
  // ffmpeg's rtp:// also takes port+1 for RTCP: keep every port and its neighbour apart.
  const ports: number[] = [];
  while (ports.length < n) {
    const p = await freeUdpPort();
    if (p < 65535 && ports.every((q) => Math.abs(q - p) > 1)) ports.push(p);
  }
  return ports;
}

// Both rates of issue 19, one after the other in the same run: 2.5 ms packets, and the default 10 ms.
const rates = process.argv.includes('--only-400') ? [110] : process.argv.includes('--only-100') ? [441] : [110, 441];

async function main(): Promise<void> {
  process.stdout.write(`${header('Receive CPU per packet')}\n`);
  const verdicts: string[] = [];
  for (const spp of rates) verdicts.push(await runRate(spp));
  summary(verdicts.join(' | '));
}

async function runRate(spp: number): Promise<string> {
  process.stdout.write(`\nstream: L16 44100 Hz mono, PT 11, ${spp} samples (${fixed((spp / 44.1), 2)} ms) per packet, ${seconds} s; CPU window skips the first ${warmS} s\n`);
  const [pa, pb, pc, pd, pe] = (await distinctPorts(5)) as [number, number, number, number, number];
  const statsFile = join(dir, `receiver-${spp}.json`);
  const spawnedAt = performance.now();
  const streamer = startStreamer(
    'streamer',
    ['receive', '--headless', '--sink', 'null', '--port', String(pa), '--stats-json', statsFile],
    dir,
    profile ? ['--cpu-prof', '--cpu-prof-dir', dir] : [],
  );
  const gst = startPeer('gstreamer', 'gst-launch-1.0', [
    '-q',
    'udpsrc', `port=${pb}`, 'caps=application/x-rtp,media=audio,clock-rate=44100,encoding-name=L16,channels=1,payload=11',
    '!', 'rtpjitterbuffer', '!', 'rtpL16depay', '!', 'fakesink', 'sync=true',
  ]);
  const ffmpeg = startPeer('ffmpeg', 'ffmpeg', ['-nostdin', '-hide_banner', '-nostats', '-i', `rtp://127.0.0.1:${pc}`, '-f', 'null', '-']);
  // Not a peer: the bare runtime's cost for the same datagrams, for reference.
  const floor = startPeer('(node floor)', process.execPath, ['--import', 'tsx', join(ROOT, 'bench/lib/node-floor.ts'), 'receive', String(pd)]);
  // The same plus a 10 ms timer: the floor of any receiver whose sink has a clock.
  const clocked = startPeer('(node floor + 10 ms clock)', process.execPath, ['--import', 'tsx', join(ROOT, 'bench/lib/node-floor.ts'), 'receive-clocked', String(pe)]);
  const peers: Array<[Peer, number]> = [[streamer, pa], [gst, pb], [ffmpeg, pc], [floor, pd], [clocked, pe]];
  await waitBound(peers);
  await sleep(500); // let each settle into its receive loop

  const feed = startFeed({ format: { rate: 44100, channels: 1 }, payloadType: 11, samplesPerPacket: spp, ports: [pa, pb, pc, pd, pe], seconds });
  await sleep(warmS * 1000);
  const cpu0 = peers.map(([p]) => p.cpu());
  const sent0 = feed.sent;
  const t0 = performance.now();
  await sleep((seconds - warmS - 0.5) * 1000);
  const cpu1 = peers.map(([p]) => p.cpu());
  const packets = feed.sent - sent0;
  const windowS = (performance.now() - t0) / 1000;
  const fed = await feed.done;
  await sleep(300);
  const drops = peers.map(([, port]) => udpDrops(port));
  for (const [p] of peers) {
    if (p.child.exitCode !== null) throw new Error(`${p.name} exited during the run:\n${p.tail()}`);
  }
  await Promise.all(peers.map(([p]) => p.stop('SIGINT')));
  const final = lastStats(statsFile);

  const used = cpu1.map((c, i) => c - cpu0[i]!);
  const perPacketUs = used.map((c) => (c / packets) * 1e6);
  const best = Math.min(perPacketUs[1]!, perPacketUs[2]!);
  const ratio = perPacketUs[0]! / best;
  const rows = [['receiver', 'CPU s', '% core', 'µs/packet', '× best peer', 'kernel drops']];
  peers.forEach(([p], i) => {
    rows.push([p.name, fixed(used[i]!, 2), fixed((100 * used[i]!) / windowS, 1), fixed(perPacketUs[i]!, 1), fixed(perPacketUs[i]! / best, 2), String(drops[i])]);
  });
  process.stdout.write(`window: ${fixed(windowS, 1)} s, ${packets} packets (${fixed(packets / windowS, 1)} pps); sender kept ${fixed(100 * fed.keptUp, 1)} % of schedule\n`);
  process.stdout.write(`${table(rows)}\n`);
  process.stdout.write(
    `streamer's own count: received ${num(final, 'received')} of ${fed.sent} sent, lost ${num(final, 'lost')}, late ${num(final, 'late')}, loopDelayP99Ms ${num(final, 'loopDelayP99Ms')}\n`,
  );
  const verdict = ratio <= GOAL ? 'OK' : 'OVER';
  process.stdout.write(`ratio streamer / best peer: ${fixed(ratio, 2)} (goal ≤ ${GOAL}) ${verdict}\n`);
  if (profile) {
    const file = newestProfile(dir);
    if (file) process.stdout.write(`\nstreamer receive, hottest functions (self time over the window):\n${formatHottest(hottest(file, 20, t0 - spawnedAt))}\n`);
  }
  return `${fixed(packets / windowS, 0)} pps: streamer ${fixed(perPacketUs[0]!, 1)} µs/pkt, gst ${fixed(perPacketUs[1]!, 1)}, ffmpeg ${fixed(perPacketUs[2]!, 1)} (node floor ${fixed(perPacketUs[3]!, 1)}, with a 10 ms clock ${fixed(perPacketUs[4]!, 1)}) → ${fixed(ratio, 2)}× best (goal ≤ ${GOAL}) ${verdict}, drops ${drops.join('/')}`;
}

await runBench('receive-cpu', main);
