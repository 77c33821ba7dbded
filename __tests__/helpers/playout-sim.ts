// A synthetic link for the playout path: a sender whose clock runs `driftPpm`
// fast, packets delayed by `delayMs(k, sentMs)`, and a receiver clock that
// pulls at exactly real time. Deterministic; no real time passes.
import type { AudioFormat } from '../../src/shared/audio-format.js';
import { Playout } from '../../src/audio/playout/playout.js';
import { seededRandom } from '../../src/net/impair.js';

export interface SimOptions {
  format: AudioFormat;
  seconds: number;
  driftPpm: number;
  /** Extra delay of packet k sent at `sentMs` (default none). */
  delayMs?: (k: number, sentMs: number) => number;
  packetFrames?: number;
  pullFrames?: number;
  toneHz?: number;
  /** Keep the output (for continuity checks); off for long runs. */
  keepOutput?: boolean;
  /** A pull the sink never makes (a stalled pacer re-basing): the buffer level jumps up. */
  skipPull?: (nowMs: number) => boolean;
  /** Sees every playing pull's output (valid during the call only). */
  onOutput?: (pcm: Int16Array) => void;
  /** Called once per simulated second with that second's figures. */
  onSecond?: (s: SimSecond) => void;
}

export interface SimSecond {
  t: number; // seconds since start
  bufferMs: number; // the playout delay over the second, as --stats-json shows it
  queuedMs: number; // audio actually queued at the end of the second
  targetMs: number;
  driftPpm: number | null;
  ratio: number;
}

export interface SimResult {
  seconds: SimSecond[];
  output: Int16Array;
  underruns: number;
  overflows: number;
  skippedMs: number;
  late: number;
  concealedMs: number;
}

/** Seeded PRNG (mulberry32, the impairment simulator's): the same run every time. */
export const prng = seededRandom;

export function simulate(playout: Playout, o: SimOptions): SimResult {
  const { format } = o;
  const ch = format.channels;
  const pf = o.packetFrames ?? Math.round(format.rate / 100);
  const qf = o.pullFrames ?? pf;
  const hz = o.toneHz ?? 1000;
  const senderPeriod = (pf * 1000) / format.rate / (1 + o.driftPpm / 1e6);
  const pullPeriod = (qf * 1000) / format.rate;
  const endMs = o.seconds * 1000;
  const ts0 = 0xfff00000; // wraps within the first minute at 44.1 kHz
  const delay = o.delayMs ?? (() => 0);
  // Arrivals can overtake each other: keep a small queue sorted by arrival.
  const inflight: { at: number; k: number }[] = [];
  let nextSend = 0;
  const out = o.keepOutput ? new Int16Array(Math.ceil(endMs / pullPeriod + 1) * qf * ch) : new Int16Array(0);
  let outLen = 0;
  const seconds: SimSecond[] = [];
  let nextSecond = 1000;
  for (let j = 0; ; j++) {
    const now = j * pullPeriod;
    if (now > endMs) break;
    while (nextSend * senderPeriod <= now + 5000) {
      const sent = nextSend * senderPeriod;
      const at = sent + 1 + Math.max(0, delay(nextSend, sent));
      let i = inflight.length;
      while (i > 0 && inflight[i - 1]!.at > at) i--;
      inflight.splice(i, 0, { at, k: nextSend });
      nextSend++;
      if (inflight.length > 2000) break;
    }
    while (inflight.length > 0 && inflight[0]!.at <= now) {
      const { at, k } = inflight.shift()!;
      const pcm = new Int16Array(pf * ch); // the playout keeps what it is given
      for (let f = 0; f < pf; f++) {
        const v = Math.round(12000 * Math.sin((2 * Math.PI * hz * (k * pf + f)) / format.rate));
        for (let c = 0; c < ch; c++) pcm[f * ch + c] = v;
      }
      playout.push((ts0 + k * pf) >>> 0, pcm, at);
    }
    if (o.skipPull?.(now)) continue;
    const r = playout.pull(qf, now);
    if (r.playing) o.onOutput?.(r.pcm);
    if (o.keepOutput && r.playing) {
      out.set(r.pcm, outLen);
      outLen += r.pcm.length;
    }
    if (now >= nextSecond) {
      const s: SimSecond = {
        t: nextSecond / 1000,
        bufferMs: playout.takeAverageBufferMs(now),
        queuedMs: playout.queuedMs,
        targetMs: playout.targetMs,
        driftPpm: playout.driftPpm,
        ratio: playout.ratio,
      };
      seconds.push(s);
      o.onSecond?.(s);
      nextSecond += 1000;
    }
  }
  const st = playout.stats();
  return { seconds, output: out.subarray(0, outLen), underruns: st.underruns, overflows: st.overflows, skippedMs: st.skippedMs, late: st.late, concealedMs: st.concealedMs };
}
