import { EventEmitter } from 'node:events';
import type { AudioFormat } from '../shared/audio-format.js';
import { describeFormat } from '../shared/audio-format.js';
import { SILENT_LEVEL, type Level } from '../audio/meter.js';
import { Recorder } from '../audio/record/recorder.js';
import type { AudioSource } from '../audio/source/source.js';
import type { DeviceSide } from '../audio/device-side.js';
import { finalFigures } from './final-snapshot.js';
import { LoopDelay } from './loop-delay.js';
import type { AppLogger } from '../logging/logger.js';
import { SRTP_TRAILER_BYTES, SrtpProtector, srtpReceiveHook } from '../net/srtp/srtp.js';
import { TcpReceiver, TcpSender } from '../net/transport/tcp-transport.js';
import { UdpReceiver, UdpSender, peerName } from '../net/transport/udp-transport.js';
import { Receiver } from './receiver.js';
import { withoutGaps, type ReceiverSnapshot } from './receiver-snapshot.js';
import type { SenderSnapshot } from './sender.js';
import { Sender } from './sender.js';
import { openSink, openSource } from './open-audio.js';
import type { SessionConfig } from './config.js';
import { fmtBytes } from '../shared/units.js';

export type Snapshot = SenderSnapshot | ReceiverSnapshot;

export interface SessionEvents {
  stats: [Snapshot];
  /** A line worth showing the user (connection changes, recording). */
  notice: [string];
  /** The session ended by itself (source ended, --duration), with why when it is not the source's end. */
  end: [reason?: string];
  error: [Error];
}

/** A running sender or receiver with its recorder; the UI and headless mode drive it alike. */
export abstract class Session extends EventEmitter<SessionEvents> {
  abstract readonly role: 'sender' | 'receiver';
  readonly recorder: Recorder;
  protected readonly loop = new LoopDelay();
  private statsTimer: NodeJS.Timeout | undefined;
  private ticks = 0;
  protected last: Snapshot | undefined;

  constructor(
    protected readonly cfg: SessionConfig,
    protected readonly logger: AppLogger,
    format: AudioFormat,
  ) {
    super();
    this.recorder = new Recorder({ format, dir: cfg.recordDir });
    const rec = logger.child('record');
    this.recorder.on('started', ({ path }) => {
      rec.info({ path }, `recording started: ${path}`);
      this.emit('notice', `recording to ${path}`);
    });
    this.recorder.on('stopped', (r) => {
      const msg = `recording saved: ${r.path} (${r.durationS.toFixed(1)} s, ${fmtBytes(r.bytes)})`;
      rec.info(r, msg);
      this.emit('notice', msg);
    });
    this.recorder.on('error', (err) => {
      rec.error({ err }, err.message);
      this.emit('notice', err.message);
    });
  }

  get snapshot(): Snapshot | undefined {
    return this.last;
  }

  /** Level since the previous call: the dashboard looks ~10 times a second, stats only once. */
  abstract levels(): Level;

  protected startStats(): void {
    this.loop.start();
    this.statsTimer = setInterval(() => {
      this.last = this.sample();
      this.emit('stats', this.last);
      if (++this.ticks % 10 === 0) this.logger.child('net').info({ stats: withoutGaps(this.last) }, describeSnapshot(this.last));
    }, 1000);
  }

  protected stopStats(): void {
    if (this.statsTimer) clearInterval(this.statsTimer);
    this.statsTimer = undefined;
  }

  /** Final numbers, for the exit line and the final --stats-json object (rates and levels: the last full second). */
  finalSnapshot(): Snapshot {
    this.last = finalFigures(this.last, this.sample());
    this.loop.stop();
    return this.last;
  }

  protected abstract sample(): Snapshot;
  /** Resolves with the stream's format: at once for a sender, at the first stream for a receiver. */
  abstract streamFormat(): Promise<AudioFormat>;
  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;
}

/** The 10-second stats line, readable on its own. */
export function describeSnapshot(s: Snapshot): string {
  if (s.role === 'sender') {
    return `stats: ${s.sent} packets sent, ${s.bitrateKbps} kbit/s, peak ${s.peakDbfs} dBFS${s.connection ? `, ${s.connection}` : ''}`;
  }
  return (
    `stats: ${s.received} received, ${s.lost} lost (${s.lossPercent}%), jitter ${s.jitterMs} ms, ` +
    `buffer ${s.bufferMs} ms, late ${s.late}, concealed ${s.concealedMs} ms, malformed ${s.malformed}`
  );
}

/** SRTP for the sender: each packet keeps room for the 10-byte tag, so it stays within 1200 bytes. */
function protectOptions(key: Buffer | undefined): { protect?: (p: Buffer) => Buffer; trailerBytes?: number } {
  if (!key) return {};
  const srtp = new SrtpProtector(key);
  return { protect: (p) => srtp.protect(p), trailerBytes: SRTP_TRAILER_BYTES };
}


export class SendSession extends Session {
  readonly role = 'sender';
  private sender: Sender | undefined;
  private out: UdpSender | TcpSender | undefined;
  private readonly source: AudioSource;

  constructor(cfg: SessionConfig, logger: AppLogger) {
    const source = openSource(cfg, logger);
    super(cfg, logger, source.format);
    this.source = source;
    source.device?.notices.on('notice', (line) => this.emit('notice', line));
  }

  get format(): AudioFormat {
    return this.source.format;
  }

  levels(): Level {
    return this.sender?.glance() ?? SILENT_LEVEL;
  }

  streamFormat(): Promise<AudioFormat> {
    return Promise.resolve(this.source.format);
  }

