// Packet-sized PCM arrays for the jitter buffer, reused: the receiver takes
// one per L16 packet, the jitter queue gives it back once the packet has
// played (or was never queued), so a steady stream allocates none. Arrays of
// one length only (a stream's packet size); another length is allocated and
// not kept, so a stream of odd-sized packets costs what it did before.

/** Most arrays kept free: a second of 2.5 ms packets, far above any queue a live target holds. */
const MAX_FREE = 400;

export class PcmPool {
  private free: Int16Array[] = [];
  private size = 0;
  /** Arrays allocated since creation (for tests and the debug log). */
  allocated = 0;

  /** An array of `samples` samples; its content is stale (the caller writes it whole). */
  take(samples: number): Int16Array {
    if (samples !== this.size) {
      this.size = samples;
      this.free = [];
    }
    const pcm = this.free.pop();
    if (pcm !== undefined) return pcm;
    this.allocated++;
    return new Int16Array(samples);
  }

  /** Back to the pool: nobody may read or keep `pcm` any more. */
  give(pcm: Int16Array): void {
    if (pcm.length === this.size && this.free.length < MAX_FREE) this.free.push(pcm);
  }

  get freeCount(): number {
    return this.free.length;
  }
}
