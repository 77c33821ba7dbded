// SRTP packet protection (RFC 3711) for AES_CM_128_HMAC_SHA1_80, the suite
// ffmpeg (-srtp_out_suite) and SDP a=crypto lines name by default.
//
//   | RTP header (clear) | payload (encrypted) | auth tag (10) |
//   '----------- authenticated (+ ROC) -------'
//
// The sender keeps a rollover counter (ROC) that counts sequence wraps; the
// receiver estimates each packet's ROC (§3.3.1, Appendix A), checks the tag,
// then a 64-packet replay window, and only then moves its state forward, so
// forged packets can neither be played nor disturb the real stream.

import { timingSafeEqual } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { RTP_HEADER_BYTES, rtpHeaderLength as rtpHeaderBytes } from '../rtp/rtp.js';
import { uint16Diff } from '../../shared/rtp-time.js';
import { RocSearches } from './roc-search.js';
import { ReplayWindow } from './replay-window.js';
import type { SessionKeys } from './srtp-crypto.js';
import { AUTH_TAG_BYTES, aesCmXor, authTag, deriveSessionKeys, packetIv } from './srtp-crypto.js';

export { AUTH_TAG_BYTES as SRTP_TRAILER_BYTES } from './srtp-crypto.js';

export { REPLAY_WINDOW } from './replay-window.js';
/** Receiver contexts kept (one per SSRC that has authenticated). */
const MAX_CONTEXTS = 16;

export type SrtpError = 'short' | 'version' | 'header-overrun' | 'auth' | 'replay';

export type UnprotectResult = { ok: true; packet: Buffer; roc: number } | { ok: false; error: SrtpError };

/** Where the payload starts (after CSRCs and extension), or an error for a header that overruns. */
/** The RTP header's length, as SRTP needs it (every malformed header is one 'header-overrun'). */
export function rtpHeaderLength(p: Buffer, end = p.length): number | SrtpError {
  const n = rtpHeaderBytes(p, end);
  return typeof n === 'number' || n === 'short' || n === 'version' ? n : 'header-overrun';
}

/** Sender side: encrypts and appends the tag; tracks the ROC per SSRC. */
export class SrtpProtector {
  private readonly keys: SessionKeys;
  private readonly streams = new Map<number, { roc: number; lastSeq: number }>();
  private readonly initialRoc: number;

  /** `initialRoc` is for tests that start near a wrap; real streams start at 0. */
  constructor(keyAndSalt: Buffer, initialRoc = 0) {
    this.keys = deriveSessionKeys(keyAndSalt);
    this.initialRoc = initialRoc >>> 0;
  }

  /** The ROC the next packet of `ssrc` would be sent with (for tests and diagnostics). */
  roc(ssrc: number): number {
    return this.streams.get(ssrc >>> 0)?.roc ?? this.initialRoc;
  }

  /** A new buffer: header, encrypted payload, tag. Throws only for a packet we built wrong (a bug). */
  protect(rtp: Buffer): Buffer {
    const headerLength = rtpHeaderLength(rtp);
    if (typeof headerLength !== 'number') throw new Error(`srtp: cannot protect a packet with a bad RTP header (${headerLength})`);
    const ssrc = rtp.readUInt32BE(8);
    const seq = rtp.readUInt16BE(2);
    let s = this.streams.get(ssrc);
    if (!s) {
      s = { roc: this.initialRoc, lastSeq: seq };
      this.streams.set(ssrc, s);
    } else {
      // Moving forward past 65535 → 0 is a wrap: the ROC counts it.
      if (uint16Diff(s.lastSeq, seq) > 0 && seq < s.lastSeq) s.roc = (s.roc + 1) >>> 0;
      if (uint16Diff(s.lastSeq, seq) > 0) s.lastSeq = seq;
    }
    const out = Buffer.allocUnsafe(rtp.length + AUTH_TAG_BYTES);
    rtp.copy(out);
    aesCmXor(this.keys.cipherKey, packetIv(this.keys.cipherSalt, ssrc, s.roc, seq), out.subarray(headerLength, rtp.length));
    authTag(this.keys.authKey, out.subarray(0, rtp.length), s.roc).copy(out, rtp.length);
    return out;
  }
}

interface RecvContext {
  roc: number;
  /** s_l: the highest sequence number authenticated so far. */
  highestSeq: number;
  /** Indexes (2^16·ROC + SEQ) authenticated: the highest, and the ones just before it. */
  replay: ReplayWindow;
}

/** Receiver side: authenticates, checks for replays, decrypts. Never throws on input. */
export class SrtpUnprotector {
  private readonly keys: SessionKeys;
  private readonly contexts = new Map<number, RecvContext>();
  private readonly searches: RocSearches;