  async start(): Promise<void> {
    await this.source.device?.check();
    const cfg = this.cfg;
    const net = this.logger.child('net');
    let to = `${cfg.host}:${cfg.port}`;
    let tcp: TcpSender | undefined;
    if (cfg.protocol === 'udp') {
      const udp = await UdpSender.open(cfg.host, cfg.port);
      udp.on('error', (err) => net.warn({ err }, `send failed: ${err.message}`));
      to = peerName(udp.peer);
      this.out = udp;
    } else {
      tcp = new TcpSender(cfg.host, cfg.port);
      tcp.on('state', (state, detail) => {
        if (this.sender) this.sender.connection = state;
        const level = state === 'retrying' ? 'warn' : 'info';
        net[level]({ state }, detail);
        this.emit('notice', detail);
      });
      this.out = tcp;
    }
    this.sender = new Sender(
      { format: this.source.format, protocol: cfg.protocol, impair: cfg.impair, durationS: cfg.durationS, ...protectOptions(cfg.key) },
      this.source,
      this.out,
      net,
      this.recorder,
    );
    this.sender.connection = cfg.protocol === 'tcp' ? 'connecting' : null;
    this.sender.on('end', (why) => this.emit('end', why === 'duration' ? `--duration ${cfg.durationS} s reached` : undefined));
    this.sender.on('error', (err) => this.emit('error', err));
    await tcp?.start();
    net.info(
      { to, protocol: cfg.protocol, format: describeFormat(this.source.format), frameMs: cfg.frameMs, ssrc: this.sender.packetizer.ssrc },
      `sending ${this.source.description} (${describeFormat(this.source.format)}, ${cfg.frameMs} ms frames) over ${cfg.protocol.toUpperCase()} to ${to}`,
    );
    this.sender.start();
    this.startStats();
  }

  protected sample(): SenderSnapshot {
    return this.sender!.sample(this.loop.takeP99Ms());
  }

  async stop(): Promise<void> {
    this.stopStats();
    this.sender?.stop();
    await this.sender?.drained();
    await this.source.close();
    await this.out?.close();
  }
}

export class ReceiveSession extends Session {
  readonly role = 'receiver';
  readonly receiver: Receiver;
  private transport: UdpReceiver | TcpReceiver | undefined;
  private readonly device: DeviceSide | undefined;
  /** UDP, while listening: silence then means the sender stopped, not that we closed the socket. */
  private watchSender = false;

  constructor(cfg: SessionConfig, logger: AppLogger) {
    super(cfg, logger, cfg.format);
    const net = logger.child('net');
    const unprotect = cfg.key ? srtpReceiveHook(cfg.key, (hint) => net.warn(`receiver: ${hint}`)) : undefined;
    const sink = openSink(cfg, logger);
    this.device = sink.device;
    this.device?.notices.on('notice', (line) => this.emit('notice', line));
    this.receiver = new Receiver({ format: cfg.format, jitter: cfg.jitter, unprotect }, sink, net, this.recorder);
    this.receiver.on('error', (err) => this.emit('error', err));
    this.receiver.on('stream', ({ peer, format }) => {
      this.emit('notice', `receiving ${describeFormat(format)} from ${peerName(peer)}`);
    });
    this.receiver.on('presence', ({ line }) => this.emit('notice', line));
  }

  async start(): Promise<void> {
    await this.device?.check();
    const cfg = this.cfg;
    const net = this.logger.child('net');
    if (cfg.protocol === 'udp') {
      const udp = await UdpReceiver.listen(cfg.bind, cfg.port);
      udp.on('packet', (buf, peer) => this.receiver.handlePacket(buf, peer));
      udp.on('error', (err) => net.error({ err }, `UDP socket error: ${err.message}`));
      this.transport = udp;
    } else {
      const tcp = await TcpReceiver.listen(cfg.bind, cfg.port, { idleTimeoutMs: cfg.tcpIdleMs });
      tcp.on('packet', (buf, peer) => this.receiver.handlePacket(buf, peer));
      tcp.on('connected', (peer) => {
        net.info({ peer: peerName(peer) }, `sender connected: ${peerName(peer)}`);
        this.emit('notice', `sender connected: ${peerName(peer)}`);
      });
      tcp.on('disconnected', (peer, reason) => {
        this.receiver.releaseLock(peer);
        net.info({ peer: peerName(peer), reason }, `sender left: ${peerName(peer)} (${reason})`);
        this.emit('notice', `sender left: ${peerName(peer)} (${reason})`);
      });
      tcp.on('malformed', (kind) => this.receiver.noteMalformed(kind));
      tcp.on('error', (err) => net.error({ err }, `TCP server error: ${err.message}`));
      this.transport = tcp;
    }
    net.info(
      { bind: cfg.bind, port: cfg.port, protocol: cfg.protocol, sink: cfg.sink, jitterMs: cfg.jitter },
      `listening on ${cfg.protocol.toUpperCase()} ${cfg.bind}:${cfg.port}`,
    );
    this.watchSender = cfg.protocol === 'udp';
    this.startStats();
  }

  levels(): Level {
    return this.receiver.glance();
  }

  streamFormat(): Promise<AudioFormat> {
    const known = this.receiver.format;
    if (known) return Promise.resolve(known);
    return new Promise((resolve) => this.receiver.once('stream', ({ format }) => resolve(format)));
  }

  protected sample(): ReceiverSnapshot {
    const s = this.receiver.sample(this.loop.takeP99Ms());
    this.receiver.flushWarnings();
    // TCP says when a sender leaves; UDP only falls silent, so look once a second.
    if (this.watchSender) this.receiver.checkSender();
    return s;
  }

  async stop(): Promise<void> {
    this.watchSender = false;
    this.stopStats();
    await this.transport?.close();
    await this.receiver.stop();
  }
}

