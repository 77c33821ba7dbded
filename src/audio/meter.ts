// Peak and RMS level of 16-bit PCM, in dBFS. Runs in the audio path, so add()
// only updates three numbers; the log happens once per take().

export interface Level {
  peakDbfs: number;
  rmsDbfs: number;
}

/** Stands in for −∞ (digital silence), which JSON cannot carry. */
export const DBFS_FLOOR = -120;
const FULL_SCALE = 32768;

/** What nothing at all reads as. */
export const SILENT_LEVEL: Level = Object.freeze({ peakDbfs: DBFS_FLOOR, rmsDbfs: DBFS_FLOOR });

/** Linear amplitude (1.0 = full scale = 32768) to dBFS, floored at −120. */
export function toDbfs(linear: number): number {
  if (!(linear > 0)) return DBFS_FLOOR;
  return Math.max(DBFS_FLOOR, 20 * Math.log10(linear));
}

/** Peak and sum of squares since a reader last looked. */
class Window {
  peak = 0;
  sumSquares = 0;
  count = 0;

  fold(peak: number, sumSquares: number, count: number): void {
    if (peak > this.peak) this.peak = peak;
    this.sumSquares += sumSquares;
    this.count += count;
  }

  take(): Level {
    const level: Level = {
      peakDbfs: toDbfs(this.peak / FULL_SCALE),
      rmsDbfs: this.count === 0 ? DBFS_FLOOR : toDbfs(Math.sqrt(this.sumSquares / this.count) / FULL_SCALE),
    };
    this.peak = 0;
    this.sumSquares = 0;
    this.count = 0;
    return level;
  }
}

/**
 * RMS is plain RMS relative to full scale (a full-scale square reads 0 dBFS,
 * a full-scale sine −3.01), across all channels together. Two readers look
 * at their own pace — the once-a-second stats (take) and the dashboard's
 * meter (glance) — from one pass over the audio.
 */
export class LevelMeter {
  private readonly stats = new Window();
  private readonly ui = new Window();
  private shared: SharedLevelWindow | undefined;

  /** Also folds every chunk into `w`, which another thread reads (the dashboard's meter). */
  share(w: SharedLevelWindow): void {
    this.shared = w;
  }

  add(pcm: Int16Array): void {
    let peak = 0;
    let sum = 0;
    for (let i = 0; i < pcm.length; i++) {
      const s = pcm[i]!;
      const a = s < 0 ? -s : s;
      if (a > peak) peak = a;
      sum += s * s;
    }
    this.stats.fold(peak, sum, pcm.length);
    this.ui.fold(peak, sum, pcm.length);
    this.shared?.fold(peak, sum, pcm.length);
  }

  /** Level since the previous take(), then starts over. Nothing added reads as silence. */
  take(): Level {
    return this.stats.take();
  }

  /** The same for the dashboard's meter, which looks ~10 times a second: independent of take(). */
  glance(): Level {
    return this.ui.take();
  }
}

// Int32 slots, then four Float64 fields from byte 8.
const SEQ = 0; // seqlock: odd while the writer is publishing
const REQ = 1; // the reader's requests for a fresh window (it only adds)
const F_GEN = 0;
const F_PEAK = 1;
const F_SUM = 2;
const F_COUNT = 3;
/** Reads that find the writer busy this many times in a row give up (reads as nothing new). */
const MAX_TRIES = 64;

/**
 * The dashboard meter's window across threads: the audio path (one writer)
 * folds each chunk in and publishes the running window under a seqlock; the
 * drawing thread (one reader) takes it on its own frame timer, with no
 * message between them. A take asks the writer for a fresh window (REQ); the
 * writer starts one at its next chunk. A window the writer has not started
 * since the last take means nothing was added: silence, as LevelMeter.glance.
 * A chunk folded in the microseconds between a take's read and its request
 * is left out of the meter (the once-a-second stats are not affected).
 */
export class SharedLevelWindow {
  static readonly BYTES = 8 + 4 * 8;
  private readonly i32: Int32Array;
  private readonly f64: Float64Array;
  // The writer's own copy of the running window.
  private gen = -1;
  private peak = 0;
  private sum = 0;
  private count = 0;
  // The reader's: the window its last request asked for.
  private asked = 0;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(SharedLevelWindow.BYTES)) {
    this.i32 = new Int32Array(buffer, 0, 2);
    this.f64 = new Float64Array(buffer, 8, 4);
  }

  /** Writer: one chunk's peak (absolute sample), sum of squares and sample count. */
  fold(peak: number, sumSquares: number, count: number): void {
    const req = Atomics.load(this.i32, REQ);
    if (req !== this.gen) {
      this.gen = req;
      this.peak = 0;
      this.sum = 0;
      this.count = 0;
    }
    if (peak > this.peak) this.peak = peak;
    this.sum += sumSquares;
    this.count += count;
    const s = Atomics.load(this.i32, SEQ);
    Atomics.store(this.i32, SEQ, (s + 1) | 0);
    this.f64[F_GEN] = this.gen;
    this.f64[F_PEAK] = this.peak;
    this.f64[F_SUM] = this.sum;
    this.f64[F_COUNT] = this.count;
    Atomics.store(this.i32, SEQ, (s + 2) | 0);
  }

  /** Reader: the window as last published, whole, or undefined if the writer stayed busy. */
  snapshot(): { gen: number; peak: number; sumSquares: number; count: number } | undefined {
    for (let i = 0; i < MAX_TRIES; i++) {
      const before = Atomics.load(this.i32, SEQ);
      if ((before & 1) !== 0) continue;
      const gen = this.f64[F_GEN]!;
      const peak = this.f64[F_PEAK]!;
      const sumSquares = this.f64[F_SUM]!;
      const count = this.f64[F_COUNT]!;
      if (Atomics.load(this.i32, SEQ) === before) return { gen, peak, sumSquares, count };
    }
    return undefined;
  }

  /** Reader: the level since the previous take; nothing added reads as silence. */
  take(): Level {
    const w = this.snapshot();
    const mine = w !== undefined && w.gen === this.asked && w.count > 0;
    this.asked = (Atomics.add(this.i32, REQ, 1) + 1) | 0;
    if (!mine) return SILENT_LEVEL;
    return { peakDbfs: toDbfs(w.peak / FULL_SCALE), rmsDbfs: toDbfs(Math.sqrt(w.sumSquares / w.count) / FULL_SCALE) };
  }
}