  /** `now` (a monotonic ms clock) measures a joined stream's packet rate. */
  constructor(keyAndSalt: Buffer, now: () => number = () => performance.now()) {
    this.keys = deriveSessionKeys(keyAndSalt);
    this.searches = new RocSearches(now);
  }

  unprotect(packet: Buffer): UnprotectResult {
    const end = packet.length - AUTH_TAG_BYTES;
    if (end < RTP_HEADER_BYTES) return { ok: false, error: 'short' };
    const headerLength = rtpHeaderLength(packet, end);
    if (typeof headerLength !== 'number') return { ok: false, error: headerLength };
    const seq = packet.readUInt16BE(2);
    const ssrc = packet.readUInt32BE(8);
    const authenticated = packet.subarray(0, end);
    const tag = packet.subarray(end);
    const ctx = this.contexts.get(ssrc);

    let roc: number | undefined;
    if (ctx) {
      const v = estimateRoc(ctx.roc, ctx.highestSeq, seq);
      // Older than the stream's first packet: nothing to authenticate it against.
      if (v < 0) return { ok: false, error: 'replay' };
      if (this.verify(authenticated, tag, v)) roc = v;
    } else {
      // A stream we have not authenticated yet: most likely a start (ROC 0), else joined mid-way.
      if (this.verify(authenticated, tag, 0)) roc = 0;
      else {
        const guess = this.searches.next(ssrc);
        if (this.verify(authenticated, tag, guess)) roc = guess;
      }
    }
    if (roc === undefined) return { ok: false, error: 'auth' };

    const index = roc * 0x10000 + seq;
    if (ctx && !ctx.replay.fresh(index)) return { ok: false, error: 'replay' };
    this.advance(ctx, ssrc, roc, seq, index);

    const plain = Buffer.from(authenticated);
    aesCmXor(this.keys.cipherKey, packetIv(this.keys.cipherSalt, ssrc, roc, seq), plain.subarray(headerLength));
    return { ok: true, packet: plain, roc };
  }

  private verify(authenticated: Buffer, tag: Buffer, roc: number): boolean {
    return timingSafeEqual(authTag(this.keys.authKey, authenticated, roc), tag);
  }

  private advance(ctx: RecvContext | undefined, ssrc: number, roc: number, seq: number, index: number): void {
    if (!ctx) {
      this.searches.forget(ssrc);
      if (this.contexts.size >= MAX_CONTEXTS) this.contexts.delete(this.contexts.keys().next().value!);
      this.contexts.set(ssrc, { roc, highestSeq: seq, replay: new ReplayWindow(index) });
      return;
    }
    if (ctx.replay.mark(index)) {
      ctx.roc = roc;
      ctx.highestSeq = seq;
    }
  }
}

/**
 * RFC 3711 Appendix A: the ROC a packet was most likely sent with, given
 * the receiver's ROC and highest sequence number s_l. −1 means "before the
 * stream began" (a very late packet across the first wrap).
 */
export function estimateRoc(roc: number, sl: number, seq: number): number {
  if (sl < 0x8000) return seq - sl > 0x8000 ? roc - 1 : roc;
  return sl - 0x8000 > seq ? roc + 1 : roc;
}

/** The shape of the receiver's hook: the plain packet, or why it was dropped. */
export type UnprotectHook = (packet: Buffer) => Buffer | { error: string; malformed?: boolean };

export const SRTP_AUTH_HINT = 'SRTP authentication failed — is the --key the same on both sides?';

// What the hook returns for a packet it drops: made once, not per packet (a wrong key drops every one).
const REJECTED_AUTH = Object.freeze({ error: 'SRTP auth' });
const REJECTED_REPLAY = Object.freeze({ error: 'SRTP replay' });
const MALFORMED = Object.freeze({
  short: Object.freeze({ error: 'short', malformed: true }),
  version: Object.freeze({ error: 'version', malformed: true }),
  'header-overrun': Object.freeze({ error: 'header-overrun', malformed: true }),
} as const);

/**
 * Wraps an SrtpUnprotector for the receiver: header damage counts as
 * malformed, auth and replay failures as rejected. `onFirstAuthFailure`
 * runs once, so a wrong key gets one clear line and then only the counts.
 */
export function srtpReceiveHook(keyAndSalt: Buffer, onFirstAuthFailure: (hint: string) => void): UnprotectHook {
  const srtp = new SrtpUnprotector(keyAndSalt);
  let warned = false;
  return (packet) => {
    const r = srtp.unprotect(packet);
    if (r.ok) return r.packet;
    if (r.error === 'auth' || r.error === 'replay') {
      if (r.error === 'auth' && !warned) {
        warned = true;
        onFirstAuthFailure(SRTP_AUTH_HINT);
      }
      return r.error === 'auth' ? REJECTED_AUTH : REJECTED_REPLAY;
    }
    return MALFORMED[r.error];
  };
}
