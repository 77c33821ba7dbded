import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { AudioFormat, CodecName } from '../shared/audio-format.js';
import { describeFormat, formatEquals } from '../shared/audio-format.js';
import { Playout } from '../audio/playout/playout.js';
import type { JitterSpec } from '../audio/playout/jitter-spec.js';
import { LevelMeter, type Level, type SharedLevelWindow } from '../audio/meter.js';
import type { Recorder } from '../audio/record/recorder.js';
import type { ReplayRing } from '../audio/record/replay-ring.js';
import { TailHold } from '../audio/playout/tail-hold.js';
import type { AudioSink, PlayoutFrame, Pull } from '../audio/sink/sink.js';
import { RateConverter } from '../audio/playout/rate-convert.js';
import { BitrateMeter } from '../net/bitrate.js';
import { l16Into } from '../net/rtp/l16.js';
import { PcmPool } from '../audio/playout/pcm-pool.js';
import { formatForPayloadType, isDynamic } from '../net/rtp/payload-types.js';
import { ReceiverStats } from '../net/rtp/receiver-stats.js';
import type { SourceFigures } from '../net/rtcp/report-block.js';
import { NO_RECEIVER_RTCP, type ReceiverRtcpFigures } from '../net/rtcp/receiver-reports.js';
import type { RtpHeader } from '../net/rtp/rtp.js';
import { newRtpFields, readRtp } from '../net/rtp/rtp.js';
import { SenderPresence, describePresence, type PresenceChange } from '../net/rtp/sender-presence.js';
import type { Peer } from '../net/transport/udp-transport.js';
import { peerName } from '../net/transport/udp-transport.js';
import { WarnSummary, describeCounts } from '../net/warn-summary.js';
import { round1 } from '../shared/units.js';
import { HISTORY_SECONDS, type ReceiverSnapshot, type SecondGaps } from './receiver-snapshot.js';
import { SessionTotals } from './session-totals.js';
import { StreamQuality } from './stream-quality.js';
import { opusImpairment } from '../net/quality/emodel.js';
import type { PushResult } from '../audio/playout/jitter-buffer.js';
import { makeDecoding, type StreamDecoding } from './codecs.js';

/** Largest datagram taken as RTP: a 1500-byte Ethernet MTU's worth. */
export const MAX_PACKET_BYTES = 1500;
/** A foreign SSRC may take over once the locked one has been silent this long. */
export const SSRC_TAKEOVER_MS = 2000;

export interface ReceiverOptions {
  /** The format dynamic payload types are taken to carry (flags or SDP). */
  format: AudioFormat;
  /** The codec dynamic payload types are taken to carry (--codec or SDP); static 10/11 are L16. Default l16. */
  codec?: CodecName;
  /** Opus: play at this rate rather than the wire's 48 kHz (receive --rate). */
  playRate?: number;
  /** Playout delay: a fixed target, or auto (follows the link's jitter); drift is compensated either way. */
  jitter: JitterSpec;
  /** SRTP: returns the plain packet, or an error reason to count as rejected (malformed: the header itself is broken). */
  unprotect?: (packet: Buffer) => Buffer | { error: string; malformed?: boolean };
  now?: () => number;
}

export interface ReceiverEvents {
  stream: [{ peer: Peer; ssrc: number; format: AudioFormat; codec: CodecName }];
  /** The locked sender stopped sending, or started again (UDP: see checkSender). */
  presence: [{ peer: Peer; change: PresenceChange; line: string }];
  error: [Error];
}

/**
 * Network pushes packets in (handlePacket); the sink's clock pulls audio out.
 * Bad input is counted and dropped, never thrown.
 */
