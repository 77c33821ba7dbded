// SRTCP (RFC 3711 §3.4): round trips, forgeries, replays, fixed vectors, and
// ffmpeg on the other end in both directions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRtcp, type RtcpPacket } from '../../../src/net/rtcp/rtcp.js';
import { serializeRtcp } from '../../../src/net/rtcp/rtcp-serialize.js';
import { serializeRtp } from '../../../src/net/rtp/rtp.js';
import { SrtpProtector } from '../../../src/net/srtp/srtp.js';
import { SRTCP_REPLAY_WINDOW, SRTCP_TRAILER_BYTES, SrtcpProtector, SrtcpUnprotector } from '../../../src/net/srtp/srtcp.js';
import { deriveSessionKeys, deriveSrtcpSessionKeys, srtcpAuthTag } from '../../../src/net/srtp/srtp-crypto.js';
import { requireTool, sleep, tmpDir } from '../../helpers/cli.js';
import { captureRtpAndRtcp, freePortPair, tool, waitForListen } from '../../helpers/interop.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const KEY = randomBytes(30);
const SSRC = 0x5eed1234;

function report(ssrc = SSRC, packetCount = 7): Buffer {
  const packets: RtcpPacket[] = [
    { type: 'sr', ssrc, ntp: { msw: 0xe1000000, lsw: 0x80000000 }, rtpTimestamp: 123456, packetCount, octetCount: packetCount * 882, reports: [] },
    { type: 'sdes', chunks: [{ ssrc, cname: 'streamer@test' }] },
  ];
  return serializeRtcp(packets);
}

const indexWord = (wire: Buffer): number => wire.readUInt32BE(wire.length - SRTCP_TRAILER_BYTES);

function unwrap(r: ReturnType<SrtcpUnprotector['unprotect']>): Buffer {
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.packet;
}

test('a compound SR + SDES round-trips: 8 bytes clear, the rest encrypted, E|index and the tag appended', () => {
  const plain = report();
  const wire = new SrtcpProtector(KEY).protect(plain);
  assert.equal(SRTCP_TRAILER_BYTES, 14);
  assert.equal(wire.length, plain.length + SRTCP_TRAILER_BYTES);
  assert.deepEqual(wire.subarray(0, 8), plain.subarray(0, 8), 'header and sender SSRC in the clear');
  assert.notDeepEqual(wire.subarray(8, plain.length), plain.subarray(8), 'sender info and SDES encrypted');
  assert.equal(indexWord(wire), 0x80000000, 'E = 1, index 0');
  const back = unwrap(new SrtcpUnprotector(KEY).unprotect(wire));
  assert.deepEqual(back, plain);
  assert.ok(parseRtcp(back).ok);
});

test('a changed bit anywhere (header, ciphertext, index, tag) is "auth", and does not move the receiver state', () => {
  const wire = new SrtcpProtector(KEY).protect(report());
  const rx = new SrtcpUnprotector(KEY);
  for (let i = 0; i < wire.length; i++) {
    const forged = Buffer.from(wire);
    forged[i] = forged[i]! ^ 0x01;
    assert.deepEqual(rx.unprotect(forged), { ok: false, error: 'auth' }, `byte ${i}`);
  }
  // Forgeries claiming later indexes did not advance the replay window: the real packet still passes.
  assert.deepEqual(unwrap(rx.unprotect(wire)), report());
});

test('a replayed packet is "replay"; late ones inside the window pass once; older than the window is "replay"', () => {
  const tx = new SrtcpProtector(KEY);
  const wire = Array.from({ length: SRTCP_REPLAY_WINDOW + 10 }, (_, n) => tx.protect(report(SSRC, n)));
  const rx = new SrtcpUnprotector(KEY);
  unwrap(rx.unprotect(wire[0]!));
  assert.deepEqual(rx.unprotect(wire[0]!), { ok: false, error: 'replay' });
  unwrap(rx.unprotect(wire[5]!));
  unwrap(rx.unprotect(wire[3]!)); // late, never seen: fine
  assert.deepEqual(rx.unprotect(wire[3]!), { ok: false, error: 'replay' });
  unwrap(rx.unprotect(wire[SRTCP_REPLAY_WINDOW + 9]!));
  assert.deepEqual(rx.unprotect(wire[4]!), { ok: false, error: 'replay' }, 'never seen, but older than the window');
  unwrap(rx.unprotect(wire[10]!)); // exactly window − 1 behind: still inside
});

