import { EventEmitter } from 'node:events';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { UserError, describeSystemError, errorCode } from '../../shared/errors.js';
import { frame, split } from './rfc4571.js';
import type { Peer } from './udp-transport.js';
import { peerName, resolveHost } from './udp-transport.js';

export interface TcpReceiverOptions {
  /** Simultaneous connections beyond this are refused (after evicting one idle for a second, if any). */
  maxConnections?: number;
  /** A connection that sends no complete packet for this long is dropped. */
  idleTimeoutMs?: number;
  /** Monotonic ms (default performance.now): a wall-clock step must not make every peer look idle. */
  now?: () => number;
}

export interface TcpReceiverEvents {
  packet: [Buffer, Peer];
  connected: [Peer];
  disconnected: [Peer, string];
  malformed: [string, Peer];
  error: [Error];
}

/** Largest RFC 4571 frame taken: the receiver drops bigger packets anyway, so a bigger prefix is a bad one. */
export const MAX_FRAME_BYTES = 1500;
/** Smallest frame taken: an RTCP receiver report without blocks (8 bytes); anything shorter is not RTP or RTCP. */
export const MIN_FRAME_BYTES = 8;
/** A connection without a whole packet for this long may be evicted to let a new sender in. */
const EVICTABLE_AFTER_MS = 1000;

interface Connection {
  /** When the last whole packet arrived (or the connection opened). */
  lastPacket: number;
  reason: string;
}

/**
 * Accepts RFC 4571 streams; keeps listening as senders come and go. A bad
 * length prefix closes that connection only. Idle peers cannot hold the
 * door shut: at the connection limit, the most idle one makes room.
 */
export class TcpReceiver extends EventEmitter<TcpReceiverEvents> {
  private readonly sockets = new Map<net.Socket, Connection>();
  private readonly byPeer = new Map<string, net.Socket>();

  private constructor(
    private readonly server: net.Server,
    private readonly opts: Required<TcpReceiverOptions>,
  ) {
    super();
    server.on('connection', (s) => this.accept(s));
    server.on('error', (err) => this.emit('error', err));
  }

  static listen(address: string, port: number, options: TcpReceiverOptions = {}): Promise<TcpReceiver> {
    const opts = {
      maxConnections: options.maxConnections ?? 8,
      idleTimeoutMs: options.idleTimeoutMs ?? 10_000,
      now: options.now ?? (() => performance.now()),
    };
    const server = net.createServer({ noDelay: true });
    return new Promise((resolve, reject) => {
      const fail = (err: Error): void => {
        const remedy = errorCode(err) === 'EADDRINUSE' ? 'port-in-use' : 'listen-address';
        reject(new UserError(`cannot listen on TCP ${address}:${port}: ${describeSystemError(err)}`, 1, remedy));
      };
      server.once('error', fail);
      server.listen({ port, host: address, exclusive: true }, () => {
        server.off('error', fail);
        resolve(new TcpReceiver(server, opts));
      });
    });
  }

  get port(): number {
    const a = this.server.address();
    return typeof a === 'object' && a ? a.port : 0;
  }

  get connections(): number {
    return this.sockets.size;
  }

  private accept(socket: net.Socket): void {
    const peer: Peer = { address: socket.remoteAddress ?? '?', port: socket.remotePort ?? 0 };
    if (this.sockets.size >= this.opts.maxConnections && !this.evictIdle()) {
      this.emit('malformed', 'too many connections', peer);
      socket.destroy();
      return;
    }
    // Only whole packets count as activity, so a byte-a-second peer times out too.
    const conn: Connection = { lastPacket: this.opts.now(), reason: 'closed by peer' };
    this.sockets.set(socket, conn);
    this.byPeer.set(peerName(peer), socket);
    socket.setNoDelay(true);
    this.emit('connected', peer);
    let rest: Buffer = Buffer.alloc(0);
    const idle = setInterval(() => {
      if (this.opts.now() - conn.lastPacket >= this.opts.idleTimeoutMs) {
        conn.reason = 'idle timeout';
        socket.destroy();
      }
    }, Math.min(1000, this.opts.idleTimeoutMs));
    idle.unref();
    socket.on('data', (chunk: Buffer) => {
      const buf = rest.length ? Buffer.concat([rest, chunk]) : chunk;
      const r = split(buf, MIN_FRAME_BYTES, MAX_FRAME_BYTES);
      for (const f of r.frames) this.emit('packet', f, peer);
      if (r.frames.length) conn.lastPacket = this.opts.now();
      if (r.error) {
        conn.reason = 'bad RFC 4571 length';
        this.emit('malformed', 'bad-length', peer);
        socket.destroy();
        return;
      }
      // Copy so the remainder doesn't pin a large chunk.
      rest = r.rest.length ? Buffer.from(r.rest) : Buffer.alloc(0);
    });
    socket.on('error', (err) => {
      conn.reason = describeSystemError(err);
    });
    socket.on('close', () => {
      clearInterval(idle);
      this.sockets.delete(socket);
      if (this.byPeer.get(peerName(peer)) === socket) this.byPeer.delete(peerName(peer));
      this.emit('disconnected', peer, conn.reason);
    });
  }

  /** Sends one framed packet back on a peer's connection (RTCP reports); false when it is gone or stalled. */
  sendTo(peer: Peer, packet: Buffer): boolean {
    const s = this.byPeer.get(peerName(peer));
    if (!s || s.destroyed || s.writableLength > 64 * 1024) return false;
    s.write(frame(packet));
    return true;
  }