export class Receiver extends EventEmitter<ReceiverEvents> {
  private readonly now: () => number;
  private readonly stats: ReceiverStats;
  private readonly jb: Playout;
  private readonly totals = new SessionTotals();
  private readonly meter = new LevelMeter();
  private readonly warnings = new WarnSummary();
  private handlingFailures = 0;
  private lockedSsrc: number | undefined;
  private lastLockedMs = 0;
  // Silent as long as it takes another SSRC to take the lock over: by then the
  // receiver treats the sender as gone anyway, and it is far above any jitter
  // target a live link needs, so a late burst does not count as a stop.
  private readonly presence = new SenderPresence(SSRC_TAKEOVER_MS);
  private streamFormat: AudioFormat | undefined;
  private peer: Peer | undefined;
  private malformed = 0;
  private rejected = 0;
  private readonly bitrate: BitrateMeter;
  private readonly startedAt: number;
  private prevSecond = { received: 0, lost: 0, late: 0, outOfOrder: 0, duplicates: 0, concealedMs: 0 };
  private readonly history: SecondGaps[] = [];
  private readonly quality: StreamQuality;
  private prevUnderruns = { buffer: 0, device: 0 };
  private sinkStarted = false;
  /** The locked stream's decoding; undefined for L16 (read in place). */
  private decoding: StreamDecoding | undefined;
  private streamCodec: CodecName = 'l16';
  private recoveredEnded = 0;
  /** The packet being handled: one object for every datagram. */
  private readonly rtp = newRtpFields();
  /** L16 packets' pcm, reused once played (the jitter buffer gives it back). */
  private readonly pcmPool = new PcmPool();

  constructor(
    private readonly opts: ReceiverOptions,
    private readonly sink: AudioSink,
    private readonly log: Logger,
    private readonly recorder?: Recorder,
    private readonly replay?: ReplayRing,
  ) {
    super();
    this.now = opts.now ?? (() => performance.now());
    this.startedAt = this.now();
    this.bitrate = new BitrateMeter(this.startedAt);
    this.stats = new ReceiverStats(opts.format.rate);
    this.jb = new Playout({ format: opts.format, jitter: opts.jitter, pool: this.pcmPool });
    this.quality = new StreamQuality(opts.format.rate);
    sink.on('error', (err) => this.emit('error', err));
  }

  get format(): AudioFormat | undefined {
    return this.streamFormat;
  }

  /** receive --sap: the format the announced stream's dynamic payload type carries (the next stream's, once one ends). */
  useFormat(format: AudioFormat, codec: CodecName = 'l16'): void {
    this.opts.format = format;
    this.opts.codec = codec;
  }

  /**
   * Called for every datagram (UDP) or de-framed packet (TCP). `arrivalMs`:
   * when it arrived, on the receiver's clock (the kernel's receive time from
   * the batch reader); else now, when JavaScript got to it. `handledMs`: when
   * the batch it came in was read (one clock reading a batch); else now.
   */
  handlePacket(datagram: Buffer, from: Peer, arrivalMs?: number, handledMs?: number): void {
    try {
      this.process(datagram, from, arrivalMs, handledMs);
    } catch (err) {
      // A bug must not take the socket down with it, nor flood the log: count, log the first with its stack, carry on.
      this.malformed++;
      if (this.handlingFailures++ === 0) this.log.error({ err }, 'receiver: packet handling failed');
      else this.warnings.note('packet handling failed');
    }
  }

  /** The transport lost the locked peer (TCP disconnect): let the next one in at once. */
  releaseLock(from: Peer): void {
    if (this.peer && this.peer.address === from.address && this.peer.port === from.port) {
      this.lockedSsrc = undefined;
      this.presence.release();
    }
  }

  /** UDP has no disconnect: call now and then (the stats tick) to log once when the locked sender falls silent. */
  checkSender(): void {
    const change = this.presence.check(this.now());
    if (change) this.notePresence(change);
  }

  private notePresence(change: PresenceChange): void {
    if (!this.peer) return;
    const peer = peerName(this.peer);
    const line = describePresence(peer, change);
    this.log.info({ peer, ssrc: this.lockedSsrc, silentMs: Math.round(change.silentMs) }, line);
    this.emit('presence', { peer: this.peer, change, line });
  }

  noteMalformed(kind: string): void {
    this.malformed++;
    this.warnings.noteKind('malformed', kind);
  }

  /** Counted with the packets that failed SRTP: RTCP whose SRTCP tag does not check. */
  noteRejected(kind: string): void {
    this.rejected++;
    this.warnings.noteKind('rejected', kind);
  }

  /** The stream RTCP reports on: the locked source, where its RTP comes from, and the figures of this stream (not the session's). */
  reportSource(): { ssrc: number; peer: Peer; figures: SourceFigures } | undefined {
    if (this.lockedSsrc === undefined || !this.peer) return undefined;
    const s = this.stats.snapshot();
    return { ssrc: this.lockedSsrc, peer: this.peer, figures: { expected: s.expected, received: s.received, lost: s.lost, ...this.stats.reportFigures() } };
  }

  /** The locked source said BYE: let the next sender in at once, without waiting for its silence. */
  releaseSsrc(ssrc: number): boolean {
    if (this.lockedSsrc !== ssrc) return false;
    this.lockedSsrc = undefined;
    this.presence.release();
    return true;
  }

