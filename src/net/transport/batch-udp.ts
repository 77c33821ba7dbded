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
/** Datagrams one recvmmsg reads at most (the pool's slots). */
export const BATCH_SLOTS = 64;
const SLOTS = BATCH_SLOTS;
const META = 4;
const ADDR = 16;
const ECONNREFUSED = 111;
const EAGAIN = 11;
/**
 * How often the idle timer looks while a sink drains the socket itself: at
 * least this often, and at most MAX_BACKSTOP_MS when the kernel's buffer holds
 * that long at the packet rate (backstopMs).
 */
export const BACKSTOP_MS = 250;
export const MAX_BACKSTOP_MS = 1000;
/** The receive buffer asked for (the kernel may cap it: net.core.rmem_max). */
const RCVBUF_BYTES = 4 * 1024 * 1024;
/** What a kernel that does not say is taken to grant: twice Linux's default net.core.rmem_max. */
const FALLBACK_RCVBUF = 2 * 212992;

/**
 * About how many datagrams of `avgBytes` a receive buffer of `rcvbufBytes`
 * holds: the kernel charges each its skb's true size, not its payload
 * (loopback, measured: 832 bytes for 20, 1280 for 200, 2304 for 902 and for
 * 1400); 2 × length + 1024 stays above that.
 */
export function kernelDatagrams(rcvbufBytes: number, avgBytes: number): number {
  return Math.floor(rcvbufBytes / (2 * Math.max(0, avgBytes) + 1024));
}

/**
 * The idle timer's period while a sink drains (BACKSTOP_MS … MAX_BACKSTOP_MS):
 * should the drains stop, the socket goes unread for up to `pulledWithinMs`
 * plus this, which must stay within half of what the kernel's buffer holds at
 * `pps` — so a session's own backstop wakes it once a second rather than four
 * times while the rate allows.
 */
export function backstopMs(pps: number, capacityDatagrams: number, pulledWithinMs: number): number {
  const fillMs = pps > 0 ? (1000 * capacityDatagrams) / pps : Infinity;
  return Math.round(Math.min(MAX_BACKSTOP_MS, Math.max(BACKSTOP_MS, fillMs / 2 - pulledWithinMs)));
}

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
  /** When the last batch's read began: a short one left the kernel nothing that had arrived before then. */
  private pendEmptiedAt = -Infinity;
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
  private pulledWithinMs: number;
  private readonly rcvbuf: number;
  /** Datagrams and bytes at the previous idle-timer look (its rate estimate). */
  private idleSeen = { at: 0, datagrams: 0 };
  private readonly now: () => number;
  private errorsReported = 0;
  private handler: DatagramHandler = () => undefined;
  /** Datagrams read, and batches that held any (for the debug log and tests). */
  datagrams = 0;
  batches = 0;
  /** Datagrams and their bytes read from the kernel (rates: see kernelDatagrams, clockless-wake.ts). */
  datagramsRead = 0;
  bytesRead = 0;

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
    const granted = mod.rcvbuf?.(fd) ?? -1;
    this.rcvbuf = granted > 0 ? granted : FALLBACK_RCVBUF;
    this.idleSeen.at = this.now();
    this.timer = setTimeout(this.onIdle, opts.idleMs);
  }

  static listen(mod: NativeRecv, address: string, port: number, opts: BatchUdpOptions): BatchUdpReceiver {
    const family = address.includes(':') ? 6 : 4;
    let fd: number;
    try {
      fd = mod.open(family, address, port, RCVBUF_BYTES);
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
    if (!pulled) this.drain(Infinity, false);
    if (this.closed) return;
    const now = this.now();
    const pps = (1000 * (this.datagramsRead - this.idleSeen.datagrams)) / Math.max(1, now - this.idleSeen.at);
    this.idleSeen = { at: now, datagrams: this.datagramsRead };
    this.timer = setTimeout(this.onIdle, pulled ? backstopMs(pps, this.kernelDatagrams(), this.pulledWithinMs) : this.idleMs);
  };

  /** About how many datagrams the kernel's buffer holds, at the mean size read so far (MTU-sized before any). */
  kernelDatagrams(): number {
    return kernelDatagrams(this.rcvbuf, this.datagramsRead > 0 ? this.bytesRead / this.datagramsRead : 1500);
  }

  /** The sink's wake-up period changed: a drain within this long still means it is pulling (BatchUdpOptions.pulledWithinMs). */
  expectDrainsWithin(ms: number): void {
    this.pulledWithinMs = Math.max(this.idleMs, ms);
  }

  /** Where each datagram goes (one handler: the receiver's). */
  onDatagram(handler: DatagramHandler): void {
    this.handler = handler;
  }

  /**
   * Reads what the kernel holds and hands each datagram on; returns how many.
   * `upToMs` (a sink replaying its pulls at their due times): only datagrams
   * that arrived by then are handed on, each with its arrival as `batchMs`
   * too; later ones wait in their slots for the next call, in order.
   * `bySink` false (the stats second, an RTCP packet, the idle timer): a read
   * that says nothing about whether a sink is pulling, so the idle timer keeps
   * looking as often as it did (a sink yet to start must not lose a second of
   * datagrams to the kernel's buffer because an RTCP report came first).
   */
  drain(upToMs = Infinity, bySink = true): number {
    if (this.closed || this.draining) return 0;
    this.draining = true;
    if (bySink) this.lastDrainAt = this.now();
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
        // Nor would a read find more for this drain: the last short (or empty) read began after upToMs, so
        // the kernel can hold only later arrivals. A wake-up's replayed pulls then share its one read.
        if (!this.pendFull && this.pendEmptiedAt >= upToMs) break;
        const before = this.now();
        const n = this.mod.recv(this.fd, this.data, SLOT_BYTES, this.meta, this.age, this.addr);
        if (n < 0) {
          // An ICMP port-unreachable for an RTCP answer we sent: nothing to do with what we read.
          if (-n === ECONNREFUSED) continue;
          if (-n !== EAGAIN && this.errorsReported++ === 0) this.emit('error', errnoError('recvmmsg', n));
          break;
        }
        if (n === 0) {
          this.pendFull = false;
          this.pendEmptiedAt = before;
          break;
        }
        const t = this.now();
        const arr = this.arrival;
        const meta = this.meta;
        let bytes = 0;
        for (let i = 0; i < n; i++) {
          const age = this.age[i]!;
          arr[i] = age >= 0 ? t - age : t;
          bytes += meta[i * META]!;
        }
        this.datagramsRead += n;
        this.bytesRead += bytes;
        this.pendEmptiedAt = before;
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
