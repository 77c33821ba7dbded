// Timestamp-addressed playout buffer: the network pushes packets in, the
// sink's clock pulls frames out (roc's shape). A small queue sorted by
// unwrapped RTP timestamp (jitter-queue.ts) sits in between; the playout cursor
// walks that timeline one pull at a time, so the delay stays where the pre-roll
// put it. Pure: times are passed in as ms from a monotonic clock.
import { wrapUint32 } from '../../shared/rtp-time.js';
import { BurstSizes } from './burst-sizes.js';
import { Concealer } from './conceal.js';
import type { AudioFormat } from '../../shared/audio-format.js';
import { formatEquals, msFor, samplesPerChannel } from '../../shared/audio-format.js';
import { JitterQueue, type PlayoutWriter } from './jitter-queue.js';
import type { PcmPool } from './pcm-pool.js';

export type PushResult = 'queued' | 'late' | 'duplicate' | 'overflow';

export interface PullResult {
  /** frames × channels, interleaved. Reused by the next pull: copy to keep. */
  pcm: Int16Array;
  concealedFrames: number;
  /** Of those, the frames at the end, after the last queued audio (see PlayoutFrame.tailFrames). */
  tailFrames: number;
  underrun: boolean;
  playing: boolean;
}

export interface JitterBufferOptions {
  format: AudioFormat;
  targetMs: number;
  /** Default max(500, 4 × target): a packet starting further ahead resyncs. */
  maxMs?: number;
  /** Where each packet's pcm goes back once it has played or is not queued (the receiver's L16 arrays). */
  pool?: PcmPool;
}

/** `skippedMs`: queued audio dropped to bring the delay back to its target (see skipAhead). */
export type JitterBufferStats = Record<'late' | 'concealedMs' | 'underruns' | 'overflows' | 'duplicates' | 'skippedMs', number>;

const IDLE_AFTER_MS = 1000; // no arrivals this long while playing: sender gone
const FOLLOW_MIN_MS = 80;
const STALE_SLACK_MS = 20; // queued beyond the usual at the end of a pre-roll before its head is skipped

export class JitterBuffer {
  private fmt: AudioFormat;
  private target: number;
  private readonly maxMsOption: number | undefined;
  private concealer: PlayoutWriter; // the PCM fade, or a codec's own concealment (Opus)
  private ownConcealer = true;
  private readonly queue: JitterQueue;
  private readonly release: ((pcm: Int16Array) => void) | undefined;
  private state: 'idle' | 'preroll' | 'playing' = 'idle';
  private cursor = 0; // unwrapped timestamp of the next frame to play
  private anchor = 0; // pre-roll: the first packet's unwrapped timestamp
  private firstArrival = 0;
  private lastArrival = 0;
  private lateSince: number | undefined; // start of a run of late packets with nothing queued
  private inUnderrun = false; // pulls found nothing since audio last played: an underrun once audio follows
  private prerolls = 0;
  private readonly bursts = new BurstSizes();
  private pendingConcealed = 0; // frames made up past the queued audio, not yet known missing
  private counters = { late: 0, concealedFrames: 0, underruns: 0, overflows: 0, duplicates: 0, recoveredFrames: 0, skippedFrames: 0 };
  private outBuf = new Int16Array(0);
  private readonly result: PullResult = { pcm: this.outBuf, concealedFrames: 0, tailFrames: 0, underrun: false, playing: false };

  constructor(opts: JitterBufferOptions) {
    this.fmt = opts.format;
    this.target = opts.targetMs;
    this.maxMsOption = opts.maxMs;
    this.concealer = new Concealer(opts.format);
    const pool = opts.pool;
    // A codec's writer (Opus) may know its queued arrays by identity: only PCM the buffer plays itself goes back.
    this.release = pool ? (pcm) => { if (this.ownConcealer) pool.give(pcm); } : undefined;
    this.queue = new JitterQueue(this.release);
  }

  get format(): AudioFormat { return this.fmt; }
  get targetMs(): number { return this.target; }
  /** The next pre-roll's length (a running stream's delay is steered by the playout controller). */
  setTargetMs(ms: number): void { this.target = ms; }
  /** Bumped at every pre-roll: the sender's timeline may have moved. */
  get timeline(): number { return this.prerolls; }

  /** Audio queued ahead of the playout cursor (end of newest packet − cursor). */
  get bufferedMs(): number {
    const first = this.queue.first;
    if (this.state === 'idle' || first === undefined) return 0;
    const from = this.state === 'playing' ? this.cursor : first.ts;
    return Math.max(0, msFor(this.fmt, this.queue.end - from));
  }

  /** The RTP timestamp (mod 2^32) of the next frame to play; undefined unless playing. */
  get cursorTimestamp(): number | undefined {
    return this.state === 'playing' ? wrapUint32(this.cursor) : undefined;
  }