  /**
   * The batch reader: called before every pull, so the sink's clock reads the
   * socket (no wake-up per datagram) and each pull sees what has arrived.
   */
  readBeforePull(read: ((upToMs?: number, bySink?: boolean) => void) | undefined, replayPulls = false): void {
    this.readIn = read;
    this.replayPulls = replayPulls;
  }

  /** `bySink` false: a read for another reason than a pull (BatchUdpReceiver.drain). */
  private readIn: ((upToMs?: number, bySink?: boolean) => void) | undefined;
  /**
   * The sink wakes in batches (AudioSink.batchWakes) and the reader keeps
   * kernel arrival times: each pull is made as of when it was due, after
   * exactly the datagrams that had arrived by then — what a sink pulling on
   * time would have seen, without the wake-ups.
   */
  private replayPulls = false;

  /** Reads what the batch reader holds now: RTCP from the other socket (a BYE) must not overtake the RTP sent before it. */
  catchUp(): void {
    this.readIn?.(undefined, false);
  }

  /** The loop is awake anyway (a datagram was just handled): a sink without a device clock pulls what is due. */
  awake(): void {
    this.sink.awake?.();
  }

  private process(datagram: Buffer, from: Peer, arrivalMs: number | undefined, batchMs: number | undefined): void {
    const now = arrivalMs ?? this.now();
    if (datagram.length > MAX_PACKET_BYTES) return this.noteMalformed('oversize');
    let wire = datagram;
    if (this.opts.unprotect) {
      const r = this.opts.unprotect(datagram);
      if (!Buffer.isBuffer(r)) {
        if (r.malformed) return this.noteMalformed(r.error);
        this.rejected++;
        this.warnings.noteKind('rejected', r.error);
        return;
      }
      wire = r;
    }
    const p = this.rtp;
    const error = readRtp(wire, p);
    if (error !== undefined) return this.noteMalformed(error);
    const format = formatForPayloadType(p.payloadType, this.opts.format);
    if (!format) return this.noteMalformed('payload type');
    const codec = isDynamic(p.payloadType) ? (this.opts.codec ?? 'l16') : 'l16';
    const payloadBytes = p.payloadEnd - p.payloadStart;
    if (codec === 'l16' && payloadBytes % (2 * format.channels) !== 0) return this.noteMalformed('odd payload length');
    if (!this.admit(p, format, codec, from, now)) return;
    this.bitrate.add(datagram.length);
    const verdict = this.stats.onPacket(p.sequenceNumber, p.timestamp, now);
    if (verdict === 'duplicate' || verdict === 'bad') {
      if (verdict === 'bad') this.warnings.note('out-of-range sequence');
      return;
    }
    // Losses are warned of once a second, as the stats count them (sample()).
    if (verdict === 'reordered') this.warnings.note('reordered');
    if (this.log.isLevelEnabled('trace')) {
      this.log.trace({ seq: p.sequenceNumber, ts: p.timestamp, bytes: datagram.length, verdict }, 'packet');
    }
    const handledMs = arrivalMs === undefined ? now : (batchMs ?? this.now());
    let pushed: PushResult = 'queued';
    if (payloadBytes > 0) {
      if (!this.decoding) {
        // Into a pooled array: the jitter buffer gives it back once it has played.
        const pcm = l16Into(wire, p.payloadStart, this.pcmPool.take(payloadBytes >> 1));
        pushed = this.jb.push(p.timestamp, pcm, now, handledMs);
      } else {
        const pcm = this.decoding.accept(wire.subarray(p.payloadStart, p.payloadEnd), p.sequenceNumber);
        if (typeof pcm === 'string') return this.noteMalformed(pcm);
        pushed = this.jb.push(p.timestamp, pcm, now, handledMs);
      }
    }
    this.quality.arrival(p.sequenceNumber, p.timestamp, now, pushed === 'late');
  }

