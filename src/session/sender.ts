import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { AudioFormat } from '../shared/audio-format.js';
import { LevelMeter, type Level, type SharedLevelWindow } from '../audio/meter.js';
import type { Recorder } from '../audio/record/recorder.js';
import type { ReplayRing } from '../audio/record/replay-ring.js';
import type { AudioSource } from '../audio/source/source.js';
import type { ImpairOptions } from '../net/impair.js';
import { BitrateMeter } from '../net/bitrate.js';
import { Impairer, impairmentActive } from '../net/impair.js';
import { RtpPacketizer } from '../net/rtp/packetizer.js';
import { payloadTypeFor } from '../net/rtp/payload-types.js';
import { round1 } from '../shared/units.js';
import { RTP_HEADER_BYTES } from '../net/rtp/rtp.js';
import type { RemoteFigures, SrFigures } from '../net/rtcp/sender-reports.js';
import { NO_REMOTE_FIGURES } from '../net/rtcp/sender-reports.js';
import { uint32Add } from '../shared/rtp-time.js';
import { HISTORY_SECONDS } from './receiver-snapshot.js';
import { remoteMos, REPORT_STALE_S } from './stream-quality.js';
import { opusImpairment } from '../net/quality/emodel.js';
import type { CodecName, Encoder } from '../audio/codec/codec.js';
import { L24_BYTES_PER_SAMPLE } from '../audio/codec/l24.js';

/** Where packets go: a UDP socket or a reconnecting TCP connection. */
export interface PacketOut {
  send(packet: Buffer): unknown;
  close(): Promise<void>;
  /** False while a TCP connection is down: audio then is skipped, not queued. */
  readonly ready?: boolean;
}

/** One second of what the receiver's reports said; nulls when no report covered that second. */
export interface RemoteSecond {
  lossPercent: number | null;
  jitterMs: number | null;
  rttMs: number | null;
}

export type ConnectionState = 'connecting' | 'connected' | 'retrying' | 'closed';

export interface SenderSnapshot extends RemoteFigures {
  role: 'sender';
  sent: number;
  bytes: number;
  bitrateKbps: number;
  peakDbfs: number;
  rmsDbfs: number;
  recording: string | null;
  /** TCP only; null over UDP. */
  connected: boolean | null;
  connection: ConnectionState | null;
  uptimeS: number;
  loopDelayP99Ms: number;
  simDropped: number;
  simDuplicated: number;
  /** Audio captured while not connected (TCP), not sent. */
  skippedMs: number;
  codec: CodecName;
  /** RTCP from the receiver that could not be read (bad packets, reports about other sources, failed SRTCP). */
  malformed: number;
  /** E-model estimate of what the receiver hears, from its reports (loss, jitter, RTT/2 + nominal playout delay); null with no reports. */
  mos: number | null;
  /** Screen only: the last ≤300 seconds of the receiver's reports, oldest first. */
  remoteHistory: RemoteSecond[];
}

export interface SenderOptions {
  format: AudioFormat;
  protocol: 'udp' | 'tcp';
  impair: ImpairOptions;
  /** SRTP protection, when a key is set. */
  protect?: (packet: Buffer) => Buffer;
  trailerBytes?: number;
  /** --duration: send exactly this many seconds of audio, then end (a wall-clock timer sent one tick more). */
  durationS?: number;
  /** A codec other than L16 (which the packetizer writes itself) and its payload type. */
  encoder?: Encoder;
  payloadType?: number;
}

export interface SenderEvents {
  end: [why: 'source' | 'duration'];
  error: [Error];
}

/**
 * Capture → meter/recorder taps → RTP packetizer → (SRTP) → (impairments) → out.
 * Knows nothing of the UI; the dashboard and headless mode read snapshot().
 */
