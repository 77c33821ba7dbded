import { EventEmitter } from 'node:events';
import type { AudioFormat } from '../shared/audio-format.js';
import { describeFormat } from '../shared/audio-format.js';
import { SILENT_LEVEL, type Level, type SharedLevelWindow } from '../audio/meter.js';
import { Recorder } from '../audio/record/recorder.js';
import type { ReplaySaved } from '../audio/record/replay.js';
import { ReplayRing } from '../audio/record/replay-ring.js';
import { TIER_UP_FOR_MS, settleTierUpAfter, tierUpSooner } from './jit-tuning.js';
import { saveReplay } from '../audio/record/replay-writer.js';
import type { AudioSource } from '../audio/source/source.js';
import type { DeviceSide } from '../audio/device-side.js';
import { finalFigures } from './final-snapshot.js';
import { LoopDelay } from './loop-delay.js';
import type { AppLogger } from '../logging/logger.js';
import { SRTP_TRAILER_BYTES, SrtpProtector, srtpReceiveHook } from '../net/srtp/srtp.js';
import { TcpReceiver, TcpSender } from '../net/transport/tcp-transport.js';
import { UdpReceiver, UdpSender, peerName, type Peer } from '../net/transport/udp-transport.js';
import { Receiver } from './receiver.js';
import { withoutGaps, type ReceiverSnapshot } from './receiver-snapshot.js';
import type { SenderSnapshot } from './sender.js';
import { Sender } from './sender.js';
import { makeEncoder } from './codecs.js';
import { preloadOpus } from '../audio/codec/opus-lib.js';
import { payloadTypeFor } from '../net/rtp/payload-types.js';
import { CLOCKLESS_WAKE_MS, openSink, openSource } from './open-audio.js';
import type { AudioSink } from '../audio/sink/sink.js';
import { listenRtp, type RtpSocket } from './rtp-listen.js';
import { PACER_EXTRA_MS } from '../audio/pacer.js';
import { BATCH_SLOTS, BatchUdpReceiver } from '../net/transport/batch-udp.js';
import { WakeTuner } from './clockless-wake.js';
import { performance } from 'node:perf_hooks';
import type { SessionConfig } from './config.js';
import { fmtBytes } from '../shared/units.js';
import { randomInt } from 'node:crypto';
import { isRtcp } from '../net/rtcp/rtcp.js';
import { SrtcpProtector, SrtcpUnprotector } from '../net/srtp/srtcp.js';
import { sessionCname } from '../net/rtcp/cname.js';
import { SenderRtcp } from './sender-rtcp.js';
import { ReceiverRtcp, type RtcpReturn } from './receiver-rtcp.js';
import type { RtcpProtection } from './rtcp-timer.js';
import { NO_RECEIVER_RTCP } from '../net/rtcp/receiver-reports.js';
import { isMulticast, type MulticastOptions } from '../net/multicast.js';
import { buildSdp, describeStream } from '../net/sdp.js';
import { hostname } from 'node:os';
import { SapAnnouncer } from './sap-announcer.js';
import { SapListener } from './sap-listener.js';
import { describeAnnounced, timeoutMs, type AnnouncedStream } from '../net/sap/announcements.js';
import { SAP_GROUP, SAP_PORT } from '../net/sap/sap-packet.js';
import { parseSdp } from '../net/sdp.js';

export type Snapshot = SenderSnapshot | ReceiverSnapshot;

export interface SessionEvents {
  stats: [Snapshot];
  /** A line worth showing the user (connection changes, recording). */
  notice: [string];
  /** The session ended by itself (source ended, --duration), with why when it is not the source's end. */
  end: [reason?: string];
  error: [Error];
}

export interface SessionOptions {
  /**
   * Keep the replay ring (default true): the dashboard's `s` saves it. A
   * headless session has no key to save it with, so it does not copy every
   * frame into 30 s of memory for nothing.
   */
  replay?: boolean;
}

