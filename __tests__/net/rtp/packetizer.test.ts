import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_DATAGRAM_BYTES, RtpPacketizer } from '../../../src/net/rtp/packetizer.js';
import { deserializeRtp } from '../../../src/net/rtp/rtp.js';
import { l16ToPcm, pcmToL16 } from '../../../src/net/rtp/l16.js';
import { uint32Diff } from '../../../src/shared/rtp-time.js';

const initial = { sequenceNumber: 65534, timestamp: 0xffffff00, ssrc: 0xabcdef01 };

function decode(b: Buffer) {
  const r = deserializeRtp(b);
  assert.ok(r.ok);
  return r.packet;
}

test('L16 payload is big-endian and round-trips', () => {
  const pcm = new Int16Array([1, -2, 0x1234]);
  const b = pcmToL16(pcm);
  assert.deepEqual([...b], [0x00, 0x01, 0xff, 0xfe, 0x12, 0x34]);
  assert.deepEqual([...l16ToPcm(b)], [1, -2, 0x1234]);
});

test('a small frame is one packet; seq and timestamp advance and wrap', () => {
  const p = new RtpPacketizer({ format: { rate: 44100, channels: 1 }, payloadType: 11, initial });
  const a = decode(p.packetize(new Int16Array(441))[0]!);
  const b = decode(p.packetize(new Int16Array(441))[0]!);
  const c = decode(p.packetize(new Int16Array(441))[0]!);
  assert.deepEqual([a.sequenceNumber, b.sequenceNumber, c.sequenceNumber], [65534, 65535, 0]);
  assert.equal(b.timestamp, (0xffffff00 + 441) % 2 ** 32);
  assert.equal(c.timestamp, (0xffffff00 + 882) % 2 ** 32);
  assert.deepEqual([a.marker, b.marker, c.marker], [true, false, false]);
});

test('a frame over 1200 bytes is split evenly into packets that all fit', () => {
  const format = { rate: 48000, channels: 2 } as const;
  const p = new RtpPacketizer({ format, payloadType: 96, initial });
  const frames = 960; // 20 ms stereo = 3840 bytes
  const pcm = new Int16Array(frames * 2).map((_, i) => i);
  const packets = p.packetize(pcm);
  assert.equal(packets.length, 4);
  for (const b of packets) assert.ok(b.length <= MAX_DATAGRAM_BYTES);
  const decoded = packets.map(decode);
  assert.deepEqual(
    decoded.map((d) => uint32Diff(decoded[0]!.timestamp, d.timestamp)),
    [0, 240, 480, 720],
  );
  const joined = new Int16Array(decoded.flatMap((d) => [...l16ToPcm(d.payload)]));
  assert.deepEqual(joined, pcm);
});

test('the SRTP trailer is kept free of the 1200-byte budget', () => {
  const p = new RtpPacketizer({ format: { rate: 48000, channels: 2 }, payloadType: 96, trailerBytes: 10, initial });
  for (const b of p.packetize(new Int16Array(960 * 2))) assert.ok(b.length + 10 <= MAX_DATAGRAM_BYTES);
});

test('random initial state differs between packetizers', () => {
  const f = { rate: 8000, channels: 1 } as const;
  const ssrcs = new Set(Array.from({ length: 5 }, () => new RtpPacketizer({ format: f, payloadType: 96 }).ssrc));
  assert.ok(ssrcs.size > 1);
});

test('skip() advances the timestamp and marks the next packet', () => {
  const p = new RtpPacketizer({ format: { rate: 8000, channels: 1 }, payloadType: 96, initial: { ...initial, timestamp: 0 } });
  decode(p.packetize(new Int16Array(80))[0]!);
  p.skip(160);
  const b = decode(p.packetize(new Int16Array(80))[0]!);
  assert.equal(b.timestamp, 240);
  assert.equal(b.marker, true);
});
