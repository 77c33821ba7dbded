// The jitter buffer's storage: packets sorted by unwrapped RTP timestamp,
// and reading a span of that timeline out of them with the holes filled.
// It knows nothing of pre-roll, late packets or stats — the JitterBuffer
// decides what goes in and where the playout cursor is. Pure, no clock.
import { TS_MOD, Unwrapper } from '../../shared/rtp-time.js';

/** `ts` (first frame) and `end` (ts + frames) are unwrapped timestamps. */
export interface QueuedPacket { readonly ts: number; readonly end: number; readonly pcm: Int16Array }

/** Where `read` writes: the Concealer's shape (real audio, or made-up frames). */
export interface SpanWriter {
  play(out: Int16Array, at: number, src: Int16Array, srcAt: number, n: number): void;
  /** `next`: the queued packet after the made-up frames, `toNext` frames from `at` (a codec rebuilds a loss from it). */
  conceal(out: Int16Array, at: number, n: number, next?: Int16Array, toNext?: number): void;
}

/**
 * What the jitter buffer plays its queue through: the PCM concealer, or a
 * codec that decodes at playout time (Opus). `takeRecoveredFrames`: frames
 * of gaps it rebuilt rather than made up.
 */
export interface PlayoutWriter extends SpanWriter {
  reset(): void;
  takeRecoveredFrames?(): number;
}

/** Frames of a read span, by kind; they add up to the span. Reused by the next read. */
export interface ReadResult {
  played: number; // from queued packets
  gap: number; // made up before queued audio: known missing
  tail: number; // made up after the last queued audio in the span
}

const RECENT = 64; // starts of played packets remembered to spot their duplicates

export class JitterQueue {
  private readonly unwrapper = new Unwrapper(TS_MOD); // one number line per clear()
  private items: QueuedPacket[] = [];
  private maxEnd = -Infinity; // largest `end` queued: kept up to date, not rescanned per packet
  private readonly recent = new Float64Array(RECENT).fill(NaN);
  private recentW = 0;
  private readonly span: ReadResult = { played: 0, gap: 0, tail: 0 };

  /** `release`: told of each packet's pcm once it leaves the queue (played, skipped or cleared), to reuse it. */
  constructor(private readonly release?: (pcm: Int16Array) => void) {}

  get length(): number { return this.items.length; }
  /** The earliest queued packet. */
  get first(): QueuedPacket | undefined { return this.items[0]; }

  // After dropBefore this may still be a played packet's end; that is ≤ the
  // cursor, as is every end still queued, and each caller compares with the cursor.
  /** The largest `end` queued (−Infinity when nothing has been). */
  get end(): number { return this.maxEnd; }

  /** A raw RTP timestamp on the queue's number line (wrap-free since the last clear). */
  unwrap(rtpTimestamp: number): number {
    return this.unwrapper.unwrap(rtpTimestamp >>> 0);
  }

  /** Forgets the packets, the played starts and the timestamp cycle (a new timeline follows). */
  clear(): void {
    if (this.release) for (const p of this.items) this.release(p.pcm);
    this.items = [];
    this.unwrapper.reset();
    this.maxEnd = -Infinity;
    this.recent.fill(NaN);
  }

  /** Adds a packet in timestamp order; it keeps `pcm` (the caller passes a copy) until it leaves (see `release`). */
  insert(ts: number, end: number, pcm: Int16Array): void {
    const p: QueuedPacket = { ts, end, pcm };
    let i = this.items.length;
    while (i > 0 && this.items[i - 1]!.ts > p.ts) i--;
    this.items.splice(i, 0, p);
    if (p.end > this.maxEnd) this.maxEnd = p.end;
  }

  /**
   * Same start as a queued packet, or nothing new in [ts, end): queued
   * packets and everything before `playedTo` (−Infinity: nothing played) cover it.
   */
  isDuplicate(ts: number, end: number, playedTo: number): boolean {
    if (ts >= this.maxEnd) return false; // past all queued audio: the in-order case, without a scan
    let covered = Math.max(ts, playedTo);
    for (const p of this.items) {
      if (p.ts === ts) return true;
      if (p.ts > covered) break;
      if (p.end > covered) covered = p.end;
    }
    return covered >= end;
  }

  /** Whether a recently played (dropped) packet started at `ts`. */
  wasPlayed(ts: number): boolean {
    return this.recent.includes(ts);
  }

  /** Drops the packets that end at or before `cursor`, remembering their starts. */
  dropBefore(cursor: number): void {
    while (this.items.length > 0 && this.items[0]!.end <= cursor) {
      const p = this.items.shift()!;
      this.recent[this.recentW] = p.ts;
      this.release?.(p.pcm);
      this.recentW = (this.recentW + 1) % RECENT;
    }
    if (this.items.length === 0) this.maxEnd = -Infinity;
  }

  /**
   * Writes the timeline's frames [from, from + frames) to `out` from frame 0:
   * queued audio through `writer.play`, the rest through `writer.conceal`.
   */
  read(out: Int16Array, from: number, frames: number, writer: SpanWriter): ReadResult {
    const stop = from + frames;
    let pos = from;
    let played = 0;
    let gap = 0;
    let next: QueuedPacket | undefined;
    for (let i = 0; i < this.items.length && pos < stop; i++) {
      const p = this.items[i]!;
      if (p.end <= pos) continue;
      if (p.ts >= stop) {
        next = p;
        break;
      }
      if (p.ts > pos) {
        writer.conceal(out, pos - from, p.ts - pos, p.pcm, p.ts - pos);
        gap += p.ts - pos;
        pos = p.ts;
      }
      const n = Math.min(p.end, stop) - pos;
      writer.play(out, pos - from, p.pcm, pos - p.ts, n);
      played += n;
      pos += n;
    }
    const tail = stop - pos;
    if (tail > 0) writer.conceal(out, pos - from, tail, next?.pcm, next ? next.ts - pos : undefined);
    const r = this.span;
    r.played = played;
    r.gap = gap;
    r.tail = tail;
    return r;
  }
}