  /**
   * Queues a packet's audio. The buffer keeps `pcm` as it is (no copy): the
   * caller must not reuse it. With a pool, the buffer gives it back once it
   * has played, or at once when it is not queued (late, duplicate, empty).
   */
  push(rtpTimestamp: number, pcm: Int16Array, nowMs: number): PushResult {
    const r = this.place(rtpTimestamp, pcm, nowMs);
    if (this.release && (r === 'late' || r === 'duplicate' || r === 'empty')) this.release(pcm);
    return r === 'empty' ? 'queued' : r;
  }

  private place(rtpTimestamp: number, pcm: Int16Array, nowMs: number): PushResult | 'empty' {
    this.lastArrival = nowMs;
    const frames = Math.floor(pcm.length / this.fmt.channels);
    if (frames === 0) return 'empty'; // nothing to place, nothing lost
    this.bursts.add(frames, nowMs);
    if (this.state === 'idle') {
      this.startPreroll(rtpTimestamp, pcm, frames, nowMs);
      return 'queued';
    }
    const ts = this.queue.unwrap(rtpTimestamp);
    const end = ts + frames;
    const playing = this.state === 'playing';
    if (ts - (playing ? this.cursor : this.anchor) > this.frames(this.maxMs)) {
      this.counters.overflows++;
      this.startPreroll(rtpTimestamp, pcm, frames, nowMs);
      return 'overflow';
    }
    if (playing ? end <= this.cursor : ts < this.anchor - this.frames(this.target)) {
      return this.onLate(ts, rtpTimestamp, pcm, frames, nowMs);
    }
    if (this.queue.isDuplicate(ts, end, playing ? this.cursor : -Infinity)) {
      this.counters.duplicates++;
      return 'duplicate';
    }
    this.lateSince = undefined;
    this.queue.insert(ts, end, whole(pcm, frames * this.fmt.channels));
    return 'queued';
  }

  /**
   * Applies what time alone changes (the pre-roll ends, a silent sender
   * goes idle) and says whether a pull now would play. `pull` does this too.
   * `lateMs`: how long ago the pull was due. A sink catching up after the
   * receiver stalled pulls for moments already past, with the packets of the
   * stall already queued; judged by the time they are made, pulls due inside
   * the pre-roll would end it early and play its delay away.
   */
  prepare(nowMs: number, lateMs = 0): boolean {
    const dueMs = nowMs - Math.max(0, lateMs);
    if (this.state === 'playing' && dueMs - this.lastArrival >= IDLE_AFTER_MS) this.goIdle();
    if (this.state === 'preroll' && dueMs >= this.firstArrival + this.target) {
      this.state = 'playing';
      this.cursor = this.queue.first!.ts; // earliest queued, in case the first arrival was reordered
      this.skipStale(nowMs - dueMs);
    }
    return this.state === 'playing';
  }

  /** Always returns exactly `frames` frames; `lateMs` as for `prepare`. */
  pull(frames: number, nowMs: number, lateMs = 0): PullResult {
    const out = this.output(frames);
    const r = this.result;
    r.concealedFrames = 0;
    r.tailFrames = 0;
    r.underrun = false;
    r.playing = this.prepare(nowMs, lateMs);
    if (!r.playing) {
      this.concealer.conceal(out, 0, frames); // silence, or the tail of a fade
      return r;
    }
    this.queue.dropBefore(this.cursor);
    r.underrun = this.queue.length === 0;
    this.inUnderrun ||= r.underrun;

    const stop = this.cursor + frames;
    const { played, gap, tail } = this.queue.read(out, this.cursor, frames, this.concealer);
    this.accountConcealment(gap, tail, played > 0, this.queue.end > stop);
    // Counted when audio follows, as concealment is: a sender that simply
    // stops leaves the buffer empty until it goes idle, and that is the
    // stream's end, not audio the sink wanted and the buffer did not have.
    if (played > 0 && this.inUnderrun) {
      this.counters.underruns++;
      this.inUnderrun = false;
    }
    r.concealedFrames = gap + tail;
    r.tailFrames = tail;
    if (!this.ownConcealer) this.counters.recoveredFrames += this.concealer.takeRecoveredFrames?.() ?? 0;
    this.cursor = stop;
    this.queue.dropBefore(this.cursor);
    return r;
  }

  /**
   * Drops up to `ms` of the audio queued at the playout cursor, never so much
   * that less than the target stays queued: the delay grew (the device played
   * silence it never asked us for, the sink stalled) and playing it all would
   * keep that as extra delay. Returns the ms dropped; 0 unless playing.
   */
  skipAhead(ms: number): number {
    if (this.state !== 'playing' || ms <= 0) return 0;
    const room = this.queue.end - this.cursor - this.frames(this.target);
    const frames = Math.min(this.frames(ms), room);
    if (frames <= 0) return 0;
    this.cursor += frames;
    this.queue.dropBefore(this.cursor);
    this.counters.skippedFrames += frames;
    return msFor(this.fmt, frames);
  }

