import type { AudioFormat } from '../../shared/audio-format.js';
import { PacedSink } from './paced-sink.js';
import type { PlayoutFrame } from './sink.js';
import { WavWriter } from '../wav/wav-writer.js';

/**
 * Writes what plays to a WAV file. Pre-roll and idle silence are not
 * written; an underrun's filler is held back and written only if the stream
 * resumes, so the file has no hole mid-stream and no dead tail at the end.
 */
export class FileSink extends PacedSink {
  readonly description: string;
  private writer: WavWriter | undefined;
  private held: Int16Array[] = [];
  private heldFrames = 0;
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
    this.writer = await WavWriter.open(this.path, format);
    this.writer.on('error', (err) => this.emit('error', err));
  }

  protected override async close(): Promise<void> {
    const w = this.writer;
    this.writer = undefined;
    this.held = [];
    if (w) await w.close();
  }

  protected consume(frame: PlayoutFrame): void {
    const w = this.writer;
    if (!w || !frame.playing) {
      this.held = [];
      this.heldFrames = 0;
      return;
    }
    if (frame.underrun) {
      const frames = frame.pcm.length / w.format.channels;
      // Bounded: past the idle limit the buffer stops playing anyway.
      if ((this.heldFrames + frames) * 1000 <= this.maxHoldMs * w.format.rate) {
        this.held.push(frame.pcm.slice());
        this.heldFrames += frames;
      }
      return;
    }
    for (const pcm of this.held) w.write(pcm);
    this.held = [];
    this.heldFrames = 0;
    w.write(frame.pcm.slice());
  }
}
