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