/** A running sender or receiver with its recorder; the UI and headless mode drive it alike. */
export abstract class Session extends EventEmitter<SessionEvents> {
  abstract readonly role: 'sender' | 'receiver';
  readonly recorder: Recorder;
  /** The last 30 s of what played (receiver) or was captured (sender), for `s`; only where something can save it (SessionOptions.replay). */
  protected readonly replay: ReplayRing | undefined;
  protected readonly loop = new LoopDelay();
  private statsTimer: NodeJS.Timeout | undefined;
  private ticks = 0;
  protected last: Snapshot | undefined;

  constructor(
    protected readonly cfg: SessionConfig,
    protected readonly logger: AppLogger,
    format: AudioFormat,
    opts: SessionOptions = {},
  ) {
    super();
    this.recorder = new Recorder({ format, dir: cfg.recordDir });
    this.replay = opts.replay === false ? undefined : new ReplayRing(format);
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

  /** The dashboard's meter, read by another thread without messages: every chunk metered is folded into `w` too. */
  abstract shareLevels(w: SharedLevelWindow): void;

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

  /** `s`: the last ≤30 s of what played (receiver) or was captured (sender) as a WAV in --record-dir. */
  async saveReplay(): Promise<ReplaySaved> {
    const rec = this.logger.child('record');
    if (!this.replay) throw new Error('replay: this session keeps none (only the dashboard can save one)');
    try {
      const r = await saveReplay(this.replay, this.cfg.recordDir);
      const msg = `replay saved: ${r.path} (${r.durationS.toFixed(1)} s, ${fmtBytes(r.bytes)})`;
      rec.info(r, msg);
      this.emit('notice', msg);
      return r;
    } catch (err) {
      const msg = `${(err as Error).message}${/nothing has played/.test((err as Error).message) ? '' : ' — check --record-dir'}`;
      rec.error({ err }, msg);
      throw new Error(msg);
    }
  }

  protected abstract sample(): Snapshot;
  /** Resolves with the stream's format: at once for a sender, at the first stream for a receiver. */
  abstract streamFormat(): Promise<AudioFormat>;
  /** Work before any timer of the session's runs (the runner's --duration clock starts after it). */
  prepare(): Promise<void> {
    // Opus's codec is compiled ahead of the stream (see preloadOpus): seconds on a loaded box.
    return this.cfg.codec === 'opus' ? preloadOpus() : Promise.resolve();
  }

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


/** SRTCP with the stream's key (RFC 3711 §3.4): reports are protected like the audio. */
/** --ttl and --iface, for the sockets that send to or join a group. */
export function multicastOptions(cfg: SessionConfig): MulticastOptions {
  return { ttl: cfg.ttl ?? 1, ...(cfg.iface ? { iface: cfg.iface } : {}) };
}

function rtcpProtection(key: Buffer | undefined): RtcpProtection | undefined {
  if (!key) return undefined;
  const out = new SrtcpProtector(key);
  const into = new SrtcpUnprotector(key);
  return { protect: (p) => out.protect(p), unprotect: (p) => into.unprotect(p) };
}

export class SendSession extends Session {
  readonly role = 'sender';
  private sender: Sender | undefined;
  private out: UdpSender | TcpSender | undefined;
  private rtcp: SenderRtcp | undefined;
  /** The socket on port + 1's side: SRs leave from it, receiver reports come back to it. */
  private rtcpSocket: UdpReceiver | undefined;
  private sap: SapAnnouncer | undefined;
  private readonly source: AudioSource;

  constructor(cfg: SessionConfig, logger: AppLogger, opts: SessionOptions = {}) {
    const source = openSource(cfg, logger);
    super(cfg, logger, source.format, opts);
    this.source = source;
    source.device?.notices.on('notice', (line) => this.emit('notice', line));
  }

  get format(): AudioFormat {
    return this.source.format;
  }

  levels(): Level {
    return this.sender?.glance() ?? SILENT_LEVEL;
  }

  private sharedLevels: SharedLevelWindow | undefined;

  shareLevels(w: SharedLevelWindow): void {
    this.sharedLevels = w;
    this.sender?.shareLevels(w);
  }

  streamFormat(): Promise<AudioFormat> {
    return Promise.resolve(this.source.format);
  }

  async start(): Promise<void> {
    await this.source.device?.check();
    const cfg = this.cfg;
    await this.prepare(); // at once if the runner did
    const net = this.logger.child('net');
    let to = `${cfg.host}:${cfg.port}`;
    let tcp: TcpSender | undefined;
    if (cfg.protocol === 'udp') {
      const udp = await UdpSender.open(cfg.host, cfg.port, multicastOptions(cfg));
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
      {
        format: this.source.format,
        protocol: cfg.protocol,
        impair: cfg.impair,
        durationS: cfg.durationS,
        ...protectOptions(cfg.key),
        encoder: makeEncoder(cfg, this.source.format),
        payloadType: payloadTypeFor(this.source.format, cfg.codec),
      },
      this.source,
      this.out,
      net,
      this.recorder,
      this.replay,
    );
    if (this.sharedLevels) this.sender.shareLevels(this.sharedLevels);
    this.sender.connection = cfg.protocol === 'tcp' ? 'connecting' : null;
    this.sender.on('end', (why) => this.emit('end', why === 'duration' ? `--duration ${cfg.durationS} s reached` : undefined));
    this.sender.on('error', (err) => this.emit('error', err));
    const rtcpAt = await this.openRtcp(this.sender, net);
    if (cfg.sap && this.out instanceof UdpSender) this.sap = await this.openSap(this.out, net);
    await tcp?.start();
    net.info(
      { to, protocol: cfg.protocol, format: describeFormat(this.source.format, cfg.codec), frameMs: cfg.frameMs, ssrc: this.sender.packetizer.ssrc, ...rtcpAt },
      `sending ${this.source.description} (${describeFormat(this.source.format, cfg.codec)}${cfg.codec === 'opus' ? ` at ${cfg.bitrateKbps} kbit/s, FEC ${cfg.fec ? 'on' : 'off'}` : ''}, ${cfg.frameMs} ms frames) over ${cfg.protocol.toUpperCase()} to ${to}`,
    );
    await this.recorder.settled(); // --record from the start holds the first frame too
    // Announced before the first packet: a receiver that finds the stream by SAP misses less of its start.
    this.sap?.start();
    this.sender.start();
    this.rtcp?.start();
    this.startStats();
  }

  /** --sap: the stream's SDP, as `streamer sdp` would print it but with LF endings and our address in o=. */
  private openSap(out: UdpSender, net: ReturnType<AppLogger['child']>): Promise<SapAnnouncer> {
    const cfg = this.cfg;
    const name = cfg.sap?.name ?? `streamer on ${hostname()}`;
    // The stream as `streamer sdp` describes it (the command passes it in), at the resolved address;
    // the key as the session holds it (a Buffer again after the dashboard's worker hop).
    const base = cfg.sap?.stream ?? describeStream({ host: out.peer.address, port: out.peer.port, protocol: 'udp', format: this.source.format, frameMs: cfg.frameMs });
    const stream = { ...base, host: out.peer.address, port: out.peer.port, key: cfg.key, ...(cfg.rtcpMux ? { rtcpMux: true } : {}) };
    const sessionId = Math.floor(Date.now() / 1000);
    return SapAnnouncer.open({
      name,
      ...multicastOptions(cfg),
      log: net,
      sdpFor: (origin) => buildSdp(stream, { sessionId, sessionName: name, origin, ttl: cfg.ttl ?? 1, eol: '\n' }),
    });
  }

  /** SR out and RR in: on port + 1 from a socket of our own, on the RTP socket with --rtcp-mux, in the TCP stream. */
  private async openRtcp(sender: Sender, net: ReturnType<AppLogger['child']>): Promise<{ rtcpTo: string; rtcpPort?: number }> {
    const cfg = this.cfg;
    const out = this.out!;
    let send: (p: Buffer) => Promise<void> | void;
    let rtcpTo: string;
    let rtcpPort: number | undefined;
    if (out instanceof TcpSender) {
      send = (p) => void out.sendControl(p);
      rtcpTo = 'the TCP connection';
    } else if (cfg.rtcpMux) {
      send = (p) => out.sendNow(p);
      rtcpTo = peerName(out.peer);
    } else {
      const peer = { address: out.peer.address, port: out.peer.port + 1 };
      // Multicast (RFC 3550 §6): SRs go to the group's port + 1, and the receivers' reports come back
      // there, so our RTCP socket joins the group on that port (shared with receivers on this host).
      const group = isMulticast(peer.address);
      const sock = group
        ? await UdpReceiver.listen(peer.address, peer.port, multicastOptions(cfg))
        : await UdpReceiver.listen(peer.address.includes(':') ? '::' : '0.0.0.0', 0);
      sock.on('error', (err) => net.warn({ err }, `RTCP socket: ${err.message}`));
      this.rtcpSocket = sock;
      send = (p) => sock.sendTo(p, peer);
      rtcpTo = peerName(peer);
      rtcpPort = sock.port;
    }
    const rtcp = new SenderRtcp({ sender, cname: sessionCname(), send, protection: rtcpProtection(cfg.key), log: net });
    this.rtcp = rtcp;
    // Reports may come back on the RTP socket or connection, or on the RTCP socket; whichever the receiver uses is fine.
    out.on('packet', (p: Buffer) => rtcp.handle(p));
    if (out instanceof TcpSender) out.on('malformed', (kind) => net.warn(`receiver's stream is not RFC 4571 (${kind}): its reports are ignored`));
    this.rtcpSocket?.on('packet', (p) => rtcp.handle(p));
    return { rtcpTo, ...(rtcpPort === undefined ? {} : { rtcpPort }) };
  }

  protected sample(): SenderSnapshot {
    const rtcp = this.rtcp;
    rtcp?.flushWarnings();
    return this.sender!.sample(this.loop.takeP99Ms(), rtcp?.figures(), rtcp?.malformed ?? 0);
  }

  async stop(): Promise<void> {
    this.stopStats();
    this.sender?.stop();
    await this.sender?.drained();
    await this.source.close();
    // The SAP deletion first: listeners drop the stream as it ends, not after a timeout.
    await this.sap?.stop();
    // BYE after the last audio, so a receiver that lets go at BYE has played it all.
    await this.rtcp?.stop(true);
    await this.rtcpSocket?.close();
    await this.out?.close();
  }
}

export class ReceiveSession extends Session {
  readonly role = 'receiver';
  readonly receiver: Receiver;
  private transport: RtpSocket | TcpReceiver | undefined;
  private rtcpSocket: UdpReceiver | undefined;
  private loopFollowsClock = false;
  private readonly sink: AudioSink;
  private rtcp: ReceiverRtcp | undefined;
  private readonly device: DeviceSide | undefined;
  /** UDP, while listening: silence then means the sender stopped, not that we closed the socket. */
  private watchSender = false;
  /** Multicast: where our reports go (the group's RTCP port). */
  private groupReturn: RtcpReturn | undefined;
  private sapListener: SapListener | undefined;
  /** receive --sap: the announced stream being played (or being tuned to). */
  private tuned: AnnouncedStream | undefined;
  /** Announcements seen that cannot be played: said once, not on every repeat. */
  private readonly unplayable = new Set<string>();
  private tuning: Promise<void> = Promise.resolve();

  constructor(cfg: SessionConfig, logger: AppLogger, opts: SessionOptions = {}) {
    super(cfg, logger, cfg.format, opts);
    const net = logger.child('net');
    const budget = tierUpSooner();
    if (budget !== undefined) net.debug({ interruptBudget: budget }, `V8 interrupt budget ${budget} (the receive path is optimized within seconds, not after 10–15 s)`);
    const unprotect = cfg.key ? srtpReceiveHook(cfg.key, (hint) => net.warn(`receiver: ${hint}`)) : undefined;
    const sink = openSink(cfg, logger);
    this.sink = sink;
    this.device = sink.device;
    this.device?.notices.on('notice', (line) => this.emit('notice', line));
    this.receiver = new Receiver({ format: cfg.format, codec: cfg.codec, playRate: cfg.playRate, jitter: cfg.jitter, unprotect }, sink, net, this.recorder, this.replay);
    this.receiver.on('error', (err) => this.emit('error', err));
    this.receiver.on('stream', ({ peer, format, codec }) => {
      this.emit('notice', `receiving ${describeFormat(format, codec)} from ${peerName(peer)}`);
      if (settleTierUpAfter()) net.debug({ afterMs: TIER_UP_FOR_MS }, `V8 interrupt budget back to its default ${TIER_UP_FOR_MS / 1000} s into the stream`);
    });
    this.receiver.on('presence', ({ line }) => this.emit('notice', line));
  }

  async start(): Promise<void> {
    await this.device?.check();
    const cfg = this.cfg;
    await this.prepare(); // at once if the runner did; before the first packet can arrive
    const net = this.logger.child('net');
    const rx = this.receiver;
    const rtcp = new ReceiverRtcp({
      receiver: rx,
      protocol: cfg.protocol,
      mux: cfg.rtcpMux,
      cname: sessionCname(),
      ssrc: randomInt(1, 0xffffffff),
      send: (to, p) => this.sendRtcp(to, p),
      protection: rtcpProtection(cfg.key),
      log: net,
      group: () => this.groupReturn,
      onBye: (line) => this.emit('notice', line),
    });
    this.rtcp = rtcp;
    if (cfg.sap) {
      await this.listenSap(net);
    } else if (cfg.protocol === 'udp') {
      await this.openUdp(cfg.bind, cfg.port, cfg.rtcpMux ? undefined : (cfg.rtcpPort ?? cfg.port + 1), net);
    } else {
      const tcp = await TcpReceiver.listen(cfg.bind, cfg.port, { idleTimeoutMs: cfg.tcpIdleMs });
      const onTcp = this.onPacket('tcp');
      tcp.on('packet', (buf, peer) => {
        rx.awake();
        onTcp(buf, peer);
      });
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
    if (!cfg.sap) {
      const rtcpPort = this.rtcpSocket?.port;
      net.info(
        { bind: cfg.bind, port: cfg.port, protocol: cfg.protocol, sink: cfg.sink, jitterMs: cfg.jitter, ...(rtcpPort === undefined ? {} : { rtcpPort }) },
        `listening on ${cfg.protocol.toUpperCase()} ${cfg.bind}:${cfg.port}${isMulticast(cfg.bind) ? ' (multicast group joined)' : ''}${rtcpPort === undefined ? '' : ` (RTCP on ${rtcpPort})`}`,
      );
    }
    this.watchSender = cfg.protocol === 'udp';
    rtcp.start();
    this.startStats();
  }

  /** RTCP may share the RTP port (RFC 5761: told apart by its packet type) whether or not --rtcp-mux is given. */
  private onPacket(via: 'rtp' | 'tcp'): (buf: Buffer, peer: Peer, arrivalMs?: number, batchMs?: number) => void {
    const rx = this.receiver;
    return (buf, peer, arrivalMs, batchMs) => (isRtcp(buf) ? this.rtcp!.handle(buf, peer, via) : rx.handlePacket(buf, peer, arrivalMs, batchMs));
  }

  /** The RTP socket (and RTCP's, unless muxed); a multicast `bind` joins the group, and reports then go to it. */
  private async openUdp(bind: string, port: number, rtcpPort: number | undefined, net: ReturnType<AppLogger['child']>): Promise<void> {
    const mc = multicastOptions(this.cfg);
    const rx = this.receiver;
    const replayWakeMs = !this.device && this.sink.batchWakes ? CLOCKLESS_WAKE_MS : undefined;
    const udp = await listenRtp(bind, port, mc, rx, this.onPacket('rtp'), net, replayWakeMs);
    if (udp instanceof BatchUdpReceiver && replayWakeMs !== undefined) {
      if (this.wakeReader !== udp) this.wakeTuner.restart();
      this.wakeReader = udp;
      udp.expectDrainsWithin(2 * this.wakeTuner.wakeMs);
    }
    if (udp instanceof BatchUdpReceiver && !this.device && !this.loopFollowsClock) {
      // The sink's clock is the process's one clock: it samples the loop's delay too.
      this.loopFollowsClock = true;
      this.loop.followClock();
      if (replayWakeMs !== undefined) this.sink.batchWakes?.(this.wakeTuner.wakeMs, (ms) => this.onClocklessWake(ms));
      else rx.onPullLateness((ms) => this.loop.note(Math.max(0, ms - PACER_EXTRA_MS)));
    }
    udp.on('error', (err) => net.error({ err }, `UDP socket error: ${err.message}`));
    let rtcpSocket: UdpReceiver | undefined;
    if (rtcpPort !== undefined) {
      try {
        rtcpSocket = await UdpReceiver.listen(bind, rtcpPort, mc);
      } catch (err) {
        await udp.close();
        throw err;
      }
      rtcpSocket.on('packet', (buf, peer) => {
        rx.catchUp(); // a BYE must not overtake the RTP the batch reader still holds
        this.rtcp!.handle(buf, peer, 'rtcp');
      });
      rtcpSocket.on('error', (err) => net.warn({ err }, `RTCP socket error: ${err.message}`));
    }
    this.transport = udp;
    this.rtcpSocket = rtcpSocket;
    if (isMulticast(bind)) {
      this.groupReturn = rtcpPort === undefined ? { via: 'rtp', peer: { address: bind, port } } : { via: 'rtcp', peer: { address: bind, port: rtcpPort } };
    } else {
      this.groupReturn = undefined;
    }
  }

  /** The batch reader a clockless sink's wake-ups read (the one open: --sap may change it). */
  private wakeReader: BatchUdpReceiver | undefined;
  private readonly wakeTuner = new WakeTuner(() => ({ slots: BATCH_SLOTS, kernelDatagrams: this.wakeReader?.kernelDatagrams() ?? 0 }), CLOCKLESS_WAKE_MS);

  /** Each wake-up of a clockless sink: the loop's delay, and the wake-up period for the packet rate now (clockless-wake.ts). */
  private onClocklessWake(lateMs: number): void {
    this.loop.note(lateMs);
    const r = this.wakeReader;
    if (!r) return;
    const ms = this.wakeTuner.wake(performance.now(), r.datagramsRead);
    if (ms === undefined) return;
    this.sink.wakeEvery?.(ms);
    r.expectDrainsWithin(2 * ms);
    this.logger.child('net').debug({ wakeMs: ms }, `clockless sink: wakes every ${ms} ms now`);
  }

  /** receive --sap: wait for a matching announcement, play it, and when it ends wait for the next. */
  private async listenSap(net: ReturnType<AppLogger['child']>): Promise<void> {
    const name = this.cfg.sap?.name;
    const want = name?.toLowerCase();
    const listener = await SapListener.open({ ...(this.cfg.iface ? { iface: this.cfg.iface } : {}), log: net });
    this.sapListener = listener;
    const waiting = (): void => {
      const line = `waiting for a SAP announcement${name ? ` whose name contains "${name}"` : ''} on ${SAP_GROUP}:${SAP_PORT}`;
      net.info(line);
      this.emit('notice', line);
    };
    waiting();
    listener.on('announce', (s) => {
      if (this.tuned || this.unplayable.has(s.key)) return;
      if (want !== undefined && !s.name.toLowerCase().includes(want)) return;
      this.tuned = s;
      this.tuning = this.tuning.then(() => this.tune(s, net));
    });
    listener.on('gone', (s, why) => {
      this.unplayable.delete(s.key);
      if (this.tuned?.key !== s.key) return;
      this.tuning = this.tuning.then(async () => {
        await this.untune();
        const line =
          why === 'deleted'
            ? `"${s.name}" ended: its sender withdrew the announcement (SAP deletion)`
            : `"${s.name}" ended: no SAP announcement for ${Math.round(timeoutMs(s) / 1000)} s`;
        net.info({ name: s.name, why }, line);
        this.emit('notice', line);
        waiting();
      });
    });
  }

  private async tune(s: AnnouncedStream, net: ReturnType<AppLogger['child']>): Promise<void> {
    const giveUp = (why: string): void => {
      this.tuned = undefined;
      this.unplayable.add(s.key);
      const line = `announced stream "${s.name}" (${describeAnnounced(s)} from ${s.origin}) cannot be played: ${why}`;
      net.warn({ name: s.name, origin: s.origin }, line);
      this.emit('notice', line);
    };
    const parsed = parseSdp(s.sdp);
    if (!parsed.ok) return giveUp(parsed.error);
    const st = parsed.value;
    if (st.protocol !== 'udp') return giveUp('it is over TCP');
    if (st.key && !this.cfg.key) return giveUp('it is encrypted (SRTP): give this receiver its --key');
    this.receiver.useFormat(st.format, st.codec ?? 'l16');
    const bind = isMulticast(st.host) ? st.host : this.cfg.bind;
    const rtcpPort = st.rtcpMux ? undefined : (st.rtcpPort ?? st.port + 1);
    try {
      await this.openUdp(bind, st.port, rtcpPort, net);
    } catch (err) {
      return giveUp((err as Error).message);
    }
    const line = `playing "${s.name}" from ${s.origin}: ${describeAnnounced(s)} on ${bind}:${st.port}`;
    net.info({ name: s.name, origin: s.origin, bind, port: st.port, rtcpPort, payloadType: st.payloadType }, line);
    this.emit('notice', line);
  }

  private async untune(): Promise<void> {
    const src = this.receiver.reportSource();
    if (src) this.receiver.releaseSsrc(src.ssrc);
    this.tuned = undefined;
    this.groupReturn = undefined;
    const rtcp = this.rtcpSocket;
    const t = this.transport;
    this.rtcpSocket = undefined;
    this.transport = undefined;
    await rtcp?.close();
    await t?.close();
  }

  private sendRtcp(to: RtcpReturn, packet: Buffer): Promise<void> | void {
    const t = this.transport;
    if (to.via === 'tcp') {
      if (t instanceof TcpReceiver) t.sendTo(to.peer, packet);
      return;
    }
    const sock = to.via === 'rtcp' ? (this.rtcpSocket ?? t) : t;
    if (sock instanceof UdpReceiver || sock instanceof BatchUdpReceiver) return sock.sendTo(packet, to.peer);
  }

  levels(): Level {
    return this.receiver.glance();
  }

  shareLevels(w: SharedLevelWindow): void {
    this.receiver.shareLevels(w);
  }

  streamFormat(): Promise<AudioFormat> {
    const known = this.receiver.format;
    if (known) return Promise.resolve(known);
    return new Promise((resolve) => this.receiver.once('stream', ({ format }) => resolve(format)));
  }

  protected sample(): ReceiverSnapshot {
    const s = this.receiver.sample(this.loop.takeP99Ms(), this.rtcp?.figures() ?? NO_RECEIVER_RTCP);
    this.receiver.flushWarnings();
    // TCP says when a sender leaves; UDP only falls silent, so look once a second.
    if (this.watchSender) this.receiver.checkSender();
    return s;
  }

  async stop(): Promise<void> {
    this.watchSender = false;
    this.stopStats();
    await this.sapListener?.close();
    await this.tuning;
    await this.rtcp?.stop(true);
    await this.rtcpSocket?.close();
    await this.transport?.close();
    await this.receiver.stop();
  }
}

