// A UDP receiver that does not wake per datagram: the socket is read in
// batches (recvmmsg, native/recv) when the receiver asks — once per sink
// tick — or, while nobody asks, by an idle timer. Every datagram carries the
// kernel's receive time mapped onto performance.now(), so a busy or stalled
// event loop is not mistaken for network jitter. The datagram buffers are a
// pool reused by the next batch: a listener must copy what it keeps.
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { UserError, describeSystemError } from '../../shared/errors.js';
import type { NativeRecv } from './native-recv.js';
import type { Peer } from './udp-transport.js';

/** Bytes per pooled datagram: more than the receiver's largest, so an oversize one is still seen as such. */
export const SLOT_BYTES = 2048;
const SLOTS = 64;
const META = 4;
const ADDR = 16;
const ECONNREFUSED = 111;
const EAGAIN = 11;
/** How often the idle timer looks while a sink drains the socket itself. */
const BACKSTOP_MS = 250;

export interface BatchUdpEvents {
  error: [Error];
}

/**
 * Called for each datagram read (a plain call, not an event: no emit per
 * datagram). `datagram` is valid only during the call; `arrivalMs` (the
 * kernel's receive time) and `batchMs` (when the batch was read) are on
 * performance.now()'s clock.
 */
export type DatagramHandler = (datagram: Buffer, from: Peer, arrivalMs: number, batchMs: number) => void;

export interface BatchUdpOptions {
  /** Longest the socket goes unread while no drain() comes (a sink that is not pulling yet). */
  idleMs: number;
  /** A drain within this long means a sink is pulling (default idleMs): one that wakes in batches drains less often than idleMs. */
  pulledWithinMs?: number;
  now?: () => number;
}

function errnoError(syscall: string, negErrno: number): Error {
  const err = new Error(`${syscall} failed: errno ${-negErrno}`) as NodeJS.ErrnoException;
  err.errno = negErrno;
  err.syscall = syscall;
  return err;
}

export class BatchUdpReceiver extends EventEmitter<BatchUdpEvents> {
  private readonly data = new Uint8Array(SLOTS * SLOT_BYTES);
  private readonly pool = Buffer.from(this.data.buffer, this.data.byteOffset, this.data.byteLength);
  private readonly meta = new Int32Array(SLOTS * META);
  private readonly age = new Float64Array(SLOTS);
  /** Per slot of the last batch, its datagram's arrival on performance.now()'s clock. */
  private readonly arrival = new Float64Array(SLOTS);
  /** Slots of the last batch not handed on yet (a bounded drain), and when that batch was read. */
  private pendFrom = 0;
  private pendTo = 0;
  private pendAt = 0;
  private pendFull = false;
  private readonly addr = new Uint8Array(SLOTS * ADDR);
  /** Per slot, the view handed out last time: a stream of equal-sized datagrams reuses it. */
  private readonly views: Array<Buffer | undefined> = new Array<Buffer | undefined>(SLOTS);
  private readonly lastAddr = new Uint8Array(ADDR);
  private lastPeer: Peer | undefined;
  private lastFamily = 0;
  private closed = false;
  private draining = false;
  private timer: NodeJS.Timeout;
  private lastDrainAt = -Infinity;
  private readonly idleMs: number;
  private readonly pulledWithinMs: number;
  private readonly now: () => number;
  private errorsReported = 0;
  private handler: DatagramHandler = () => undefined;
  /** Datagrams read, and batches that held any (for the debug log and tests). */
  datagrams = 0;
  batches = 0;

  private constructor(
    private readonly mod: NativeRecv,
    private readonly fd: number,
    readonly port: number,
    opts: BatchUdpOptions,
  ) {
    super();
    this.now = opts.now ?? (() => performance.now());
    this.idleMs = opts.idleMs;
    this.pulledWithinMs = Math.max(opts.idleMs, opts.pulledWithinMs ?? opts.idleMs);
    this.timer = setTimeout(this.onIdle, opts.idleMs);
  }

  static listen(mod: NativeRecv, address: string, port: number, opts: BatchUdpOptions): BatchUdpReceiver {
    const family = address.includes(':') ? 6 : 4;
    let fd: number;
    try {
      fd = mod.open(family, address, port, 4 * 1024 * 1024);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new UserError(`cannot listen on UDP ${address}:${port}: ${describeSystemError(err)}`, 1, code === 'EADDRINUSE' ? 'port-in-use' : 'listen-address');
    }
    return new BatchUdpReceiver(mod, fd, mod.localPort(fd), opts);
  }

