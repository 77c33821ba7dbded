import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSap, serializeSap } from '../../../src/net/sap/sap-packet.js';

const SDP = 'v=0\no=- 1 1 IN IP4 192.168.1.20\ns=kitchen\nc=IN IP4 239.1.2.3/1\nt=0 0\nm=audio 5004 RTP/AVP 11\n';

test('an announcement on the wire: V=1, IPv4, no auth, the hash, the origin, "application/sdp\\0", the SDP', () => {
  const b = serializeSap({ deletion: false, hash: 0xbeef, origin: '192.168.1.20', sdp: SDP });
  assert.deepEqual([...b.subarray(0, 8)], [0x20, 0x00, 0xbe, 0xef, 192, 168, 1, 20]);
  assert.equal(b.toString('latin1', 8, 24), 'application/sdp\0');
  assert.equal(b.toString('utf8', 24), SDP);
  assert.deepEqual(parseSap(b), { ok: true, value: { deletion: false, hash: 0xbeef, origin: '192.168.1.20', payloadType: 'application/sdp', sdp: SDP } });
});

test('a deletion sets T (0x04); an IPv6 origin sets A (0x10) and takes 16 bytes', () => {
  const del = serializeSap({ deletion: true, hash: 7, origin: '10.0.0.1', sdp: SDP });
  assert.equal(del[0], 0x24);
  const d = parseSap(del);
  assert.ok(d.ok && d.value.deletion);
  const v6 = serializeSap({ deletion: false, hash: 7, origin: 'fe80::1:2', sdp: SDP });
  assert.equal(v6[0], 0x30);
  assert.equal(v6.length, 4 + 16 + 16 + SDP.length);
  const r = parseSap(v6);
  assert.ok(r.ok);
  assert.equal(r.value.origin, 'fe80::1:2');
});

test("PulseAudio 16's packet as it sends it (header 20 00 42 9b, origin 0.0.0.0, application/sdp) parses", () => {
  const sdp = 'v=0\no=root 4005212444 0 IN IP4 0.0.0.0\ns=PulseAudio RTP Stream on vm\nc=IN IP4 224.0.0.56\nt=4005212444 0\na=recvonly\nm=audio 46000 RTP/AVP 10\na=rtpmap:10 L16/44100/2\na=type:broadcast\n';
  const b = Buffer.concat([Buffer.from([0x20, 0x00, 0x42, 0x9b, 0, 0, 0, 0]), Buffer.from('application/sdp\0'), Buffer.from(sdp)]);
  const r = parseSap(b);
  assert.ok(r.ok);
  assert.deepEqual(r.value, { deletion: false, hash: 0x429b, origin: '0.0.0.0', payloadType: 'application/sdp', sdp });
});

test('no payload type when the payload starts with v=0 (RFC 2974 §5); authentication data is skipped by its length', () => {
  const bare = Buffer.concat([Buffer.from([0x20, 0x00, 0, 1, 127, 0, 0, 1]), Buffer.from(SDP)]);
  assert.equal((parseSap(bare) as { ok: true; value: { sdp: string } }).value.sdp, SDP);
  const auth = Buffer.concat([Buffer.from([0x20, 0x02, 0, 1, 127, 0, 0, 1]), Buffer.alloc(8, 0xaa), Buffer.from('application/sdp\0'), Buffer.from(SDP)]);
  assert.equal((parseSap(auth) as { ok: true; value: { sdp: string } }).value.sdp, SDP);
});

test('refused, each with a fixed reason: truncated, version 0/2, encrypted, compressed, another payload type, no SDP, NUL, oversize', () => {
  const good = serializeSap({ deletion: false, hash: 1, origin: '127.0.0.1', sdp: SDP });
  const flip = (b0: number): Buffer => Buffer.concat([Buffer.from([b0]), good.subarray(1)]);
  const cases: [Buffer, string][] = [
    [Buffer.from([0x20, 0, 1]), 'truncated header'],
    [Buffer.from([0x30, 0, 0, 1, 0, 0, 0, 0, 0, 0]), 'truncated header'], // IPv6 needs 16 origin bytes
    [Buffer.from([0x20, 0x10, 0, 1, 127, 0, 0, 1, 0, 0]), 'truncated header'], // 64 bytes of auth announced
    [flip(0x00), 'version 0'],
    [flip(0x40), 'version not 1'],
    [flip(0x22), 'encrypted'],
    [flip(0x21), 'compressed'],
    [Buffer.concat([good.subarray(0, 8), Buffer.from('text/plain\0'), Buffer.from(SDP)]), 'payload type not application/sdp'],
    [Buffer.concat([good.subarray(0, 8), Buffer.from('application/sdp')]), 'no payload type'],
    [Buffer.concat([good.subarray(0, 8), Buffer.from('application/sdp\0')]), 'empty payload'],
    [Buffer.concat([good.subarray(0, 8), Buffer.from('application/sdp\0hello')]), 'payload is not SDP'],
    [Buffer.concat([good, Buffer.from([0])]), 'NUL in the SDP'],
    [Buffer.concat([good, Buffer.alloc(1500)]), 'oversize'],
  ];
  for (const [b, error] of cases) assert.deepEqual(parseSap(b), { ok: false, error }, error);
});

test('random bytes never throw', () => {
  let seed = 1;
  const rnd = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff);
  for (let i = 0; i < 5000; i++) {
    const b = Buffer.from(Array.from({ length: rnd() % 64 }, rnd));
    if (i % 2) b[0] = 0x20;
    assert.doesNotThrow(() => parseSap(b));
  }
});
