import type { AudioFormat } from '../../shared/audio-format.js';
import { PacedSink } from './paced-sink.js';
import type { PlayoutFrame } from './sink.js';
import { WavWriter } from '../wav/wav-writer.js';
import { TailHold } from '../playout/tail-hold.js';

/**
 * Writes what plays to a WAV file. Pre-roll and idle silence are not
 * written; concealment no real audio has followed yet (an underrun's filler,
 * the made-up tail at the stream's end) is held back and written only if the
 * stream resumes, so the file has no hole mid-stream and no dead tail.
 */
export class FileSink extends PacedSink {
  readonly description: string;
  private writer: WavWriter | undefined;
  private hold: TailHold | undefined;
  private readonly maxHoldMs: number;

  constructor(
    readonly path: string,
    frameMs: number,
    maxHoldMs = 2000,
  ) {
    super(frameMs);
    this.description = `file:${path}`;
    this.maxHoldMs = maxHoldMs;
  }

  protected override async open(format: AudioFormat): Promise<void> {
    const w = await WavWriter.open(this.path, format);
    this.writer = w;
    w.on('error', (err) => this.emit('error', err));
    this.hold = new TailHold((pcm) => w.write(pcm.slice()), format.channels, Math.round((this.maxHoldMs * format.rate) / 1000));
  }

  protected override async close(): Promise<void> {
    const w = this.writer;
    this.writer = undefined;
    this.hold = undefined;
    if (w) await w.close();
  }

  protected consume(frame: PlayoutFrame): void {
    this.hold?.push(frame);
  }
}