test('a wrong key is "auth"', () => {
  const wire = new SrtcpProtector(KEY).protect(report());
  assert.deepEqual(new SrtcpUnprotector(randomBytes(30)).unprotect(wire), { ok: false, error: 'auth' });
});

test('SRTCP keys are not SRTP keys (labels 3–5, not 0–2)', () => {
  const rtp = deriveSessionKeys(KEY);
  const rtcp = deriveSrtcpSessionKeys(KEY);
  assert.notDeepEqual(rtcp.cipherKey, rtp.cipherKey);
  assert.notDeepEqual(rtcp.cipherSalt, rtp.cipherSalt);
  assert.notDeepEqual(rtcp.authKey, rtp.authKey);
});

test('truncated: below header + SSRC + index + tag is "short", a cut longer packet fails its tag', () => {
  const wire = new SrtcpProtector(KEY).protect(report());
  const rx = new SrtcpUnprotector(KEY);
  for (let n = 0; n < 8 + SRTCP_TRAILER_BYTES; n++) assert.deepEqual(rx.unprotect(wire.subarray(0, n)), { ok: false, error: 'short' }, `${n} bytes`);
  assert.deepEqual(rx.unprotect(wire.subarray(0, wire.length - 1)), { ok: false, error: 'auth' });
  assert.throws(() => new SrtcpProtector(KEY).protect(Buffer.alloc(7)), /cannot protect/);
});

test('the index counts per sender SSRC from 0, and the replay window is per SSRC', () => {
  const tx = new SrtcpProtector(KEY);
  const a = [tx.protect(report(1)), tx.protect(report(1)), tx.protect(report(1))];
  const b = tx.protect(report(2));
  assert.deepEqual(a.map(indexWord), [0x80000000, 0x80000001, 0x80000002]);
  assert.equal(indexWord(b), 0x80000000, 'a second SSRC starts at 0 too');
  const rx = new SrtcpUnprotector(KEY);
  for (const w of a) unwrap(rx.unprotect(w));
  assert.deepEqual(unwrap(rx.unprotect(b)), report(2), "SSRC 2's index 0 is not a replay of SSRC 1's");
  assert.deepEqual(rx.unprotect(b), { ok: false, error: 'replay' });
});

test('an E = 0 packet (authenticated, not encrypted) is accepted as it is; its E flag is covered by the tag', () => {
  const plain = report();
  const keys = deriveSrtcpSessionKeys(KEY);
  const index = Buffer.alloc(4);
  index.writeUInt32BE(5); // E = 0, index 5
  const authenticated = Buffer.concat([plain, index]);
  const wire = Buffer.concat([authenticated, srtcpAuthTag(keys.authKey, authenticated)]);
  const rx = new SrtcpUnprotector(KEY);
  assert.deepEqual(unwrap(rx.unprotect(wire)), plain);
  const flipped = Buffer.from(wire);
  flipped[plain.length] = flipped[plain.length]! | 0x80; // claim E = 1 without the key
  assert.deepEqual(new SrtcpUnprotector(KEY).unprotect(flipped), { ok: false, error: 'auth' });
});

// ffmpeg's own SRTCP test vector (libavformat/srtp.c, `make fate-srtp`,
// expected output in tests/ref/fate/srtp): an RR with SRTCP index 3.
const FATE_KEY = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn', 'base64');
const FATE_WIRE = hex('81c90007 12345678 8aacdca54cf678a6628f24da6c093fa9287ab57f1f0fc935 80000003 e93bc05c0c069fabc0de');
const FATE_PLAIN = hex('81c90007 12345678 8765432100000000000012340000069ec73069ba000001fd');

test("ffmpeg's FATE SRTCP vector: decrypts to its RR, and our fourth packet (index 3) is the same bytes", () => {
  assert.deepEqual(unwrap(new SrtcpUnprotector(FATE_KEY).unprotect(FATE_WIRE)), FATE_PLAIN);
  const tx = new SrtcpProtector(FATE_KEY);
  for (let i = 0; i < 3; i++) tx.protect(FATE_PLAIN);
  assert.deepEqual(tx.protect(FATE_PLAIN), FATE_WIRE);
});

