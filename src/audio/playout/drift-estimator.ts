// The sender's clock against ours, from RTP timestamps and arrival times.
// Transit = arrival − timestamp/rate drifts by −ppm·t, buried in network
// and scheduling delay that only ever adds. So each block (1 s) of arrivals
// keeps its smallest transit — the lower envelope, where the delay is least —
// and a least-squares line through the last ~60 s of those minima gives the
// slope. One bad block (a whole second delayed) is dropped as an outlier and
// the line refitted. Pure: arrival times are passed in.
import { TS_MOD, Unwrapper, wrapUint32 } from '../../shared/rtp-time.js';
import { median } from './median.js';

export interface DriftEstimatorOptions {
  rate: number;
  blockMs?: number;
  windowMs?: number;
  /** Blocks needed before the estimate is reported. */
  minBlocks?: number;
  /** A transit this far off the line means the sender's timeline jumped: start over. */
  jumpMs?: number;
}

const MAX_STD_ERR_PPM = 10; // reported once the line is at least this sure
const STEP_MS = 50; // a block minimum this far off the line is off…
const STEP_BLOCKS = 3; // …and this many in a row mean the timeline stepped

interface Block { x: number; y: number }
interface Fit { slope: number; at: number; base: number; stdErrPpm: number; n: number }

export class DriftEstimator {
  private rate: number;
  private readonly blockMs: number;
  private readonly windowMs: number;
  private readonly minBlocks: number;
  private readonly jumpMs: number;
  private readonly unwrapper = new Unwrapper(TS_MOD);
  private origin: { ts: number; at: number } | undefined;
  private blocks: Block[] = [];
  private cur: Block | undefined; // the block being filled
  private curStart = 0;
  private fit: Fit | undefined;
  private resets = 0;
  private offRun = 0; // consecutive blocks far off the line

  constructor(opts: DriftEstimatorOptions) {
    this.rate = opts.rate;
    this.blockMs = opts.blockMs ?? 1000;
    this.windowMs = opts.windowMs ?? 60_000;
    this.minBlocks = opts.minBlocks ?? 10;
    this.jumpMs = opts.jumpMs ?? 1000;
  }

  /** Sender clock minus ours, in ppm (>0: the sender runs fast); null until measurable. */
  get ppm(): number | null {
    const f = this.fit;
    if (!f || f.n < this.minBlocks || f.stdErrPpm > MAX_STD_ERR_PPM) return null;
    return -f.slope * 1e6;
  }

  /**
   * The line's slope as it stands once there are enough blocks, sure or not,
   * with its standard error: a busy box's noisy minima can leave the figure
   * unsure for a minute while a large drift is already plain.
   */
  get rough(): { ppm: number; stdErrPpm: number } | null {
    const f = this.fit;
    if (!f || f.n < this.minBlocks || !Number.isFinite(f.stdErrPpm)) return null;
    return { ppm: -f.slope * 1e6, stdErrPpm: f.stdErrPpm };
  }

  /** The estimate's standard error in ppm (Infinity while there is none). */
  get stdErrPpm(): number {
    return this.fit?.stdErrPpm ?? Infinity;
  }

  /**
   * Where the sender's timeline is now by the lower envelope: the RTP
   * timestamp (mod 2^32, fractional) of a packet arriving now by the fastest
   * path. Undefined until there is a line through two blocks.
   */
  expectedTimestamp(nowMs: number): number | undefined {
    const f = this.fit;
    const o = this.origin;
    if (!f || !o) return undefined;
    const x = nowMs - o.at;
    const ts = o.ts + ((x - (f.base + f.slope * (x - f.at))) * this.rate) / 1000;
    return wrapUint32(ts);
  }

  /** Bumped whenever the estimator started over (a timeline jump, a reset). */
  get epoch(): number {
    return this.resets;
  }