  /**
   * New SSRC or format: forget the stream and start counting afresh.
   * `writer`: the codec that plays the new stream's queue (Opus decodes at
   * playout); without one, PCM through the fade concealer.
   */
  reset(format?: AudioFormat, writer?: PlayoutWriter): void {
    this.enterIdle();
    const formatChanged = format !== undefined && !formatEquals(format, this.fmt);
    if (format !== undefined) this.fmt = format;
    if (writer) {
      this.concealer = writer;
      this.ownConcealer = false;
    } else if (formatChanged || !this.ownConcealer) {
      this.concealer = new Concealer(this.fmt);
      this.ownConcealer = true;
    } // else same format: keep the concealer so the old stream fades out and the new fades in.
    this.counters = { late: 0, concealedFrames: 0, underruns: 0, overflows: 0, duplicates: 0, recoveredFrames: 0, skippedFrames: 0 };
  }

  stats(): JitterBufferStats {
    const { late, concealedFrames, underruns, overflows, duplicates, recoveredFrames, skippedFrames } = this.counters;
    // Frames a codec rebuilt from redundancy (Opus FEC) were missing but are not made up.
    return { late, concealedMs: msFor(this.fmt, Math.max(0, concealedFrames - recoveredFrames)), underruns, overflows, duplicates, skippedMs: msFor(this.fmt, skippedFrames) };
  }

  private get maxMs(): number { return this.maxMsOption ?? Math.max(500, 4 * this.target); }
  private frames(ms: number): number { return samplesPerChannel(this.fmt, ms); }

  private onLate(ts: number, raw: number, pcm: Int16Array, frames: number, nowMs: number): PushResult {
    if (this.queue.wasPlayed(ts)) {
      this.counters.duplicates++;
      return 'duplicate';
    }
    // Late for longer than the target with nothing to play: the sender's
    // timeline moved (a pause without a timestamp jump). Follow it. Not
    // sooner than FOLLOW_MIN_MS: a lean auto target meeting sudden jitter
    // should grow (the controller does that), not restart with a gap.
    if (this.state === 'playing' && this.queue.end <= this.cursor) {
      this.lateSince ??= nowMs;
      if (nowMs - this.lateSince >= Math.max(this.target, FOLLOW_MIN_MS)) {
        this.startPreroll(raw, pcm, frames, nowMs);
        return 'queued';
      }
    }
    this.counters.late++;
    return 'late';
  }

  // A pre-roll normally ends with the target plus one of the sender's
  // bursts queued (a packet, or a frame split into several). Far more means
  // a burst came in meanwhile (a stalled sender or receiver catching up):
  // start where the newest audio is that far ahead, not at the oldest, or
  // the burst would stay on as extra delay. The stream starts from silence
  // here anyway, so skipping its stale head makes no click. A pull made
  // `lateMs` after it was due has that much more queued by rights: the
  // pulls still due until now will take it.
  private skipStale(lateMs: number): void {
    const burst = this.bursts.typical();
    const normal = this.frames(this.target) + burst;
    const slack = Math.max(this.frames(STALE_SLACK_MS), burst);
    const owed = this.frames(lateMs);
    const end = this.queue.end;
    if (end - this.cursor > normal + slack + owed) {
      this.cursor = end - normal - owed;
      this.queue.dropBefore(this.cursor);
    }
  }

  private startPreroll(raw: number, pcm: Int16Array, frames: number, nowMs: number): void {
    this.enterIdle();
    this.prerolls++;
    const ts = this.queue.unwrap(raw);
    this.state = 'preroll';
    this.anchor = ts;
    this.firstArrival = nowMs;
    this.lastArrival = nowMs;
    this.queue.insert(ts, ts + frames, whole(pcm, frames * this.fmt.channels));
  }

  /** Stops playing; the concealer keeps its fade so the output stays smooth. */
  private enterIdle(): void {
    this.state = 'idle';
    this.queue.clear();
    this.lateSince = undefined;
    this.inUnderrun = false; // likewise: an empty buffer that ends here was no underrun
    this.pendingConcealed = 0; // it was the stream's end, not a loss
  }

  private goIdle(): void {
    this.enterIdle();
    this.concealer.reset(); // long faded out: the next stream starts clean
  }

  // Made-up frames count once later audio shows they were missing, so a
  // sender that simply stops does not add a second of "concealment".
  private accountConcealment(gap: number, tail: number, played: boolean, moreQueued: boolean): void {
    if (moreQueued) {
      this.counters.concealedFrames += this.pendingConcealed + gap + tail;
      this.pendingConcealed = 0;
    } else if (played) {
      this.counters.concealedFrames += this.pendingConcealed + gap;
      this.pendingConcealed = tail;
    } else {
      this.pendingConcealed += tail;
    }
  }

  // One backing buffer, grown on demand; a steady pull size reuses one view.
  private output(frames: number): Int16Array {
    const len = frames * this.fmt.channels;
    if (this.result.pcm.length !== len || this.result.pcm.buffer !== this.outBuf.buffer) {
      if (this.outBuf.length < len) this.outBuf = new Int16Array(len);
      this.result.pcm = this.outBuf.subarray(0, len);
    }
    return this.result.pcm;
  }
}

/** The packet's samples as a whole number of frames: the array itself when it already is (it always is from the receiver). */
function whole(pcm: Int16Array, samples: number): Int16Array {
  return pcm.length === samples ? pcm : pcm.subarray(0, samples);
}