// Captured from ffmpeg 5.1.9 (Debian 12), the live test below by hand:
//   ffmpeg -re -f lavfi -i sine=frequency=1000:sample_rate=44100 -t 3 -ac 1 -c:a pcm_s16be -f rtp
//     -srtp_out_suite AES_CM_128_HMAC_SHA1_80 -srtp_out_params <CAPTURED_KEY as base64> srtp://127.0.0.1:P
// with a node dgram socket on P + 1; this is the one SRTCP packet it sent (its SR at start, index 0).
// The RTP on P came from SSRC 0x89ada4a1.
const CAPTURED_KEY = hex('0b4a8db0e485a44ad98582d5c1237bf81a85a35f80760395977a6eca5bcb');
const CAPTURED = hex('80c80006 89ada4a1 8020607ee56bd6695a5a68054d482243504ac5e3 80000000 779f57f2aaec0218365f');

test('an SRTCP SR captured from ffmpeg authenticates, decrypts and parses (fixed bytes)', () => {
  const plain = unwrap(new SrtcpUnprotector(CAPTURED_KEY).unprotect(CAPTURED));
  assert.deepEqual(parseRtcp(plain), {
    ok: true,
    packets: [{ type: 'sr', ssrc: 0x89ada4a1, ntp: { msw: 0xeeba6a58, lsw: 0xd26e978d }, rtpTimestamp: 0x2e72f23c, packetCount: 0, octetCount: 0, reports: [] }],
  });
  // Our sender, given the same plain packet and key, puts the same bytes on the wire.
  assert.deepEqual(new SrtcpProtector(CAPTURED_KEY).protect(plain), CAPTURED);
});

test('ffmpeg -srtp_out_params: its SRTCP authenticates and decrypts to an SR about its RTP stream', async (t) => {
  if (!requireTool(t, 'ffmpeg')) return;
  const key = randomBytes(30);
  const port = await freePortPair();
  const capture = await captureRtpAndRtcp(port);
  const { rtpSsrcs, rtcp: got } = capture;
  const ff = tool(
    'ffmpeg',
    ['-hide_banner', '-nostdin', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', 'sine=frequency=1000:sample_rate=44100', '-t', '3', '-ac', '1', '-c:a', 'pcm_s16be',
      '-f', 'rtp', '-srtp_out_suite', 'AES_CM_128_HMAC_SHA1_80', '-srtp_out_params', key.toString('base64'), `srtp://127.0.0.1:${port}`],
    { cwd: tmpDir(), timeoutMs: 30_000 },
  );
  try {
    assert.equal((await ff.exited).code, 0, ff.stderr());
    await sleep(100); // datagrams sent just before the exit
  } finally {
    capture.close();
  }
  assert.ok(got.length > 0, 'ffmpeg sent no RTCP');
  assert.ok(rtpSsrcs.size > 0, 'ffmpeg sent no RTP');
  const rx = new SrtcpUnprotector(key);
  for (const d of got) {
    assert.ok(indexWord(d) & 0x80000000, `E = 1 (encrypted): ${d.toString('hex')}`);
    const r = rx.unprotect(d);
    assert.ok(r.ok, `${d.toString('hex')}: ${JSON.stringify(r)}`);
    const parsed = parseRtcp(r.packet);
    assert.ok(parsed.ok, `${r.packet.toString('hex')}: ${JSON.stringify(parsed)}`);
    const sr = parsed.packets[0];
    assert.ok(sr && sr.type === 'sr', JSON.stringify(parsed.packets));
    assert.ok(rtpSsrcs.has(sr.ssrc), `SR about ${sr.ssrc}, RTP from ${[...rtpSsrcs]}`);
  }
  assert.equal(indexWord(got[0]!) & 0x7fffffff, 0, "ffmpeg's first SRTCP index is 0, as ours");
  assert.deepEqual(new SrtcpUnprotector(randomBytes(30)).unprotect(got[0]!), { ok: false, error: 'auth' });
});

// The other way: ffprobe reads an SDP with a=crypto; we send it our SRTCP SR,
// then SRTP. ffmpeg's RTP demuxer takes the first SR's RTP timestamp as the
// stream's time base when the SR comes before any RTP (rtpdec.c
// rtcp_parse_packet: base_timestamp), and tags packets with a producer
// reference time once it has an SR. So the first packet's pts is
// (first RTP timestamp − SR's RTP timestamp) only if ffmpeg authenticated the
// SR and decrypted its sender info correctly. Its SDP input sends no RRs
// (it opens the RTP URL read-only), so this is what can be observed.
const FIRST_TS = 0x10000000;
const SR_BEFORE = 44100; // the SR's RTP timestamp is 1 s before the first packet's