  /** SSRC lock and format; true when the packet belongs to the stream we play. */
  private admit(p: RtpHeader, format: AudioFormat, codec: CodecName, from: Peer, now: number): boolean {
    if (this.lockedSsrc === p.ssrc) {
      this.lastLockedMs = now;
      const change = this.presence.packet(now);
      if (change) this.notePresence(change);
      return true;
    }
    if (this.lockedSsrc !== undefined && now - this.lastLockedMs < SSRC_TAKEOVER_MS) {
      this.rejected++;
      this.warnings.note('rejected (foreign SSRC)');
      return false;
    }
    if (this.sinkStarted && this.streamFormat && !formatEquals(format, this.streamFormat) && !this.sinkCanReopen()) {
      this.rejected++;
      this.warnings.note(`rejected (${describeFormat(format)} does not match the open ${describeFormat(this.streamFormat)} sink)`);
      return false;
    }
    const previous = this.lockedSsrc;
    this.lockedSsrc = p.ssrc;
    this.lastLockedMs = now;
    this.presence.lock(now);
    this.peer = from;
    this.totals.endStream(this.stats.snapshot(), this.jb.stats());
    this.recoveredEnded += this.decoding?.recovered ?? 0;
    this.stats.reset();
    this.stats.setClockRate(format.rate);
    this.quality.newStream(format.rate);
    const changed = !this.streamFormat || !formatEquals(format, this.streamFormat);
    this.streamFormat = format;
    // A decoder's state belongs to one stream: each new one gets its own.
    this.decoding = makeDecoding(codec, format);
    this.decoding?.onRecovered?.((seq) => this.quality.recovered(seq));
    this.streamCodec = codec;
    this.jb.reset(format, this.decoding?.writer);
    this.log.info(
      { peer: peerName(from), ssrc: p.ssrc, format: describeFormat(format, codec), payloadType: p.payloadType, previousSsrc: previous },
      `receiving from ${peerName(from)}: ${describeFormat(format, codec)}, SSRC 0x${p.ssrc.toString(16).padStart(8, '0')}`,
    );
    this.emit('stream', { peer: from, ssrc: p.ssrc, format, codec });
    if (changed) this.startSink(format);
    return true;
  }

  private sinkCanReopen(): boolean {
    return !this.sink.description.startsWith('file:');
  }

  private startSink(format: AudioFormat): void {
    const restart = this.sinkStarted ? this.sink.stop() : Promise.resolve();
    this.sinkStarted = true;
    this.recorder?.setFormat?.(format);
    const rec = this.recorder;
    const replay = this.replay;
    replay?.setFormat(format);
    // The recording (and the replay ring) is what played, less a made-up tail no audio followed (the stream's end).
    const write = (pcm: Int16Array): void => {
      rec?.write(pcm);
      replay?.write(pcm);
    };
    this.recordHold = rec || replay ? new TailHold(write, format.channels, 2 * format.rate) : undefined;
    // Opus arrives at 48 kHz; a --rate asked for another is converted after playout.
    const rate = this.decoding?.codec === 'opus' ? (this.opts.playRate ?? format.rate) : format.rate;
    const conv = rate !== format.rate ? new RateConverter(format.rate, rate, format.channels) : undefined;
    const pull: Pull = conv ? (frames, audible, lateMs) => conv.pull(frames, (n) => this.pull(n, audible, lateMs)) : this.pull;
    restart
      .then(() => this.sink.start(rate === format.rate ? format : { rate, channels: format.channels }, pull))
      .catch((err: unknown) => this.emit('error', err instanceof Error ? err : new Error(String(err))));
  }

  private recordHold: TailHold | undefined;

  /** Told how late each pull of a clockless sink ran (its pacer's tick): the loop's delay, sampled for free. */
  onPullLateness(note: ((lateMs: number) => void) | undefined): void {
    this.noteLate = note;
  }

  private noteLate: ((lateMs: number) => void) | undefined;

  private readonly pull = (frames: number, audible = true, lateMs = 0): PlayoutFrame => {
    let r: PlayoutFrame;
    if (this.replayPulls) {
      const due = this.now() - lateMs;
      this.readIn?.(due);
      r = this.jb.pull(frames, due, 0);
    } else {
      this.noteLate?.(lateMs);
      this.readIn?.();
      r = this.jb.pull(frames, this.now(), lateMs);
    }
    if (r.playing) {
      if (audible) this.meter.add(r.pcm);
    }
    this.recordHold?.push(r);
    return r;
  };


  /** Warnings gathered since the last call, logged as one line at most. */
  flushWarnings(): void {
    const c = this.warnings.drain();
    if (c) this.log.warn({ counts: c }, `receiver: ${describeCounts(c)} in the last second`);
  }

  async stop(): Promise<void> {
    if (this.sinkStarted) await this.sink.stop();
    this.sinkStarted = false;
    this.quality.endStream(); // the last packets' fates settle: the final figures count them
  }

