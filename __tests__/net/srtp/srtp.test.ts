import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serializeRtp } from '../../../src/net/rtp/rtp.js';
import { SrtpProtector, SrtpUnprotector, estimateRoc } from '../../../src/net/srtp/srtp.js';
import { aesCmKeystream, deriveSessionKeys, packetIv } from '../../../src/net/srtp/srtp-crypto.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// RFC 3711 Appendix B.2 master key and salt (also libsrtp's test_key).
const KEY = Buffer.concat([hex('E1F97A0D3E018BE0D64FA32C06DE4139'), hex('0EC675AD498AFEEBB6960B3AABE6')]);
const OTHER_KEY = Buffer.alloc(30, 7);

function rtp(seq: number, ssrc = 0x11223344, payload = Buffer.from([1, 2, 3, 4, 5, 6])): Buffer {
  return serializeRtp({ marker: false, payloadType: 11, sequenceNumber: seq & 0xffff, timestamp: seq * 3, ssrc }, payload);
}

test('session keys match RFC 3711 B.2', () => {
  const k = deriveSessionKeys(KEY);
  assert.equal(k.cipherKey.toString('hex').toUpperCase(), 'C61E7A93744F39EE10734AFE3FF7A087');
  assert.equal(k.cipherSalt.toString('hex').toUpperCase(), '30CBBC08863D8C85D49DB34A9AE1');
  assert.equal(k.authKey.toString('hex').toUpperCase(), 'CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4');
});

test('AES-CM keystream matches RFC 3711 B.3', () => {
  const iv = packetIv(hex('F0F1F2F3F4F5F6F7F8F9FAFBFCFD'), 0, 0, 0);
  assert.equal(iv.toString('hex').toUpperCase(), 'F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000');
  const ks = aesCmKeystream(hex('2B7E151628AED2A6ABF7158809CF4F3C'), iv, 0xff02 * 16);
  const block = (n: number): string => ks.subarray(n * 16, n * 16 + 16).toString('hex').toUpperCase();
  assert.equal(block(0x0000), 'E03EAD0935C95E80E166B16DD92B4EB4');
  assert.equal(block(0x0001), 'D23513162B02D0F72A43A2FE4A5F97AB');
  assert.equal(block(0x0002), '41E95B3BB0A2E8DD477901E4FCA894C0');
  assert.equal(block(0xfeff), 'EC8CDF7398607CB0F2D21675EA9EA1E4');
  assert.equal(block(0xff00), '362B7C3C6773516318A077D7FC5073AE');
  assert.equal(block(0xff01), '6A2CC3787889374FBEB4C81B17BA6C44');
});

// libsrtp's srtp_validate(): the default policy (AES_CM_128_HMAC_SHA1_80), SSRC 0xcafebabe.
const PLAIN = hex('800f1234decafbadcafebabe' + 'ab'.repeat(16));
const CIPHER = hex('800f1234decafbadcafebabe 4e55dc4ce79978d88ca4d215949d2402 b78d6acc99ea179b8dbb');

test('protect produces libsrtp reference ciphertext and tag', () => {
  assert.deepEqual(new SrtpProtector(KEY).protect(PLAIN), CIPHER);
});

test('unprotect recovers libsrtp reference plaintext', () => {
  const r = new SrtpUnprotector(KEY).unprotect(CIPHER);
  assert.ok(r.ok);
  assert.deepEqual(r.packet, PLAIN);
});

test('the sender ROC counts the 65535 → 0 wrap', () => {
  const tx = new SrtpProtector(KEY);
  for (let s = 65533; s <= 65535; s++) tx.protect(rtp(s));
  assert.equal(tx.roc(0x11223344), 0);
  const afterWrap = tx.protect(rtp(2));
  assert.equal(tx.roc(0x11223344), 1);
  // Identical to a sender that was already at ROC 1: the wrap went into the IV and the tag.
  assert.deepEqual(afterWrap, new SrtpProtector(KEY, 1).protect(rtp(2)));
});

test('the receiver follows the ROC across a wrap, reordered packets included', () => {
  const tx = new SrtpProtector(KEY);
  const rx = new SrtpUnprotector(KEY);
  const seqs = [65530, 65531, 65532, 65533, 65534, 65535, 0, 1, 2, 3];
  const wire = seqs.map((s) => tx.protect(rtp(s)));
  // 65535 arrives after 0 and 1: its ROC is still 0.
  const order = [0, 1, 2, 3, 4, 6, 7, 5, 8, 9];
  const rocs = order.map((i) => {
    const r = rx.unprotect(wire[i]!);
    assert.ok(r.ok, `seq ${seqs[i]}: ${r.ok ? '' : r.error}`);
    assert.deepEqual(r.packet, rtp(seqs[i]!));
    return r.roc;
  });
  assert.deepEqual(rocs, [0, 0, 0, 0, 0, 1, 1, 0, 1, 1]);
});

test('a long stream wraps twice and every packet decrypts', () => {
  const tx = new SrtpProtector(KEY);
  const rx = new SrtpUnprotector(KEY);
  let ok = 0;
  for (let i = 0; i < 0x10000 * 2 + 10; i += 7) {
    const r = rx.unprotect(tx.protect(rtp(60000 + i, 1, Buffer.alloc(2))));
    if (r.ok) ok++;
  }
  assert.equal(ok, Math.ceil((0x10000 * 2 + 10) / 7));
  assert.equal(tx.roc(1), 2);
});

test('RFC 3711 Appendix A index estimate', () => {
  assert.equal(estimateRoc(5, 100, 200), 5);
  assert.equal(estimateRoc(5, 100, 65000), 4); // a late packet from before the wrap
  assert.equal(estimateRoc(5, 65000, 10), 6); // the first packet after a wrap
  assert.equal(estimateRoc(5, 65000, 40000), 5);
});

