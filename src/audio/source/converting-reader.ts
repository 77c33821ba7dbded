import type { AudioFormat } from '../../shared/audio-format.js';
import { FormatConverter } from '../device/convert.js';
import type { FrameReader } from './source.js';

/**
 * A reader at another format: a WAV file read as the stream's --rate and
 * --channels (mixed or duplicated, resampled), `frames` output frames a call.
 */
export class ConvertingReader implements FrameReader {
  private readonly converter: FormatConverter;
  private pending = new Int16Array(0);
  private ended = false;

  constructor(
    private readonly reader: FrameReader,
    private readonly from: AudioFormat,
    private readonly to: AudioFormat,
  ) {
    this.converter = new FormatConverter(from, to);
  }

  read(frames: number): Int16Array | null {
    const want = frames * this.to.channels;
    const ask = Math.max(1, Math.ceil((frames * this.from.rate) / this.to.rate));
    while (this.pending.length < want && !this.ended) {
      const block = this.reader.read(ask);
      if (!block || block.length === 0) {
        this.ended = true;
        break;
      }
      if (block.length < ask * this.from.channels) this.ended = true;
      const out = this.converter.process(block);
      const joined = new Int16Array(this.pending.length + out.length);
      joined.set(this.pending);
      joined.set(out, this.pending.length);
      this.pending = joined;
    }
    if (this.pending.length === 0) return null;
    const take = this.pending.slice(0, Math.min(want, this.pending.length));
    this.pending = this.pending.subarray(take.length);
    return take;
  }

  close(): void {
    this.reader.close?.();
  }
}