  /**
   * Takes one packet; returns its transit above the lower envelope in ms
   * (≈ the delay it suffered beyond the fastest packets, drift removed).
   */
  add(rtpTimestamp: number, arrivalMs: number): number {
    let ts = this.unwrapper.unwrap(rtpTimestamp >>> 0);
    if (this.origin === undefined) this.origin = { ts, at: arrivalMs };
    let x = arrivalMs - this.origin.at;
    let y = x - ((ts - this.origin.ts) * 1000) / this.rate;
    let env = this.envelopeAt(x);
    if (Math.abs(y - env) > this.jumpMs) {
      this.startOver();
      ts = this.unwrapper.unwrap(rtpTimestamp >>> 0);
      this.origin = { ts, at: arrivalMs };
      x = 0;
      y = 0;
      env = this.envelopeAt(x);
    }
    // A closed block refits the envelope; otherwise the value above still holds.
    if (this.cur === undefined || x - this.curStart >= this.blockMs) {
      this.closeBlock(x);
      env = this.envelopeAt(x);
    }
    const cur = this.cur!;
    if (y < cur.y) {
      cur.x = x;
      cur.y = y;
    }
    return y - Math.min(env, cur.y);
  }

  reset(rate?: number): void {
    if (rate !== undefined) this.rate = rate;
    this.startOver();
  }

  private startOver(): void {
    this.unwrapper.reset();
    this.origin = undefined;
    this.blocks = [];
    this.cur = undefined;
    this.fit = undefined;
    this.offRun = 0;
    this.resets++;
  }

  /** The lower envelope's transit at `x`: the fitted line, else the lowest seen. */
  private envelopeAt(x: number): number {
    const f = this.fit;
    if (f) return f.base + f.slope * (x - f.at);
    let m = this.cur?.y ?? 0;
    for (const b of this.blocks) m = Math.min(m, b.y);
    return m;
  }

  private closeBlock(x: number): void {
    const c = this.cur;
    if (c && c.y !== Infinity) {
      // Blocks far off the line, several in a row: the sender's timeline stepped
      // (a pause, a skipped stretch) — keep only what came after.
      const off = this.fit !== undefined && Math.abs(c.y - this.envelopeAt(c.x)) > STEP_MS;
      this.offRun = off ? this.offRun + 1 : 0;
      this.blocks.push(c);
      if (this.offRun >= STEP_BLOCKS) {
        this.blocks = this.blocks.slice(-STEP_BLOCKS);
        this.fit = undefined;
        this.offRun = 0;
        this.resets++;
      }
      while (this.blocks.length > 0 && c.x - this.blocks[0]!.x > this.windowMs) this.blocks.shift();
      this.refit();
    }
    this.cur = { x, y: Infinity };
    this.curStart = x;
  }

  private refit(): void {
    if (this.blocks.length < 2) return;
    let f = leastSquares(this.blocks);
    if (f && this.blocks.length >= 4) {
      // A block whose minimum sits far above the line was delayed as a whole: refit without it.
      const res = this.blocks.map((b) => b.y - (f!.base + f!.slope * (b.x - f!.at)));
      const mad = median(res.map(Math.abs));
      const cut = Math.max(0.5, 4 * mad);
      const kept = this.blocks.filter((_, i) => res[i]! <= cut);
      if (kept.length >= 2 && kept.length < this.blocks.length) f = leastSquares(kept) ?? f;
    }
    this.fit = f;
  }
}

function leastSquares(pts: Block[]): Fit | undefined {
  const n = pts.length;
  let mx = 0;
  let my = 0;
  for (const p of pts) {
    mx += p.x;
    my += p.y;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  for (const p of pts) {
    sxx += (p.x - mx) ** 2;
    sxy += (p.x - mx) * (p.y - my);
  }
  if (sxx === 0) return undefined;
  const slope = sxy / sxx;
  let ssr = 0;
  for (const p of pts) ssr += (p.y - my - slope * (p.x - mx)) ** 2;
  const stdErrPpm = n > 2 ? Math.sqrt(ssr / (n - 2) / sxx) * 1e6 : Infinity;
  return { slope, at: mx, base: my, stdErrPpm, n };
}
