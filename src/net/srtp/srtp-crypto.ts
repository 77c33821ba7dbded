// The crypto transforms of SRTP's default suite AES_CM_128_HMAC_SHA1_80
// (RFC 3711 §4.1.1, §4.2, §4.3), with node:crypto only. Pure: no state,
// no I/O. The packet-level state (ROC, SRTCP index, replay windows) lives
// in srtp.ts and srtcp.ts.

import { createCipheriv, createHmac } from 'node:crypto';

export const MASTER_KEY_BYTES = 16;
export const MASTER_SALT_BYTES = 14;
/** Key and salt as one blob: what `a=crypto inline:` and ffmpeg's -srtp_*_params carry. */
export const KEY_AND_SALT_BYTES = MASTER_KEY_BYTES + MASTER_SALT_BYTES;
export const AUTH_KEY_BYTES = 20;
/** HMAC-SHA1 truncated to 80 bits. */
export const AUTH_TAG_BYTES = 10;

/** RFC 3711 §4.3.1/§4.3.2 key derivation labels: one set for SRTP, one for SRTCP. */
interface Labels {
  cipherKey: number;
  authKey: number;
  salt: number;
}
const SRTP_LABELS: Labels = { cipherKey: 0x00, authKey: 0x01, salt: 0x02 };
const SRTCP_LABELS: Labels = { cipherKey: 0x03, authKey: 0x04, salt: 0x05 };

export interface SessionKeys {
  cipherKey: Buffer;
  cipherSalt: Buffer;
  authKey: Buffer;
}

/**
 * AES in counter mode from a 16-byte IV (RFC 3711 §4.1.1). The RFC's
 * counter is the IV plus the block number in its low 16 bits; node's CTR
 * increments the whole 128-bit block, which is the same for any packet
 * shorter than 2^16 blocks.
 */
export function aesCmKeystream(key: Buffer, iv: Buffer, length: number): Buffer {
  const c = createCipheriv('aes-128-ctr', key, iv);
  return Buffer.concat([c.update(Buffer.alloc(length)), c.final()]);
}

/** XORs `data` in place with AES-CM keystream; encrypts and decrypts alike. */
export function aesCmXor(key: Buffer, iv: Buffer, data: Buffer): void {
  if (data.length === 0) return;
  const c = createCipheriv('aes-128-ctr', key, iv);
  const out = c.update(data);
  out.copy(data);
}

/**
 * One session key from the master key and salt (RFC 3711 §4.3.1) with a key
 * derivation rate of 0 (so r = 0): x = (label << 48) XOR master salt,
 * IV = x · 2^16, output = AES-CM keystream.
 */
export function deriveSessionKey(masterKey: Buffer, masterSalt: Buffer, label: number, length: number): Buffer {
  const iv = Buffer.alloc(16);
  masterSalt.copy(iv, 0, 0, MASTER_SALT_BYTES);
  // key_id = label || r (48 bits of index DIV kdr, 0 here) sits right-aligned in the 112-bit x.
  iv[7] = iv[7]! ^ label;
  return aesCmKeystream(masterKey, iv, length);
}

function deriveKeys(keyAndSalt: Buffer, labels: Labels): SessionKeys {
  if (keyAndSalt.length !== KEY_AND_SALT_BYTES) throw new RangeError(`SRTP key+salt must be ${KEY_AND_SALT_BYTES} bytes`);
  const key = keyAndSalt.subarray(0, MASTER_KEY_BYTES);
  const salt = keyAndSalt.subarray(MASTER_KEY_BYTES);
  return {
    cipherKey: deriveSessionKey(key, salt, labels.cipherKey, MASTER_KEY_BYTES),
    cipherSalt: deriveSessionKey(key, salt, labels.salt, MASTER_SALT_BYTES),
    authKey: deriveSessionKey(key, salt, labels.authKey, AUTH_KEY_BYTES),
  };
}

/** SRTP's session keys (labels 0, 1, 2). */
export function deriveSessionKeys(keyAndSalt: Buffer): SessionKeys {
  return deriveKeys(keyAndSalt, SRTP_LABELS);
}

/** SRTCP's session keys from the same master key and salt (labels 3, 4, 5; RFC 3711 §4.3.2). */
export function deriveSrtcpSessionKeys(keyAndSalt: Buffer): SessionKeys {
  return deriveKeys(keyAndSalt, SRTCP_LABELS);
}

/**
 * Per-packet IV (RFC 3711 §4.1.1):
 * IV = (k_s · 2^16) XOR (SSRC · 2^64) XOR (i · 2^16), i = 2^16 · ROC + SEQ.
 */
export function packetIv(sessionSalt: Buffer, ssrc: number, roc: number, seq: number): Buffer {
  const iv = Buffer.alloc(16);
  sessionSalt.copy(iv, 0, 0, MASTER_SALT_BYTES);
  iv.writeUInt32BE((iv.readUInt32BE(4) ^ ssrc) >>> 0, 4);
  iv.writeUInt32BE((iv.readUInt32BE(8) ^ roc) >>> 0, 8);
  iv.writeUInt16BE(iv.readUInt16BE(12) ^ seq, 12);
  return iv;
}

/**
 * SRTCP's per-packet IV (RFC 3711 §4.1.1 with §3.4): the same formula, with
 * the 31-bit SRTCP index as i.
 */
export function srtcpIv(sessionSalt: Buffer, ssrc: number, index: number): Buffer {
  return packetIv(sessionSalt, ssrc, index >>> 16, index & 0xffff);
}

/** HMAC-SHA1 over the authenticated portion followed by the ROC, truncated to 80 bits (§4.2). */
export function authTag(authKey: Buffer, authenticated: Buffer, roc: number): Buffer {
  const rocBytes = Buffer.allocUnsafe(4);
  rocBytes.writeUInt32BE(roc >>> 0, 0);
  return createHmac('sha1', authKey).update(authenticated).update(rocBytes).digest().subarray(0, AUTH_TAG_BYTES);
}

/**
 * SRTCP's tag (§3.4): HMAC-SHA1 over the authenticated portion alone, which
 * already ends in the E flag and SRTCP index (no ROC), truncated to 80 bits.
 */
export function srtcpAuthTag(authKey: Buffer, authenticated: Buffer): Buffer {
  return createHmac('sha1', authKey).update(authenticated).digest().subarray(0, AUTH_TAG_BYTES);
}