export class Sender extends EventEmitter<SenderEvents> {
  readonly packetizer: RtpPacketizer;
  private readonly meter = new LevelMeter();
  private readonly impairer: Impairer | undefined;
  private sent = 0;
  private skippedFrames = 0;
  private captured = 0;
  // What the SR reports: packets made (before any --sim-* loss: the network lost those), payload octets,
  // and the newest timestamp with when it was made, to place "now" on the RTP timeline.
  private made = 0;
  private madeOctets = 0;
  private lastTimestamp: number;
  private lastTimestampAt: number;
  private readonly limitFrames: number | undefined;
  private readonly bitrate = new BitrateMeter(performance.now());
  private readonly startedAt = performance.now();
  connection: ConnectionState | null = null;
  private running = false;
  private readonly remoteHistory: RemoteSecond[] = [];

  constructor(
    private readonly opts: SenderOptions,
    private readonly source: AudioSource,
    private readonly out: PacketOut,
    private readonly log: Logger,
    private readonly recorder?: Recorder,
    private readonly replay?: ReplayRing,
  ) {
    super();
    this.packetizer = new RtpPacketizer({
      format: opts.format,
      payloadType: opts.payloadType ?? payloadTypeFor(opts.format),
      trailerBytes: opts.trailerBytes,
    });
    if (impairmentActive(opts.impair)) {
      this.impairer = new Impairer(opts.impair, (p) => this.transmit(p));
      log.warn({ impair: opts.impair }, 'simulating a bad network on purpose (--sim-*)');
    }
    source.on('frame', this.onFrame);
    source.on('end', () => {
      this.impairer?.flush();
      this.emit('end', 'source');
    });
    source.on('error', (err) => this.emit('error', err));
    this.lastTimestamp = this.packetizer.nextTimestamp;
    this.lastTimestampAt = performance.now();
    this.limitFrames = opts.durationS === undefined ? undefined : Math.max(1, Math.round(opts.durationS * opts.format.rate));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.source.start();
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.source.stop();
    this.impairer?.flush();
  }

  /** Resolves once packets held back on purpose (--sim-jitter) have been sent. */
  drained(): Promise<void> {
    return this.impairer?.drained() ?? Promise.resolve();
  }

  private readonly onFrame = (block: Int16Array): void => {
    const limit = this.limitFrames;
    if (limit === undefined) return this.onAudio(block);
    if (this.captured >= limit) return; // a block a microphone had already queued
    const ch = this.opts.format.channels;
    const take = Math.min(block.length / ch, limit - this.captured);
    this.captured += take;
    this.onAudio(take * ch === block.length ? block : block.subarray(0, take * ch));
    if (this.captured >= limit) {
      this.stop();
      this.emit('end', 'duration');
    }
  };

  private onAudio(pcm: Int16Array): void {
    this.meter.add(pcm);
    this.recorder?.write(pcm);
    this.replay?.write(pcm);
    if (this.out.ready === false) {
      // Keep the timestamp running so the receiver sees the time that passed.
      this.packetizer.skip(this.ticks(pcm.length / this.opts.format.channels));
      this.skippedFrames += pcm.length / this.opts.format.channels;
      return;
    }
    const ts = this.packetizer.nextTimestamp;
    for (const p of this.opts.encoder ? this.encode(this.opts.encoder, pcm) : this.packetizer.packetize(pcm)) {
      this.made++;
      this.madeOctets += p.length - RTP_HEADER_BYTES;
      const wire = this.opts.protect ? this.opts.protect(p) : p;
      if (this.impairer) this.impairer.push(wire);
      else this.transmit(wire);
    }
    this.lastTimestamp = ts;
    this.lastTimestampAt = performance.now();
  }

  /** Packets of a codec other than L16: Opus frames as the encoder completes them, L24 split to fit a datagram. */
  private encode(enc: Encoder, pcm: Int16Array): Buffer[] {
    const ch = this.opts.format.channels;
    if (enc.codec === 'l24') {
      const frames = pcm.length / ch;
      const max = Math.floor(this.packetizer.payloadRoom / (L24_BYTES_PER_SAMPLE * ch));
      const per = Math.ceil(frames / Math.ceil(frames / max)); // an even split, as the packetizer does L16
      const out: Buffer[] = [];
      for (let at = 0; at < frames; at += per) {
        for (const e of enc.encode(pcm.subarray(at * ch, Math.min(frames, at + per) * ch))) out.push(this.packetizer.packetizePayload(e.payload, e.frames));
      }
      return out;
    }
    return enc.encode(pcm).map((e) => this.packetizer.packetizePayload(e.payload, e.frames));
  }

