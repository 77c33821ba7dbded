import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Announcements, summarizeSdp, timeoutMs } from '../../../src/net/sap/announcements.js';
import type { SapPacket } from '../../../src/net/sap/sap-packet.js';
import { buildSdp, describeStream } from '../../../src/net/sdp.js';

const sdp = (name: string, port = 5004, o = '- 1 1 IN IP4 10.0.0.5'): string =>
  `v=0\no=${o}\ns=${name}\nc=IN IP4 239.1.2.3/4\nt=0 0\nm=audio ${port} RTP/AVP 96\na=rtpmap:96 L24/48000/2\n`;
const ann = (over: Partial<SapPacket> = {}): SapPacket => ({ deletion: false, hash: 1, origin: '10.0.0.5', payloadType: 'application/sdp', sdp: sdp('hall'), ...over });

test('the first audio stream of an SDP, whatever its codec: name, group, TTL, port, encoding, rate, channels', () => {
  assert.deepEqual(summarizeSdp(sdp('hall')), {
    name: 'hall', originLine: '- 1 IN IP4 10.0.0.5', address: '239.1.2.3', ttl: 4, port: 5004, payloadType: 96, codec: 'L24', rate: 48000, channels: 2,
  });
  // Static types need no rtpmap; the writer's own SDP (CRLF, LF) reads the same.
  const ours = describeStream({ host: '239.9.9.9', port: 6000, protocol: 'udp', format: { rate: 44100, channels: 2 } });
  for (const eol of ['\r\n', '\n'] as const) {
    const s = summarizeSdp(buildSdp(ours, { sessionName: 'ours', origin: '10.0.0.1', ttl: 1, eol }));
    assert.ok(typeof s !== 'string');
    assert.deepEqual([s.name, s.address, s.ttl, s.port, s.payloadType, s.codec, s.rate, s.channels], ['ours', '239.9.9.9', 1, 6000, 10, 'L16', 44100, 2]);
  }
});

test('an SDP that says no playable place or format is one fixed reason', () => {
  const cases: [string, string][] = [
    ['v=0\ns=x\nc=IN IP4 239.1.1.1\nm=audio 1 RTP/AVP 11\n', 'no o= line'],
    ['v=0\no=- 1 1 IN IP4 1.2.3.4\ns=x\nc=IN IP4 239.1.1.1\nm=video 1 RTP/AVP 96\n', 'no m=audio line'],
    ['v=0\no=- 1 1 IN IP4 1.2.3.4\ns=x\nm=audio 1 RTP/AVP 11\n', 'no c= line'],
    ['v=0\no=- 1 1 IN IP4 1.2.3.4\ns=x\nc=IN IP4 239.1.1.1\nm=audio 70000 RTP/AVP 11\n', 'm=audio port out of range'],
    ['v=0\no=- 1 1 IN IP4 1.2.3.4\ns=x\nc=IN IP4 239.1.1.1\nm=audio 1 RTP/AVP 97\n', 'dynamic payload type without a=rtpmap'],
    ['v=0\no=- 1 1 IN IP4 1.2.3.4\ns=x\nc=IN IP4 239.1.1.1\nm=audio 1 RTP/AVP 97\na=rtpmap:97 <script>\n', 'a=rtpmap is not ENCODING/RATE[/CHANNELS]'],
    ['v=0\no=- 1 1 IN IP4 1.2.3.4\ns=x\nc=somewhere\nm=audio 1 RTP/AVP 11\n', 'c= line is not "IN IP4 ADDR[/TTL]"'],
  ];
  for (const [text, why] of cases) assert.equal(summarizeSdp(text), why);
});

test('new, refresh (same SDP), changed (new SDP) — one entry per origin and hash, with the interval seen', () => {
  const t = new Announcements();
  assert.equal(t.take(ann(), 1000).kind, 'new');
  const r = t.take(ann(), 6000);
  assert.equal(r.kind, 'refresh');
  assert.equal(r.kind === 'refresh' && r.stream.intervalMs, 5000);
  assert.equal(t.take(ann({ sdp: sdp('hall', 5006) }), 11000).kind, 'changed');
  assert.equal(t.take(ann({ hash: 2 }), 11000).kind, 'new', 'another hash is another announcement');
  assert.equal(t.size, 2);
  assert.equal(t.list()[0]!.firstMs, 1000);
});

test('a deletion removes by origin and hash, or by the o= line; one for an unknown stream is ignored', () => {
  const t = new Announcements();
  t.take(ann(), 0);
  t.take(ann({ hash: 2, origin: '10.0.0.6', sdp: sdp('b', 5004, '- 2 1 IN IP4 10.0.0.6') }), 0);
  const d = t.take(ann({ deletion: true }), 1);
  assert.equal(d.kind === 'deleted' && d.stream.name, 'hall');
  // Another hash but the same o= (version aside): still that session.
  const byO = t.take(ann({ deletion: true, hash: 99, origin: '10.0.0.6', sdp: 'v=0\no=- 2 7 IN IP4 10.0.0.6\n' }), 2);
  assert.equal(byO.kind, 'deleted');
  assert.equal(t.size, 0);
  assert.deepEqual(t.take(ann({ deletion: true }), 3), { kind: 'ignored', reason: 'deletion of an unknown announcement' });
});

test("PulseAudio announces from 0.0.0.0 without source_ip: the origin shown is the o= address then", () => {
  const t = new Announcements();
  const e = t.take(ann({ origin: '0.0.0.0', sdp: sdp('pa', 46000, 'root 1 0 IN IP4 192.168.1.7') }), 0);
  assert.equal(e.kind === 'new' && e.stream.origin, '192.168.1.7');
});

test('timeout: 3× the interval between 15 and 60 s; 60 s until a second announcement shows it', () => {
  assert.equal(timeoutMs({}), 60_000);
  assert.equal(timeoutMs({ intervalMs: 5000 }), 15_000);
  assert.equal(timeoutMs({ intervalMs: 1000 }), 15_000);
  assert.equal(timeoutMs({ intervalMs: 30_000 }), 60_000);
  const t = new Announcements();
  t.take(ann(), 0);
  t.take(ann(), 5000);
  t.take(ann({ hash: 2 }), 5000);
  assert.deepEqual(t.expire(20_000).map((s) => s.key), [], 'the 5 s one at exactly 15 s: still there');
  assert.deepEqual(t.expire(20_001).map((s) => s.key), ['10.0.0.5/1']);
  assert.deepEqual(t.expire(65_001).map((s) => s.key), ['10.0.0.5/2']);
  assert.equal(t.size, 0);
});

test('a flood of 10 000 distinct announcements keeps 256 entries, the newest, and counts the rest as evicted', () => {
  const t = new Announcements();
  for (let i = 0; i < 10_000; i++) t.take(ann({ hash: i & 0xffff, origin: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, sdp: sdp(`s${i}`) }), i);
  assert.equal(t.size, 256);
  assert.equal(t.evicted, 10_000 - 256);
  assert.equal(t.list()[0]!.name, 's9744');
  assert.equal(t.list().at(-1)!.name, 's9999');
  // A refresh moves an entry to the newest end: an active stream survives a flood.
  const small = new Announcements({ max: 2 });
  small.take(ann({ hash: 1 }), 0);
  small.take(ann({ hash: 2 }), 1);
  small.take(ann({ hash: 1 }), 2);
  small.take(ann({ hash: 3 }), 3);
  assert.deepEqual(small.list().map((s) => s.key), ['10.0.0.5/1', '10.0.0.5/3']);
});
