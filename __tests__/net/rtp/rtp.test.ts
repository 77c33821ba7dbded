import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deserializeRtp, newRtpFields, readRtp, serializeRtp } from '../../../src/net/rtp/rtp.js';

// V=2, M=1, PT=11, seq=0x1234, ts=0xdeadbeef, ssrc=0x01020304, payload 0xaabb
const FIXED = Buffer.from('808b1234deadbeef01020304aabb', 'hex');

test('serializes a header to the fixed bytes', () => {
  const b = serializeRtp(
    { marker: true, payloadType: 11, sequenceNumber: 0x1234, timestamp: 0xdeadbeef, ssrc: 0x01020304 },
    Buffer.from([0xaa, 0xbb]),
  );
  assert.deepEqual(b, FIXED);
});

test('deserializes the fixed bytes', () => {
  const r = deserializeRtp(FIXED);
  assert.ok(r.ok);
  assert.equal(r.packet.marker, true);
  assert.equal(r.packet.payloadType, 11);
  assert.equal(r.packet.sequenceNumber, 0x1234);
  assert.equal(r.packet.timestamp, 0xdeadbeef);
  assert.equal(r.packet.ssrc, 0x01020304);
  assert.deepEqual([...r.packet.payload], [0xaa, 0xbb]);
});

test('round-trips extreme field values', () => {
  const h = { marker: false, payloadType: 127, sequenceNumber: 65535, timestamp: 0xffffffff, ssrc: 0xffffffff };
  const r = deserializeRtp(serializeRtp(h, Buffer.alloc(0)));
  assert.ok(r.ok);
  assert.equal(r.packet.sequenceNumber, 65535);
  assert.equal(r.packet.timestamp, 0xffffffff);
  assert.equal(r.packet.ssrc, 0xffffffff);
  assert.equal(r.packet.payload.length, 0);
});

test('skips CSRCs, extension and padding to find the payload', () => {
  // V=2 P=1 X=1 CC=1; one CSRC; extension of 1 word; payload 0x0102; 2 bytes of padding
  const b = Buffer.from('b10b0001000000020000000300000004beef0001cafebabe0102' + '0002', 'hex');
  const r = deserializeRtp(b);
  assert.ok(r.ok);
  assert.deepEqual(r.packet.csrcs, [4]);
  assert.equal(r.packet.padding, 2);
  assert.deepEqual([...r.packet.payload], [1, 2]);
});

test('rejects malformed packets with a typed error', () => {
  const cases: [string, string][] = [
    ['80', 'short'],
    ['408b1234deadbeef01020304', 'version'],
    ['838b1234deadbeef01020304', 'csrc-overrun'],
    ['908b1234deadbeef01020304beef', 'extension-overrun'],
    ['908b1234deadbeef01020304beef0009', 'extension-overrun'],
    ['a08b1234deadbeef0102030400', 'padding-overrun'],
    ['a08b1234deadbeef01020304ff', 'padding-overrun'],
  ];
  for (const [hex, error] of cases) {
    const r = deserializeRtp(Buffer.from(hex, 'hex'));
    assert.deepEqual(r, { ok: false, error }, hex);
  }
});

test('readRtp reads into one reused object what deserializeRtp returns, errors alike', () => {
  const f = newRtpFields();
  const valid = [
    'b10b0001000000020000000300000004beef0001cafebabe0102' + '0002',
    '80e0fffe8000000112345678' + 'aabbccdd',
    '8000000000000000ffffffff',
  ];
  for (const hex of valid) {
    const b = Buffer.from(hex, 'hex');
    const r = deserializeRtp(b);
    assert.ok(r.ok);
    assert.equal(readRtp(b, f), undefined, hex);
    const p = r.packet;
    assert.deepEqual(
      [f.marker, f.payloadType, f.sequenceNumber, f.timestamp, f.ssrc, f.csrcCount, f.padding],
      [p.marker, p.payloadType, p.sequenceNumber, p.timestamp, p.ssrc, p.csrcs.length, p.padding],
      hex,
    );
    assert.deepEqual(b.subarray(f.payloadStart, f.payloadEnd), p.payload, hex);
  }
  for (const hex of ['80', '408b1234deadbeef01020304', '838b1234deadbeef01020304', 'a08b1234deadbeef0102030400']) {
    const r = deserializeRtp(Buffer.from(hex, 'hex'));
    assert.ok(!r.ok);
    assert.equal(readRtp(Buffer.from(hex, 'hex'), f), r.error, hex);
  }
});