  // Not refreshed per drain: Node keeps a refreshed timer's list due at the old
  // time, which is a wake-up of its own. While a sink pulls (drains) the timer
  // only looks in now and then; once nothing has drained for idleMs, it reads.
  private readonly onIdle = (): void => {
    if (this.closed) return;
    const pulled = this.now() - this.lastDrainAt < this.pulledWithinMs;
    if (!pulled) {
      const at = this.lastDrainAt;
      this.drain();
      this.lastDrainAt = at; // its own reads do not count as a sink's
    }
    if (!this.closed) this.timer = setTimeout(this.onIdle, pulled ? BACKSTOP_MS : this.idleMs);
  };

  /** Where each datagram goes (one handler: the receiver's). */
  onDatagram(handler: DatagramHandler): void {
    this.handler = handler;
  }

  /**
   * Reads what the kernel holds and hands each datagram on; returns how many.
   * `upToMs` (a sink replaying its pulls at their due times): only datagrams
   * that arrived by then are handed on, each with its arrival as `batchMs`
   * too; later ones wait in their slots for the next call, in order.
   */
  drain(upToMs = Infinity): number {
    if (this.closed || this.draining) return 0;
    this.draining = true;
    this.lastDrainAt = this.now();
    let total = 0;
    let readHere = false;
    try {
      for (;;) {
        if (this.pendFrom < this.pendTo) {
          const left = this.pendTo - this.pendFrom;
          const stop = this.deliverPending(upToMs);
          total += left - (this.pendTo - this.pendFrom);
          if (stop || this.closed) break;
          // A short batch read in this call emptied the kernel's queue; one read in an earlier call may not have.
          if (readHere && !this.pendFull) break;
        }
        const n = this.mod.recv(this.fd, this.data, SLOT_BYTES, this.meta, this.age, this.addr);
        if (n < 0) {
          // An ICMP port-unreachable for an RTCP answer we sent: nothing to do with what we read.
          if (-n === ECONNREFUSED) continue;
          if (-n !== EAGAIN && this.errorsReported++ === 0) this.emit('error', errnoError('recvmmsg', n));
          break;
        }
        if (n === 0) break;
        const t = this.now();
        const arr = this.arrival;
        for (let i = 0; i < n; i++) {
          const age = this.age[i]!;
          arr[i] = age >= 0 ? t - age : t;
        }
        this.pendFrom = 0;
        this.pendTo = n;
        this.pendAt = t;
        this.pendFull = n === SLOTS;
        readHere = true;
        this.batches++;
      }
    } finally {
      this.draining = false;
    }
    this.datagrams += total;
    return total;
  }

  // Returns true when it stopped at a datagram that arrived after upToMs.
  private deliverPending(upToMs: number): boolean {
    const bounded = upToMs !== Infinity;
    while (this.pendFrom < this.pendTo) {
      const i = this.pendFrom;
      const at = this.arrival[i]!;
      if (at > upToMs) return true;
      this.pendFrom++;
      this.deliver(i, at, bounded ? at : this.pendAt);
      if (this.closed) return true;
    }
    this.pendFrom = this.pendTo = 0;
    return false;
  }

  private deliver(i: number, arrivalMs: number, batchMs: number): void {
    const len = this.meta[i * META]!;
    const off = i * SLOT_BYTES;
    let view = this.views[i];
    if (view === undefined || view.length !== len) {
      view = this.pool.subarray(off, off + len);
      this.views[i] = view;
    }
    this.handler(view, this.peerOf(i), arrivalMs, batchMs);
  }

  /** The sender, as one object for as long as it stays the same address and port. */
  private peerOf(i: number): Peer {
    const port = this.meta[i * META + 1]!;
    const family = this.meta[i * META + 2]!;
    const a = this.addr;
    const o = i * ADDR;
    const last = this.lastPeer;
    if (last && last.port === port && this.lastFamily === family) {
      let same = true;
      const bytes = family === 6 ? 16 : 4;
      for (let k = 0; k < bytes; k++) {
        if (a[o + k] !== this.lastAddr[k]) {
          same = false;
          break;
        }
      }
      if (same) return last;
    }
    const f = family === 6 ? 6 : 4;
    const peer: Peer = { address: this.mod.address(f, a, o) ?? '?', port };
    this.lastPeer = peer;
    this.lastFamily = family;
    this.lastAddr.set(a.subarray(o, o + ADDR));
    return peer;
  }

  /** Sends one datagram to `to` (RTCP answers where the peer's came from); errors are reported, never thrown. */
  sendTo(packet: Buffer, to: Peer): Promise<void> {
    if (this.closed) return Promise.resolve();
    const r = this.mod.sendTo(this.fd, packet, to.address.includes(':') ? 6 : 4, to.address, to.port);
    // ECONNREFUSED: nobody listens there yet; EINVAL/EAFNOSUPPORT: an address of the other family (a report lost).
    if (r < 0 && ![-ECONNREFUSED, -22, -97, -EAGAIN].includes(r)) this.emit('error', errnoError('sendto', r));
    return Promise.resolve();
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      clearTimeout(this.timer);
      this.mod.close(this.fd);
    }
    return Promise.resolve();
  }
}
