import type { AudioFormat } from '../../shared/audio-format.js';

/**
 * A sine generator with a running phase, so consecutive blocks join without
 * a click. Amplitude is linear (0.5 ≈ −6 dBFS). Both channels carry the tone.
 */
export class ToneGenerator {
  private phase = 0;
  private readonly step: number;
  private readonly scale: number;

  constructor(
    private readonly format: AudioFormat,
    readonly hz: number,
    amplitude = 0.5,
  ) {
    this.step = (2 * Math.PI * hz) / format.rate;
    this.scale = Math.round(amplitude * 32767);
  }

  read(frames: number): Int16Array {
    const ch = this.format.channels;
    const out = new Int16Array(frames * ch);
    for (let i = 0; i < frames; i++) {
      const v = Math.round(Math.sin(this.phase) * this.scale);
      for (let c = 0; c < ch; c++) out[i * ch + c] = v;
      this.phase += this.step;
      if (this.phase >= 2 * Math.PI) this.phase -= 2 * Math.PI;
    }
    return out;
  }
}