  /** Captured frames in RTP clock ticks (Opus runs at 48 kHz whatever the capture rate). */
  private ticks(frames: number): number {
    const clock = this.clockRate;
    return clock === this.opts.format.rate ? frames : Math.round((frames * clock) / this.opts.format.rate);
  }

  /** What a sender report says now: counts, and the RTP time of this moment (the newest frame's, advanced by the time since). */
  srFigures(nowMs: number = performance.now()): SrFigures {
    const since = Math.max(0, nowMs - this.lastTimestampAt);
    return {
      packetCount: this.made,
      octetCount: this.madeOctets,
      rtpTimestamp: uint32Add(this.lastTimestamp, Math.round((since * this.clockRate) / 1000)),
    };
  }

  get clockRate(): number {
    return this.opts.encoder?.clockRate ?? this.opts.format.rate;
  }

  private transmit(packet: Buffer): void {
    if (this.out.send(packet) === false) return;
    this.sent++;
    this.bitrate.add(packet.length);
    if (this.log.isLevelEnabled('trace')) this.log.trace({ bytes: packet.length, sent: this.sent }, 'packet sent');
  }

  /** Level of what was sent since the previous glance (the dashboard's meter). */
  glance(): Level {
    return this.meter.glance();
  }

  /** Folds what is sent into `w` too, for a reader on another thread. */
  shareLevels(w: SharedLevelWindow): void {
    this.meter.share(w);
  }

  /** This second's line of the receiver's reports (nulls when none is recent), and the history so far. */
  private noteRemote(r: RemoteFigures): RemoteSecond[] {
    const fresh = r.reportAgeS !== null && r.reportAgeS <= REPORT_STALE_S;
    this.remoteHistory.push(fresh ? { lossPercent: r.remoteLossPercent, jitterMs: r.remoteJitterMs, rttMs: r.rttMs } : { lossPercent: null, jitterMs: null, rttMs: null });
    if (this.remoteHistory.length > HISTORY_SECONDS) this.remoteHistory.shift();
    return this.remoteHistory.slice();
  }

  /** Stats since the previous call (bitrate, levels) plus totals. */
  sample(loopDelayP99Ms: number, remote: RemoteFigures = NO_REMOTE_FIGURES, rtcpMalformed = 0): SenderSnapshot {
    const now = performance.now();
    const bitrateKbps = this.bitrate.takeKbps(now);
    const level = this.meter.take();
    const c = this.impairer?.counts;
    return {
      role: 'sender',
      sent: this.sent,
      bytes: this.bitrate.total,
      bitrateKbps,
      peakDbfs: round1(level.peakDbfs),
      rmsDbfs: round1(level.rmsDbfs),
      recording: this.recorder?.state().path ?? null,
      connected: this.opts.protocol === 'tcp' ? this.connection === 'connected' : null,
      connection: this.opts.protocol === 'tcp' ? this.connection : null,
      uptimeS: Math.round((now - this.startedAt) / 100) / 10,
      loopDelayP99Ms,
      simDropped: c?.dropped ?? 0,
      simDuplicated: c?.duplicated ?? 0,
      skippedMs: Math.round((this.skippedFrames * 1000) / this.opts.format.rate),
      codec: this.opts.encoder?.codec ?? 'l16',
      malformed: rtcpMalformed,
      ...remote,
      mos: remoteMos(remote, this.opts.encoder?.codec === 'opus' ? opusImpairment(bitrateKbps) : undefined),
      remoteHistory: this.noteRemote(remote),
    };
  }
}