test('a replayed packet is rejected after it authenticates', () => {
  const tx = new SrtpProtector(KEY);
  const rx = new SrtpUnprotector(KEY);
  const p = tx.protect(rtp(10));
  assert.equal(rx.unprotect(p).ok, true);
  assert.deepEqual(rx.unprotect(p), { ok: false, error: 'replay' });
});

test('a packet older than the 64-packet window is rejected, one inside it is accepted', () => {
  const tx = new SrtpProtector(KEY);
  const rx = new SrtpUnprotector(KEY);
  const wire = Array.from({ length: 100 }, (_, i) => tx.protect(rtp(1000 + i)));
  for (let i = 0; i < 100; i++) if (i !== 30 && i !== 50) assert.equal(rx.unprotect(wire[i]!).ok, true);
  assert.deepEqual(rx.unprotect(wire[30]!), { ok: false, error: 'replay' }, '69 behind the highest');
  assert.equal(rx.unprotect(wire[50]!).ok, true, '49 behind the highest, never seen');
});

test('a changed payload byte fails authentication', () => {
  const p = Buffer.from(CIPHER);
  p[14]! ^= 1;
  assert.deepEqual(new SrtpUnprotector(KEY).unprotect(p), { ok: false, error: 'auth' });
});

test('a changed header byte fails authentication', () => {
  const p = Buffer.from(CIPHER);
  p[3]! ^= 1;
  assert.deepEqual(new SrtpUnprotector(KEY).unprotect(p), { ok: false, error: 'auth' });
});

test('a packet under another key fails authentication', () => {
  const p = new SrtpProtector(OTHER_KEY).protect(rtp(1));
  assert.deepEqual(new SrtpUnprotector(KEY).unprotect(p), { ok: false, error: 'auth' });
});

test('plain RTP fails authentication', () => {
  assert.deepEqual(new SrtpUnprotector(KEY).unprotect(rtp(1, 1, Buffer.alloc(100))), { ok: false, error: 'auth' });
});

test('a forged packet far ahead does not move the receiver state', () => {
  const tx = new SrtpProtector(KEY);
  const rx = new SrtpUnprotector(KEY);
  assert.equal(rx.unprotect(tx.protect(rtp(100))).ok, true);
  const forged = Buffer.concat([rtp(40000), Buffer.alloc(10)]);
  assert.equal(rx.unprotect(forged).ok, false);
  const next = rx.unprotect(tx.protect(rtp(101)));
  assert.ok(next.ok);
  assert.equal(next.roc, 0);
});

test('a receiver joining after the sender wrapped finds the ROC, one guess a packet', () => {
  const tx = new SrtpProtector(KEY, 40);
  const rx = new SrtpUnprotector(KEY);
  // Each packet tries ROC 0 and one more: 1, 2, … so ROC 40 is found on the 40th.
  const results = Array.from({ length: 41 }, (_, i) => rx.unprotect(tx.protect(rtp(500 + i))));
  assert.equal(results.findIndex((r) => r.ok), 39);
  assert.deepEqual(results[39], { ok: true, packet: rtp(539), roc: 40 });
  assert.equal(results[40]!.ok, true);
});

test('CSRCs and extension stay in the clear; the payload after them is encrypted', () => {
  // V=2, X=1, CC=1; one CSRC; extension of one word; 4-byte payload.
  const plain = hex('9100 0001 00000002 00000003 aaaaaaaa bede0001 12345678 01020304');
  const wire = new SrtpProtector(KEY).protect(plain);
  assert.deepEqual(wire.subarray(0, 24), plain.subarray(0, 24));
  assert.notDeepEqual(wire.subarray(24, 28), plain.subarray(24, 28));
  const r = new SrtpUnprotector(KEY).unprotect(wire);
  assert.ok(r.ok);
  assert.deepEqual(r.packet, plain);
});

test('bad input gets a typed error, not a throw', () => {
  const rx = new SrtpUnprotector(KEY);
  assert.deepEqual(rx.unprotect(Buffer.alloc(0)), { ok: false, error: 'short' });
  assert.deepEqual(rx.unprotect(Buffer.alloc(21)), { ok: false, error: 'short' });
  assert.deepEqual(rx.unprotect(Buffer.alloc(40)), { ok: false, error: 'version' });
  const csrcs = Buffer.alloc(30);
  csrcs[0] = 0x8f; // 15 CSRCs claimed, 8 bytes there
  assert.deepEqual(rx.unprotect(csrcs), { ok: false, error: 'header-overrun' });
  const ext = Buffer.alloc(30);
  ext[0] = 0x90;
  ext.writeUInt16BE(100, 14); // a 400-byte extension
  assert.deepEqual(rx.unprotect(ext), { ok: false, error: 'header-overrun' });
});

test('with the tag room kept free, protected packets stay within 1200 bytes', async () => {
  const { RtpPacketizer, MAX_DATAGRAM_BYTES } = await import('../../../src/net/rtp/packetizer.js');
  const { SRTP_TRAILER_BYTES } = await import('../../../src/net/srtp/srtp.js');
  const p = new RtpPacketizer({ format: { rate: 96000, channels: 2 }, payloadType: 96, trailerBytes: SRTP_TRAILER_BYTES });
  const tx = new SrtpProtector(KEY);
  const wire = p.packetize(new Int16Array(96 * 2 * 20)).map((x) => tx.protect(x));
  assert.ok(wire.length > 1);
  for (const w of wire) assert.ok(w.length <= MAX_DATAGRAM_BYTES, `${w.length} bytes`);
});
