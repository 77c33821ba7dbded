import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { isRtcp, ntpMiddle, parseRtcp, rttMs, type RtcpPacket } from '../../../src/net/rtcp/rtcp.js';
import { serializeRtcp } from '../../../src/net/rtcp/rtcp-serialize.js';
import { captureRtpAndRtcp, freePortPair } from '../../helpers/interop.js';
import { requireTool } from '../../helpers/cli.js';

const block = { ssrc: 0x11223344, fractionLost: 64, cumulativeLost: 1000, highestSeq: 0x00012345, jitter: 77, lsr: 0xaabbccdd, dlsr: 0x00010000 };

test('an RR with one report block is these bytes (RFC 3550 §6.4.2)', () => {
  const bytes = serializeRtcp([{ type: 'rr', ssrc: 0xdeadbeef, reports: [block] }]);
  assert.equal(
    bytes.toString('hex'),
    '81c90007' + 'deadbeef' + '11223344' + '40' + '0003e8' + '00012345' + '0000004d' + 'aabbccdd' + '00010000',
  );
  assert.deepEqual(parseRtcp(bytes), { ok: true, packets: [{ type: 'rr', ssrc: 0xdeadbeef, reports: [block] }] });
});

test('a compound SR + SDES CNAME + BYE round-trips, and XR RRTR/DLRR too', () => {
  const packets: RtcpPacket[] = [
    { type: 'sr', ssrc: 7, ntp: { msw: 0xe0000001, lsw: 0x80000000 }, rtpTimestamp: 123456, packetCount: 500, octetCount: 441000, reports: [block] },
    { type: 'sdes', chunks: [{ ssrc: 7, cname: 'streamer@host' }] },
    { type: 'xr', ssrc: 7, rrtr: { msw: 1, lsw: 2 }, dlrr: [{ ssrc: 9, lrr: 3, dlrr: 4 }] },
    { type: 'bye', ssrcs: [7], reason: 'bye now' },
  ];
  const bytes = serializeRtcp(packets);
  assert.equal(bytes.length % 4, 0);
  assert.deepEqual(parseRtcp(bytes), { ok: true, packets });
});

test('an SR captured from ffmpeg 5.1 (-f rtp, before its first packet) parses to its fields', () => {
  const r = parseRtcp(Buffer.from('80c800068e1dcd2beeba39cf48b43958002aa48b0000000000000000', 'hex'));
  assert.deepEqual(r, {
    ok: true,
    packets: [{ type: 'sr', ssrc: 0x8e1dcd2b, ntp: { msw: 0xeeba39cf, lsw: 0x48b43958 }, rtpTimestamp: 0x002aa48b, packetCount: 0, octetCount: 0, reports: [] }],
  });
});

test('a cumulative loss below zero (duplicates) is kept signed on the wire', () => {
  const bytes = serializeRtcp([{ type: 'rr', ssrc: 1, reports: [{ ...block, cumulativeLost: -3 }] }]);
  assert.equal(bytes.subarray(13, 16).toString('hex'), 'fffffd');
  const r = parseRtcp(bytes);
  assert.ok(r.ok && r.packets[0]!.type === 'rr' && r.packets[0]!.reports[0]!.cumulativeLost === -3);
});

test('RTT from LSR and DLSR: arrival − LSR − DLSR, in 1/65536 s', () => {
  // The SR left at 10.0 s (middle bits), the receiver held it 0.5 s, it came back at 10.75 s: 250 ms.
  const s = (x: number): number => Math.round(x * 65536);
  assert.equal(rttMs(s(10.75), s(10), s(0.5)), 250);
  assert.equal(rttMs(s(10.75), 0, s(0.5)), null, 'no SR seen yet');
  assert.equal(rttMs(s(10), s(10), s(0.0001)), 0, 'never negative');
  assert.equal(ntpMiddle({ msw: 0x1234abcd, lsw: 0xef012345 }), 0xabcdef01);
});

test('RTP and RTCP on one port are told apart by the second byte (RFC 5761)', () => {
  assert.equal(isRtcp(serializeRtcp([{ type: 'rr', ssrc: 1, reports: [] }])), true);
  const rtp = Buffer.from('800b0001000001b800000001', 'hex'); // PT 11
  assert.equal(isRtcp(rtp), false);
  assert.equal(isRtcp(Buffer.from('80e0', 'hex')), false, 'too short');
});

test('hostile RTCP is a typed error, never a throw', () => {
  const rr = serializeRtcp([{ type: 'rr', ssrc: 1, reports: [block] }]);
  assert.deepEqual(parseRtcp(Buffer.from([0x81])), { ok: false, error: 'short' });
  assert.deepEqual(parseRtcp(Buffer.from([0x40, 201, 0, 1, 0, 0, 0, 0])), { ok: false, error: 'version' });
  assert.deepEqual(parseRtcp(rr.subarray(0, rr.length - 4)), { ok: false, error: 'length' });
  const lying = Buffer.from(rr);
  lying[0] = 0x82; // says two report blocks, holds one
  assert.deepEqual(parseRtcp(lying), { ok: false, error: 'truncated-block' });
  const sdesFirst = serializeRtcp([{ type: 'rr', ssrc: 1, reports: [] }, { type: 'sdes', chunks: [{ ssrc: 1, cname: 'x' }] }]).subarray(8);
  assert.deepEqual(parseRtcp(sdesFirst), { ok: false, error: 'first-not-report' });
  for (let n = 0; n < 2000; n++) {
    const junk = Buffer.from(Array.from({ length: 4 + (n % 60) }, (_, i) => (n * 31 + i * 17) & 0xff));
    junk[0] = 0x80 | (junk[0]! & 0x3f);
    junk[1] = 200 + (n % 8);
    assert.doesNotThrow(() => parseRtcp(junk));
  }
});

test('ffmpeg’s own RTCP (its SR next to an RTP L16 stream) parses, about the stream’s own SSRC', async (t) => {
  if (!requireTool(t, 'ffmpeg')) return;
  const port = await freePortPair();
  const capture = await captureRtpAndRtcp(port);
  const { rtpSsrcs, rtcp: got } = capture;
  const ff = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=2', '-ar', '44100', '-ac', '1', '-c:a', 'pcm_s16be', '-f', 'rtp', `rtp://127.0.0.1:${port}`], { stdio: 'ignore' });
  try {
    const deadline = Date.now() + 15_000;
    while ((got.length === 0 || rtpSsrcs.size === 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  } finally {
    ff.kill('SIGKILL');
    capture.close();
  }
  assert.ok(got.length > 0, 'ffmpeg sent no RTCP');
  for (const d of got) {
    assert.equal(isRtcp(d), true);
    const r = parseRtcp(d);
    assert.ok(r.ok, `${d.toString('hex')}: ${JSON.stringify(r)}`);
    const sr = r.packets[0];
    assert.ok(sr && sr.type === 'sr', JSON.stringify(r.packets));
    assert.ok(rtpSsrcs.has(sr.ssrc), `SR about ${sr.ssrc}, RTP from ${[...rtpSsrcs]}`);
  }
});
