// A fixed rate change after playout, for a stream whose wire rate is not the
// one its sink was asked to play at (Opus is 48 kHz on the wire; `receive
// --codec opus --rate 44100` plays at 44.1 kHz). The sink pulls frames at
// its rate; this pulls what they need from the playout at the stream's rate
// and resamples. Pure.
import type { PlayoutFrame } from '../sink/sink.js';
import { Resampler } from './resampler.js';

const EMPTY = new Int16Array(0);

export class RateConverter {
  private readonly rs: Resampler;
  private readonly step: number;
  private readonly ch: number;
  private readonly frame: PlayoutFrame = { pcm: EMPTY, playing: false, underrun: false, tailFrames: 0 };

  constructor(fromRate: number, toRate: number, channels: number) {
    this.rs = new Resampler(channels);
    this.step = fromRate / toRate;
    this.ch = channels;
  }

  /** `frames` frames at the sink's rate, made from what `source(n)` gives at the stream's. */
  pull(frames: number, source: (n: number) => PlayoutFrame): PlayoutFrame {
    const f = this.frame;
    if (f.pcm.length !== frames * this.ch) f.pcm = new Int16Array(frames * this.ch);
    const n = this.rs.need(frames, this.step);
    const r = n > 0 ? source(n) : undefined;
    this.rs.process(r ? r.pcm : EMPTY, f.pcm, frames, this.step);
    f.playing = r?.playing ?? f.playing;
    f.underrun = r?.underrun ?? false;
    f.tailFrames = r ? Math.min(frames, Math.round((r.tailFrames * frames) / n)) : 0;
    return f;
  }
}
