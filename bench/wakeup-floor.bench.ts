// What a wakeup costs on this machine (issue 8, the CPU benches' floor): Node
// processes that do nothing but wake on a timer at 50, 100, 400 and 1000 Hz,
// and ffmpeg receiving the 400 pps stream of the receive bench, CPU read from
// /proc over the same window. A receiver that wakes once per datagram (every
// Node dgram socket) plus once per 10 ms sink tick pays at least the 400 Hz +
// 100 Hz line before it does any work; the receive-CPU goal (≤ 0.8× ffmpeg)
// is judged against that.
// Run: npm run bench -- wakeup   (node --import tsx bench/wakeup-floor.bench.ts --seconds 10)
import { setTimeout as sleep } from 'node:timers/promises';
import { freeUdpPort, startPeer, type Peer, runBench } from './lib/peers.js';
import { benchSeconds, fixed, header, summary, table } from './lib/report.js';
import { startFeed } from './lib/rtp-feed.js';

const seconds = benchSeconds(15);
const warmS = 2;
const RATES = [50, 100, 400, 1000];

/** A Node process that only wakes `hz` times a second (whole-ms timers on a drift-free schedule, as streamer's pacer). */
function sleeper(hz: number): Peer {
  const period = 1000 / hz;
  const code = `const t0=performance.now();let n=0;const t=()=>{n++;setTimeout(t,Math.ceil(Math.max(0,t0+n*${period}-performance.now())))};t();process.on('SIGINT',()=>process.exit(0))`;
  return startPeer(`node, timer only, ${hz} Hz`, process.execPath, ['-e', code]);
}

async function main(): Promise<void> {
  process.stdout.write(`${header('Wakeup floor: what waking up costs, before any work')}\n`);
  const port = await freeUdpPort();
  const peers = RATES.map(sleeper);
  const ffmpeg = startPeer('ffmpeg receiving 400 pps', 'ffmpeg', ['-nostdin', '-hide_banner', '-nostats', '-i', `rtp://127.0.0.1:${port}`, '-f', 'null', '-']);
  peers.push(ffmpeg);
  await sleep(1500);
  const feed = startFeed({ format: { rate: 44100, channels: 1 }, payloadType: 11, samplesPerPacket: 110, ports: [port], seconds });
  await sleep(warmS * 1000);
  const cpu0 = peers.map((p) => p.cpu());
  const t0 = performance.now();
  const sent0 = feed.sent;
  await sleep((seconds - warmS - 0.5) * 1000);
  const cpu1 = peers.map((p) => p.cpu());
  const windowS = (performance.now() - t0) / 1000;
  const pps = (feed.sent - sent0) / windowS;
  await feed.done;
  for (const p of peers) if (p.child.exitCode !== null) throw new Error(`${p.name} exited during the run:\n${p.tail()}`);
  const msPerS = cpu1.map((c, i) => ((c - cpu0[i]!) / windowS) * 1000);
  const ff = msPerS.at(-1)!;
  const rows = [['process', 'CPU ms/s', 'µs per wakeup', 'as µs per packet at 400 pps', '× ffmpeg']];
  RATES.forEach((hz, i) => rows.push([peers[i]!.name, fixed(msPerS[i]!, 1), fixed((msPerS[i]! * 1000) / hz, 1), fixed((msPerS[i]! * 1000) / pps, 1), fixed(msPerS[i]! / ff, 2)]));
  rows.push([ffmpeg.name, fixed(ff, 1), '—', fixed((ff * 1000) / pps, 1), '1.00']);
  process.stdout.write(`window: ${fixed(windowS, 1)} s, stream ${fixed(pps, 1)} pps\n${table(rows)}\n`);
  const i100 = RATES.indexOf(100);
  const i400 = RATES.indexOf(400);
  summary(
    `idle Node woken 100×/s ${fixed(msPerS[i100]!, 1)} ms/s, 400×/s ${fixed(msPerS[i400]!, 1)} ms/s; ffmpeg receiving 400 pps ${fixed(ff, 1)} ms/s → Node's wakeups alone at 400 Hz are ${fixed(msPerS[i400]! / ff, 2)}× ffmpeg`,
  );
}

await runBench('wakeup-floor', main);