  get peerAddress(): string | null {
    return this.peer ? peerName(this.peer) : null;
  }

  /** Level of what was played since the previous glance (the dashboard's meter). */
  glance(): Level {
    return this.meter.glance();
  }

  /** Folds what is played into `w` too, for a reader on another thread. */
  shareLevels(w: SharedLevelWindow): void {
    this.meter.share(w);
  }

  /** Stats since the previous call (bitrate, levels, the gap strip) plus totals. */
  sample(loopDelayP99Ms: number, rtcp: ReceiverRtcpFigures = NO_RECEIVER_RTCP): ReceiverSnapshot {
    if (this.replayPulls) {
      // Pulls replayed in batches: bring them, and what has arrived, up to now first.
      this.sink.awake?.();
      this.readIn?.(this.now(), false);
    }
    const now = this.now();
    const bitrateKbps = this.bitrate.takeKbps(now);
    const s = this.totals.seq(this.stats.snapshot());
    const j = this.totals.playout(this.jb.stats());
    const level = this.meter.take();
    const bufferMs = round1(this.jb.takeAverageBufferMs(now)); // averaged over the second: one pull says little
    const device = this.sink.underruns;
    const underruns = { buffer: j.underruns - this.prevUnderruns.buffer, device: device - this.prevUnderruns.device };
    this.prevUnderruns = { buffer: j.underruns, device };
    const streaming = this.streamFormat !== undefined;
    const second: SecondGaps = {
      received: s.received - this.prevSecond.received,
      lost: Math.max(0, s.lost - this.prevSecond.lost),
      late: j.late - this.prevSecond.late,
      reordered: s.outOfOrder - this.prevSecond.outOfOrder,
      duplicates: s.duplicates - this.prevSecond.duplicates,
      concealedMs: Math.max(0, j.concealedMs - this.prevSecond.concealedMs),
      jitterMs: streaming ? round1(s.jitterMs) : null,
      bufferMs: streaming ? bufferMs : null,
      targetMs: round1(this.jb.targetMs),
      underruns: underruns.buffer + underruns.device,
    };
    this.quality.second({ deviceUnderruns: underruns.device, bufferUnderruns: underruns.buffer, lost: second.lost, late: second.late });
    // What the stats call lost this second, not every gap an arrival showed: a reordered packet fills its gap.
    if (second.lost > 0) this.warnings.note('missing (sequence gap)', second.lost);
    this.prevSecond = { received: s.received, lost: s.lost, late: j.late, outOfOrder: s.outOfOrder, duplicates: s.duplicates, concealedMs: j.concealedMs };
    this.history.push(second);
    if (this.history.length > HISTORY_SECONDS) this.history.shift();
    return {
      role: 'receiver',
      ...s,
      jitterMs: round1(s.jitterMs),
      lossPercent: Math.round(s.lossPercent * 100) / 100,
      late: j.late,
      concealedMs: Math.round(j.concealedMs),
      bufferMs,
      targetMs: round1(this.jb.targetMs),
      malformed: this.malformed,
      rejected: this.rejected,
      bitrateKbps,
      peakDbfs: round1(level.peakDbfs),
      rmsDbfs: round1(level.rmsDbfs),
      recording: this.recorder?.state().path ?? null,
      // Plus the device's own: a speaker whose worker ran dry played silence too.
      underruns: j.underruns + this.sink.underruns,
      overflows: j.overflows,
      skippedMs: Math.round(j.skippedMs),
      uptimeS: Math.round((now - this.startedAt) / 100) / 10,
      driftPpm: this.jb.driftPpm === null ? null : round1(this.jb.driftPpm),
      loopDelayP99Ms,
      peer: this.peerAddress,
      format: this.streamFormat ? describeFormat(this.streamFormat, this.streamCodec) : null,
      codec: this.streamFormat ? this.streamCodec : null,
      recovered: this.recoveredEnded + (this.decoding?.recovered ?? 0),
      ...rtcp,
      mos: streaming ? this.quality.mos({ bufferMs, rttMs: rtcp.rttMs, sessionLossPercent: s.lossPercent, ...(this.streamCodec === 'opus' ? { codec: opusImpairment(bitrateKbps) } : {}) }) : null,
      glitches: this.quality.glitches(),
      jitterHistogram: this.quality.jitterHistogram(),
      lossBursts: this.quality.lossBursts(),
      gaps: this.history.slice(),
    };
  }
}

