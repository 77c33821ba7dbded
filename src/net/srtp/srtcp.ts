// SRTCP (RFC 3711 §3.4) for AES_CM_128_HMAC_SHA1_80: RTCP's counterpart of
// srtp.ts. Pure: no sockets, no clocks. The keys come from the same master
// key and salt as SRTP's, with labels 3–5 (srtp-crypto.ts).
//
//      0                   1                   2                   3
//      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+<+
//     |V=2|P|    RC   |   PT=SR or RR   |             length          | |
//     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ |
//     |                         SSRC of sender                        | |
//   +>+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+ |
//   | ~                          sender info                          ~ |
//   | +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ |
//   | ~                         report block 1                        ~ |
//   | +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ |
//   | ~                              ...                              ~ |
//   | +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ |
//   | |V=2|P|    SC   |  PT=SDES=202  |             length            | |
//   | +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+ |
//   | |                          SSRC/CSRC_1                          | |
//   | +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+ |
//   | ~                           SDES items                          ~ |
//   | +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+ |
//   | ~                              ...                              ~ |
//   +>+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+ |
//     |E|                         SRTCP index                         | |
//     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+<+
//     ~                     SRTCP MKI (OPTIONAL)                      ~
//     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//     :                     authentication tag                        :
//     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
//   Encrypted portion: between the +> marks on the left (E = 1).
//   Authenticated portion: between the <+ marks on the right.
//
// Unlike SRTP, the whole compound packet after the first 8 bytes is
// encrypted, and the sender carries its packet index in the clear (E flag +
// 31 bits), so there is no ROC to estimate. No MKI here (nor in ffmpeg or
// SDES a=crypto as streamer uses them); the tag is 80 bits.

import { timingSafeEqual } from 'node:crypto';
import type { SessionKeys } from './srtp-crypto.js';
import { AUTH_TAG_BYTES, aesCmXor, deriveSrtcpSessionKeys, srtcpAuthTag, srtcpIv } from './srtp-crypto.js';
import { ReplayWindow } from './replay-window.js';

/** The RTCP header and sender SSRC: authenticated, never encrypted. */
const CLEAR_BYTES = 8;
const INDEX_BYTES = 4;
/** What protect() adds: the E flag + SRTCP index word, then the 80-bit tag. */
export const SRTCP_TRAILER_BYTES = INDEX_BYTES + AUTH_TAG_BYTES;
const E_FLAG = 0x80000000;
/** The SRTCP index is 31 bits (§3.4); a sender must rekey before it would repeat. */
export const MAX_SRTCP_INDEX = 0x7fffffff;
export { REPLAY_WINDOW as SRTCP_REPLAY_WINDOW } from './replay-window.js';
/** Receiver contexts kept (one per sender SSRC that has authenticated), as for SRTP. */
const MAX_CONTEXTS = 16;

export type SrtcpError = 'short' | 'auth' | 'replay';

export type SrtcpUnprotectResult = { ok: true; packet: Buffer } | { ok: false; error: SrtcpError };

/** Sender side: encrypts (E = 1), appends E|index and the tag. The index counts per sender SSRC from 0. */
export class SrtcpProtector {
  private readonly keys: SessionKeys;
  private readonly next = new Map<number, number>();

  constructor(keyAndSalt: Buffer) {
    this.keys = deriveSrtcpSessionKeys(keyAndSalt);
  }

  /**
   * A new buffer: the first 8 bytes as given, the rest encrypted, then
   * E|index and the tag. Throws only for a packet we built wrong (shorter
   * than header + SSRC) or after 2^31 packets of one SSRC (keystream reuse).
   */
  protect(rtcp: Buffer): Buffer {
    if (rtcp.length < CLEAR_BYTES) throw new Error(`srtcp: cannot protect ${rtcp.length} bytes (an RTCP packet has at least ${CLEAR_BYTES})`);
    const ssrc = rtcp.readUInt32BE(4);
    const index = this.next.get(ssrc) ?? 0;
    if (index > MAX_SRTCP_INDEX) throw new RangeError(`srtcp: SSRC ${ssrc} has used all 2^31 SRTCP indexes; the key must change`);
    this.next.set(ssrc, index + 1);

    const out = Buffer.allocUnsafe(rtcp.length + SRTCP_TRAILER_BYTES);
    rtcp.copy(out);
    aesCmXor(this.keys.cipherKey, srtcpIv(this.keys.cipherSalt, ssrc, index), out.subarray(CLEAR_BYTES, rtcp.length));
    out.writeUInt32BE((E_FLAG | index) >>> 0, rtcp.length);
    const authenticatedEnd = rtcp.length + INDEX_BYTES;
    srtcpAuthTag(this.keys.authKey, out.subarray(0, authenticatedEnd)).copy(out, authenticatedEnd);
    return out;
  }
}

/** Receiver side: authenticates, checks for replays, decrypts. Never throws on input. */
export class SrtcpUnprotector {
  private readonly keys: SessionKeys;
  private readonly contexts = new Map<number, ReplayWindow>();

  constructor(keyAndSalt: Buffer) {
    this.keys = deriveSrtcpSessionKeys(keyAndSalt);
  }

  /** The plain compound RTCP packet (a new buffer), or why it was dropped. */
  unprotect(buf: Buffer): SrtcpUnprotectResult {
    const tagAt = buf.length - AUTH_TAG_BYTES;
    const indexAt = tagAt - INDEX_BYTES;
    if (indexAt < CLEAR_BYTES) return { ok: false, error: 'short' };
    if (!timingSafeEqual(srtcpAuthTag(this.keys.authKey, buf.subarray(0, tagAt)), buf.subarray(tagAt))) return { ok: false, error: 'auth' };

    const word = buf.readUInt32BE(indexAt);
    const encrypted = (word & E_FLAG) !== 0;
    const index = word & MAX_SRTCP_INDEX;
    const ssrc = buf.readUInt32BE(4);
    const replay = this.contexts.get(ssrc);
    if (replay && !replay.fresh(index)) return { ok: false, error: 'replay' };
    if (replay) replay.mark(index);
    else {
      if (this.contexts.size >= MAX_CONTEXTS) this.contexts.delete(this.contexts.keys().next().value!);
      this.contexts.set(ssrc, new ReplayWindow(index));
    }

    const plain = Buffer.from(buf.subarray(0, indexAt));
    if (encrypted) aesCmXor(this.keys.cipherKey, srtcpIv(this.keys.cipherSalt, ssrc, index), plain.subarray(CLEAR_BYTES));
    return { ok: true, packet: plain };
  }
}
