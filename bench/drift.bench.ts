// One hour of a sender whose clock runs ±100 ppm off ours, through the real
// playout path (jitter buffer → resampler, steered by the controller), on
// synthetic clocks: far faster than real time. Goal: the buffer stays within
// ±10 ms of its target after the first 20 s, no underruns or overflows, and
// the 1 kHz tone has no dropped or repeated sample.
// Run: node --import tsx bench/drift.bench.ts   (BENCH_SECONDS=300 for a quick look)
import { cpus } from 'node:os';
import { Playout } from '../src/audio/playout/playout.js';
import type { JitterSpec } from '../src/audio/playout/jitter-spec.js';
import { prng, simulate } from '../__tests__/helpers/playout-sim.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 3600);
const format = { rate: 44100, channels: 1 } as const;
const c2 = 2 * Math.cos((2 * Math.PI * 1000) / format.rate);

interface Row { label: string; worstMs: number; meanAbsMs: number; drift: number | null; underruns: number; overflows: number; late: number; residual: number; wallS: number }

function run(label: string, driftPpm: number, jitter: JitterSpec): Row {
  const rnd = prng(42 + driftPpm);
  const playout = new Playout({ format, jitter });
  let worst = 0;
  let sumAbs = 0;
  let n = 0;
  let residual = 0;
  let p1 = 0;
  let p2 = 0;
  let have = 0;
  const t0 = performance.now();
  const res = simulate(playout, {
    format,
    seconds,
    driftPpm,
    delayMs: () => rnd() * 5, // 5 ms of random network/scheduling delay
    onOutput: (pcm) => {
      for (let i = 0; i < pcm.length; i++) {
        const v = pcm[i]!;
        if (have >= 2) residual = Math.max(residual, Math.abs(v - c2 * p1 + p2));
        p2 = p1;
        p1 = v;
        have++;
      }
    },
    onSecond: (s) => {
      if (s.t < 20) return;
      const off = Math.abs(s.bufferMs - s.targetMs);
      worst = Math.max(worst, off);
      sumAbs += off;
      n++;
    },
  });
  const wallS = (performance.now() - t0) / 1000;
  const last = res.seconds.at(-1);
  return { label, worstMs: worst, meanAbsMs: sumAbs / Math.max(1, n), drift: last?.driftPpm ?? null, underruns: res.underruns, overflows: res.overflows, late: res.late, residual, wallS };
}

const rows = [
  run('+100 ppm, --jitter-ms 40', 100, { mode: 'fixed', ms: 40 }),
  run('-100 ppm, --jitter-ms 40', -100, { mode: 'fixed', ms: 40 }),
  run('+100 ppm, --jitter-ms auto', 100, { mode: 'auto', minMs: 5, maxMs: 500 }),
  run('-100 ppm, --jitter-ms auto', -100, { mode: 'auto', minMs: 5, maxMs: 500 }),
];

const ok = rows.every((r) => r.worstMs <= 10 && r.underruns === 0 && r.overflows === 0 && r.residual < 20);
const lines = [
  `drift bench — ${new Date().toISOString().slice(0, 10)}, ${cpus()[0]?.model ?? 'unknown cpu'}, ${cpus().length} cores, node ${process.version}`,
  `${seconds} s simulated per run, 44.1 kHz mono, 10 ms packets and pulls, 0–5 ms random delay`,
  ...rows.map(
    (r) =>
      `${r.label.padEnd(28)} buffer−target worst ${r.worstMs.toFixed(2)} ms, mean ${r.meanAbsMs.toFixed(2)} ms; ` +
      `drift est ${r.drift?.toFixed(1) ?? 'null'} ppm; underruns ${r.underruns}, overflows ${r.overflows}, late ${r.late}; ` +
      `max tone residual ${r.residual.toFixed(1)}; ${r.wallS.toFixed(1)} s wall (${(seconds / r.wallS).toFixed(0)}× real time)`,
  ),
  `summary: ${ok ? 'PASS' : 'FAIL'} ±100 ppm for ${seconds} s: delay within ${Math.max(...rows.map((r) => r.worstMs)).toFixed(1)} ms of target (goal ±10), ` +
    `${rows.reduce((n, r) => n + r.underruns + r.overflows, 0)} underruns/overflows, ` +
    `${Math.min(...rows.map((r) => seconds / r.wallS)).toFixed(0)}× real time or faster`,
];
process.stdout.write(lines.join('\n') + '\n');
process.exitCode = ok ? 0 : 1;
