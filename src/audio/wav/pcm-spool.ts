// A FIFO of 16-bit PCM bytes waiting for the disk, held in fixed chunks that
// are recycled once written, so a long recording allocates nothing per frame.
// Written chunks are kept for reuse, not freed: freed ArrayBuffers wait for a
// GC that V8 runs late for external memory, which let RSS climb by 10+ MB
// when audio came in bursts. Kept chunks are bounded by the peak backlog,
// which the writer caps.
import { BYTES_PER_SAMPLE } from '../../shared/audio-format.js';

const CHUNK_BYTES = 32 * 1024;

/**
 * The writer's pump writes from the front while write() appends at the back:
 * an in-flight write only reads bytes below the fill mark it saw.
 */
export class PcmSpool {
  private chunks: Array<{ bytes: Buffer; samples: Int16Array }> = [];
  private spare: Array<{ bytes: Buffer; samples: Int16Array }> = [];
  private fill = CHUNK_BYTES; // bytes used in the last chunk (full: none to fill)
  private head = 0; // bytes of chunks[0] already written

  append(pcm: Int16Array, bytes: number): void {
    let done = 0; // samples copied
    const total = bytes / BYTES_PER_SAMPLE;
    while (done < total) {
      if (this.fill === CHUNK_BYTES) {
        this.chunks.push(this.spare.pop() ?? newChunk());
        this.fill = 0;
      }
      const chunk = this.chunks[this.chunks.length - 1]!;
      const n = Math.min((CHUNK_BYTES - this.fill) / BYTES_PER_SAMPLE, total - done);
      // Whole-array set() is the common case and allocates nothing.
      chunk.samples.set(done === 0 && n === pcm.length ? pcm : pcm.subarray(done, done + n), this.fill / BYTES_PER_SAMPLE);
      this.fill += n * BYTES_PER_SAMPLE;
      done += n;
    }
  }

  /** Views of everything pending, oldest first. */
  pending(): Buffer[] {
    const last = this.chunks.length - 1;
    return this.chunks.map((c, i) => c.bytes.subarray(i === 0 ? this.head : 0, i === last ? this.fill : CHUNK_BYTES));
  }

  /** `n` bytes from the front reached the disk: recycle the chunks they emptied. */
  consume(n: number): void {
    while (n > 0) {
      const take = Math.min(n, CHUNK_BYTES - this.head);
      this.head += take;
      n -= take;
      if (this.head === CHUNK_BYTES) {
        this.spare.push(this.chunks.shift()!);
        this.head = 0;
      }
    }
  }

  clear(): void {
    this.chunks = [];
    this.spare = [];
    this.fill = CHUNK_BYTES;
    this.head = 0;
  }
}

function newChunk(): { bytes: Buffer; samples: Int16Array } {
  const bytes = Buffer.allocUnsafeSlow(CHUNK_BYTES); // its own ArrayBuffer, offset 0: aligned for Int16
  return { bytes, samples: new Int16Array(bytes.buffer, bytes.byteOffset, CHUNK_BYTES / BYTES_PER_SAMPLE) };
}
