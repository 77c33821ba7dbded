// Audible events by cause (SPEC §4 `glitches`). Pure: fed each packet's
// settled fate in sequence order (seq-ledger.ts) and the underruns.
//
// - network: a run of packets that did not play, with at least one of them
//   lost (never arrived) — one concealment the listener hears, one glitch;
// - late: a run of packets that all arrived, but after their playout time;
// - underrun: our side — the device played silence it was not given (its
//   own underflow: CPU, sound server), or the buffer ran dry in a second
//   when nothing was lost or late (so no network cause explains it).
// Drift correction is not a glitch here: the playout controller steers by
// resampling, at most 6000 ppm (maxStepPpm, audio/playout/playout-controller.ts)
// through a Catmull-Rom interpolator (resampler.ts): a pitch change of at
// most 10 cents, gradual, with no step in the signal — not an event a
// listener hears. (A resync, when a packet lands beyond the buffer's
// maximum, restarts the pre-roll; it is counted as an overflow, not here.)
import type { Fate } from './seq-ledger.js';

/** Audible events of the session by cause; total is their sum. */
export interface GlitchCounts {
  network: number;
  late: number;
  underrun: number;
  total: number;
}

export const NO_GLITCHES: GlitchCounts = { network: 0, late: 0, underrun: 0, total: 0 };

export type GlitchEvent = Fate | 'underrun';

export class GlitchCounter {
  private network = 0;
  private late = 0;
  private underruns = 0;
  private runMissing = 0; // packets in the current run that did not play
  private runLost = false;

  add(fate: Fate): void {
    if (fate === 'played' || fate === 'recovered') return this.endRun(); // FEC rebuilt it: nothing heard
    this.runMissing++;
    if (fate === 'lost') this.runLost = true;
  }

  underrun(n = 1): void {
    this.underruns += n;
  }

  /** The stream ended: a run still open is a glitch. */
  endRun(): void {
    if (this.runMissing > 0) {
      if (this.runLost) this.network++;
      else this.late++;
    }
    this.runMissing = 0;
    this.runLost = false;
  }

  counts(): GlitchCounts {
    return { network: this.network, late: this.late, underrun: this.underruns, total: this.network + this.late + this.underruns };
  }
}

/** The glitches a sequence of events makes (a run still open at the end counts). */
export function countGlitches(events: Iterable<GlitchEvent>): GlitchCounts {
  const g = new GlitchCounter();
  for (const e of events) {
    if (e === 'underrun') g.underrun();
    else g.add(e);
  }
  g.endRun();
  return g.counts();
}

/**
 * Underrun glitches of one second: the device's own always (ours); the
 * buffer's only when nothing was lost or late that second — otherwise the
 * network glitch already counts what the listener heard.
 */
export function underrunGlitches(s: { deviceUnderruns: number; bufferUnderruns: number; lost: number; late: number }): number {
  return s.deviceUnderruns + (s.lost === 0 && s.late === 0 ? s.bufferUnderruns : 0);
}