  /** Closes the connection idle longest, if it has been idle a while; false when all are busy. */
  private evictIdle(): boolean {
    const now = this.opts.now();
    let victim: [net.Socket, Connection] | undefined;
    for (const entry of this.sockets) {
      if (now - entry[1].lastPacket >= EVICTABLE_AFTER_MS && (!victim || entry[1].lastPacket < victim[1].lastPacket)) victim = entry;
    }
    if (!victim) return false;
    victim[1].reason = 'idle, closed to make room for a new connection';
    victim[0].destroy();
    // 'close' comes later; forget it now so the count is right for the newcomer.
    this.sockets.delete(victim[0]);
    return true;
  }

  close(): Promise<void> {
    for (const s of this.sockets.keys()) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

export type TcpSenderState = 'connecting' | 'connected' | 'retrying' | 'closed';

export interface TcpSenderEvents {
  state: [TcpSenderState, string];
  /** A framed packet from the receiver (its RTCP reports). */
  packet: [Buffer];
  /** The receiver's bytes are not RFC 4571: the rest of what it sends is ignored. */
  malformed: [string];
  error: [Error];
}

/**
 * Connects and keeps reconnecting with backoff. While not connected,
 * packets are dropped (this is real time: old audio is worth nothing).
 */
export class TcpSender extends EventEmitter<TcpSenderEvents> {
  private socket: net.Socket | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private backoffMs: number;
  private closed = false;
  private address = '';
  state: TcpSenderState = 'connecting';
  dropped = 0;
  private firstAttempt: (() => void) | undefined;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly opts: { minBackoffMs?: number; maxBackoffMs?: number; maxQueuedBytes?: number } = {},
  ) {
    super();
    this.backoffMs = opts.minBackoffMs ?? 250;
  }

  get ready(): boolean {
    return this.state === 'connected';
  }

  get peer(): Peer {
    return { address: this.address || this.host, port: this.port };
  }

  /**
   * Resolves once the first attempt has connected or failed: a source started
   * after it does not lose its first frames to a receiver that was listening
   * all along (a WAV file's start), and a missing one does not hold it up.
   */
  async start(): Promise<void> {
    this.address = (await resolveHost(this.host)).address;
    await new Promise<void>((resolve) => {
      this.firstAttempt = resolve;
      this.connect();
    });
  }

  send(packet: Buffer): boolean {
    if (this.write(packet)) return true;
    this.dropped++;
    return false;
  }

  /** RTCP on the same connection: not audio, so not counted as dropped audio when it cannot go. */
  sendControl(packet: Buffer): boolean {
    return this.write(packet);
  }

  /** One framed packet, unless the connection is down or stalled (a stalled peer must not make us queue without bound). */
  private write(packet: Buffer): boolean {
    const s = this.socket;
    if (!s || this.state !== 'connected' || s.writableLength > (this.opts.maxQueuedBytes ?? 256 * 1024)) return false;
    s.write(frame(packet));
    return true;
  }

  private setState(state: TcpSenderState, detail: string): void {
    this.state = state;
    this.emit('state', state, detail);
  }

  private connect(): void {
    if (this.closed) return;
    const target = peerName({ address: this.address, port: this.port });
    this.setState(this.state === 'retrying' ? 'retrying' : 'connecting', `connecting to ${target}`);
    const s = net.connect({ host: this.address, port: this.port, noDelay: true });
    this.socket = s;
    let failure = '';
    let rest: Buffer = Buffer.alloc(0);
    let framing = true;
    s.on('data', (chunk: Buffer) => {
      if (!framing) return;
      const buf = rest.length ? Buffer.concat([rest, chunk]) : chunk;
      const r = split(buf, MIN_FRAME_BYTES, MAX_FRAME_BYTES);
      for (const f of r.frames) this.emit('packet', f);
      if (r.error) {
        framing = false;
        this.emit('malformed', 'bad-length');
        return;
      }
      rest = r.rest.length ? Buffer.from(r.rest) : Buffer.alloc(0);
    });
    s.once('connect', () => {
      this.backoffMs = this.opts.minBackoffMs ?? 250;
      this.setState('connected', `connected to ${target}`);
      this.settleFirst();
    });
    s.on('error', (err) => {
      failure = describeSystemError(err);
    });
    s.on('close', () => {
      if (this.socket === s) this.socket = undefined;
      this.settleFirst();
      if (this.closed) return;
      const wait = this.backoffMs;
      this.backoffMs = Math.min(this.backoffMs * 2, this.opts.maxBackoffMs ?? 2000);
      this.setState('retrying', `${failure || 'connection closed'}; retrying ${target} in ${(wait / 1000).toFixed(1)} s`);
      this.retryTimer = setTimeout(() => this.connect(), wait);
    });
  }

  private settleFirst(): void {
    const f = this.firstAttempt;
    this.firstAttempt = undefined;
    f?.();
  }

  close(): Promise<void> {
    this.closed = true;
    this.settleFirst();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const s = this.socket;
    this.socket = undefined;
    this.state = 'closed';
    if (!s) return Promise.resolve();
    return new Promise((resolve) => {
      s.end(() => resolve());
      setTimeout(() => {
        s.destroy();
        resolve();
      }, 500).unref();
    });
  }
}