async function ffprobeGetsOurSr(srtpKey: Buffer, srtcpKey: Buffer): Promise<{ pts: number[]; prft: boolean[]; stderr: string }> {
  const dir = tmpDir();
  const port = await freePortPair();
  writeFileSync(
    join(dir, 's.sdp'),
    ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=srtcp', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${port} RTP/SAVP 11`, 'a=rtpmap:11 L16/44100/1',
      `a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${srtpKey.toString('base64')}`, ''].join('\r\n'),
  );
  const probe = tool(
    'ffprobe',
    ['-hide_banner', '-loglevel', 'warning', '-protocol_whitelist', 'file,udp,rtp', '-show_entries', 'packet=pts:packet_side_data', '-of', 'json',
      '-read_intervals', '%+#5', '-o', 'probe.json', 's.sdp'],
    { cwd: dir, timeoutMs: 30_000 },
  );
  const sock = dgram.createSocket('udp4');
  try {
    await waitForListen('udp', port + 1);
    const send = (b: Buffer, p: number): Promise<void> => new Promise((r, j) => sock.send(b, p, '127.0.0.1', (e) => (e ? j(e) : r())));
    const sr = serializeRtcp([
      { type: 'sr', ssrc: SSRC, ntp: { msw: 0xe1000000, lsw: 0x12345678 }, rtpTimestamp: FIRST_TS - SR_BEFORE, packetCount: 0, octetCount: 0, reports: [] },
      { type: 'sdes', chunks: [{ ssrc: SSRC, cname: 'streamer@test' }] },
    ]);
    // Sent (and on loopback delivered) before any RTP; ffmpeg's rtp_read reads RTCP first when both wait.
    await send(new SrtcpProtector(srtcpKey).protect(sr), port + 1);
    const srtp = new SrtpProtector(srtpKey);
    const payload = Buffer.alloc(882);
    for (let n = 0; n < 500 && probe.child.exitCode === null; n++) {
      await send(srtp.protect(serializeRtp({ marker: n === 0, payloadType: 11, sequenceNumber: n, timestamp: FIRST_TS + n * 441, ssrc: SSRC }, payload)), port);
      await sleep(5);
    }
    assert.equal((await probe.exited).code, 0, probe.stderr());
  } finally {
    sock.close();
    await probe.stop('SIGKILL');
  }
  const out = JSON.parse(readFileSync(join(dir, 'probe.json'), 'utf8')) as { packets: { pts: number; side_data_list?: { side_data_type: string }[] }[] };
  return {
    pts: out.packets.map((p) => p.pts),
    prft: out.packets.map((p) => (p.side_data_list ?? []).some((s) => s.side_data_type === 'Producer Reference Time')),
    stderr: probe.stderr(),
  };
}

test('ffprobe (ffmpeg’s SRTP receiver) accepts our SRTCP: its SR sets the time base and the reference time', async (t) => {
  if (!requireTool(t, 'ffprobe')) return;
  const key = randomBytes(30);
  const r = await ffprobeGetsOurSr(key, key);
  assert.ok(!r.stderr.includes('HMAC mismatch'), r.stderr);
  assert.equal(r.pts[0], SR_BEFORE, `pts ${r.pts.join(',')}`);
  assert.deepEqual(r.pts.slice(0, 3), [SR_BEFORE, SR_BEFORE + 441, SR_BEFORE + 882]);
  assert.ok(r.prft.every(Boolean), 'every packet has a producer reference time from the SR');
});

test('control: the same SR under another key is rejected by ffprobe ("HMAC mismatch") and changes nothing', async (t) => {
  if (!requireTool(t, 'ffprobe')) return;
  const r = await ffprobeGetsOurSr(randomBytes(30), randomBytes(30));
  assert.ok(r.stderr.includes('HMAC mismatch'), r.stderr);
  assert.equal(r.pts[0], 0, `pts ${r.pts.join(',')}`);
  assert.ok(!r.prft.some(Boolean));
});
