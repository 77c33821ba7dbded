import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSdp, describeStream, parseSdp, playCommands } from '../../src/net/sdp.js';

const KEY = Buffer.from('WbTBosdVUZqEb6Htqhn+m3z7wUh4RJVR8nE15GbN', 'base64');

test('a 44.1 kHz mono UDP stream is static PT 11', () => {
  const sdp = buildSdp(describeStream({ host: '127.0.0.1', port: 5004, protocol: 'udp', format: { rate: 44100, channels: 1 }, frameMs: 10 }));
  assert.equal(
    sdp,
    [
      'v=0',
      'o=- 0 1 IN IP4 127.0.0.1',
      's=streamer',
      'c=IN IP4 127.0.0.1',
      't=0 0',
      'm=audio 5004 RTP/AVP 11',
      'a=rtpmap:11 L16/44100/1',
      'a=ptime:10',
      'a=rtcp:5005',
      'a=recvonly',
      '',
    ].join('\r\n'),
  );
});

test('RTCP: a=rtcp-mux with --rtcp-mux, nothing over TCP (the connection carries it), and --sdp reads both', () => {
  const base = { host: '127.0.0.1', port: 5004, format: { rate: 44100, channels: 1 } } as const;
  const mux = buildSdp(describeStream({ ...base, protocol: 'udp', rtcpMux: true }));
  assert.match(mux, /\r\na=rtcp-mux\r\n/);
  assert.doesNotMatch(mux, /a=rtcp:/);
  assert.doesNotMatch(buildSdp(describeStream({ ...base, protocol: 'tcp' })), /a=rtcp/);
  const parsed = parseSdp(mux);
  assert.ok(parsed.ok && parsed.value.rtcpMux === true);
  // What another tool may write: RTCP on a port of its own (RFC 3605, with an address).
  const other = parseSdp('v=0\r\nc=IN IP4 127.0.0.1\r\nm=audio 5004 RTP/AVP 11\r\na=rtcp:6001 IN IP4 127.0.0.1\r\n');
  assert.ok(other.ok && other.value.rtcpPort === 6001 && other.value.rtcpMux === undefined);
  const plain = parseSdp(buildSdp(describeStream({ ...base, protocol: 'udp' })));
  assert.ok(plain.ok && plain.value.rtcpPort === 5005);
});

test('48 kHz stereo takes dynamic PT 96', () => {
  const sdp = buildSdp(describeStream({ host: '10.0.0.2', port: 6000, protocol: 'udp', format: { rate: 48000, channels: 2 } }));
  assert.match(sdp, /\r\nm=audio 6000 RTP\/AVP 96\r\na=rtpmap:96 L16\/48000\/2\r\n/);
  assert.doesNotMatch(sdp, /ptime/);
});

test('a key makes the profile RTP/SAVP with an a=crypto line', () => {
  const sdp = buildSdp(describeStream({ host: '127.0.0.1', port: 5004, protocol: 'udp', format: { rate: 44100, channels: 1 }, key: KEY }));
  assert.match(sdp, /\r\nm=audio 5004 RTP\/SAVP 11\r\n/);
  assert.match(sdp, /\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WbTBosdVUZqEb6Htqhn\+m3z7wUh4RJVR8nE15GbN\r\n/);
});

test('TCP is TCP/RTP/AVP with a passive setup at the receiver', () => {
  const sdp = buildSdp(describeStream({ host: '127.0.0.1', port: 5004, protocol: 'tcp', format: { rate: 44100, channels: 2 } }));
  assert.match(sdp, /\r\nm=audio 5004 TCP\/RTP\/AVP 10\r\n/);
  assert.match(sdp, /\r\na=setup:passive\r\na=connection:new\r\n/);
});

test('an IPv6 host is IN IP6', () => {
  const sdp = buildSdp(describeStream({ host: '::1', port: 5004, protocol: 'udp', format: { rate: 44100, channels: 1 } }));
  assert.match(sdp, /\r\nc=IN IP6 ::1\r\n/);
});

test('what buildSdp writes, parseSdp reads back', () => {
  const stream = describeStream({ host: '192.168.1.7', port: 7000, protocol: 'tcp', format: { rate: 16000, channels: 2 }, frameMs: 20, key: KEY });
  const r = parseSdp(buildSdp(stream));
  assert.deepEqual(r, { ok: true, value: stream });
});

test('parses the SDP ffmpeg writes for its own L16 stream', () => {
  // ffmpeg -f lavfi -i sine -ar 48000 -ac 2 -c:a pcm_s16be -f rtp rtp://127.0.0.1:5004 (its "SDP:" printout)
  const ffmpeg = 'v=0\no=- 0 0 IN IP4 127.0.0.1\ns=No Name\nc=IN IP4 127.0.0.1\nt=0 0\na=tool:libavformat 59.27.100\nm=audio 5004 RTP/AVP 97\nb=AS:1536\na=rtpmap:97 L16/48000/2\n';
  const r = parseSdp(ffmpeg);
  assert.ok(r.ok);
  assert.deepEqual(r.value.format, { rate: 48000, channels: 2 });
  assert.equal(r.value.payloadType, 97);
  assert.equal(r.value.port, 5004);
  assert.equal(r.value.key, undefined);
});

test('a static PT without rtpmap carries its own format', () => {
  const r = parseSdp('v=0\r\nc=IN IP4 1.2.3.4\r\nm=audio 5004 RTP/AVP 10\r\n');
  assert.ok(r.ok);
  assert.deepEqual(r.value.format, { rate: 44100, channels: 2 });
});

test('an rtpmap without channels is mono', () => {
  const r = parseSdp('v=0\nm=audio 5004 RTP/AVP 100\na=rtpmap:100 L16/22050\n');
  assert.ok(r.ok);
  assert.deepEqual(r.value.format, { rate: 22050, channels: 1 });
});

test('the first L16 payload type of several is taken', () => {
  const r = parseSdp('v=0\nm=audio 5004 RTP/AVP 0 97 98\na=rtpmap:0 PCMU/8000\na=rtpmap:97 L16/32000/2\na=rtpmap:98 L16/8000/1\n');
  assert.ok(r.ok);
  assert.equal(r.value.payloadType, 97);
});

test('a crypto key with lifetime and MKI suffixes is read', () => {
  const r = parseSdp(`v=0\nm=audio 5004 RTP/SAVP 11\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${KEY.toString('base64')}|2^31|1:1\n`);
  assert.ok(r.ok);
  assert.deepEqual(r.value.key, KEY);
});

test('the supported suite is picked among several crypto lines', () => {
  const r = parseSdp(`v=0\nm=audio 5004 RTP/SAVP 11\na=crypto:1 AES_256_CM_HMAC_SHA1_80 inline:abcd\na=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:${KEY.toString('base64')}\n`);
  assert.ok(r.ok);
  assert.deepEqual(r.value.key, KEY);
});

for (const [name, sdp, pattern] of [
  ['no media', 'v=0\ns=x\n', /no audio stream/],
  ['video only', 'v=0\nm=video 5004 RTP/AVP 96\n', /no audio stream/],
  ['not a codec streamer plays', 'v=0\nm=audio 5004 RTP/AVP 96\na=rtpmap:96 G722/8000/1\n', /G722 is not L16, L24 or Opus/],
  ['Opus at another rate', 'v=0\nm=audio 5004 RTP/AVP 96\na=rtpmap:96 opus/44100/2\n', /opus\/48000\/2/],
  ['PCMU static', 'v=0\nm=audio 5004 RTP/AVP 0\n', /none of the payload types 0/],
  ['rate', 'v=0\nm=audio 5004 RTP/AVP 96\na=rtpmap:96 L16/4000/1\n', /4000 is outside/],
  ['channels', 'v=0\nm=audio 5004 RTP/AVP 96\na=rtpmap:96 L16/48000/6\n', /6 channels/],
  ['transport', 'v=0\nm=audio 5004 UDP/TLS/RTP/SAVPF 96\na=rtpmap:96 L16/48000/2\n', /transport UDP\/TLS/],
  ['suite', 'v=0\nm=audio 5004 RTP/SAVP 11\na=crypto:1 AEAD_AES_256_GCM inline:abcd\n', /AEAD_AES_256_GCM is not supported/],
  ['short key', 'v=0\nm=audio 5004 RTP/SAVP 11\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:abcd\n', /not base64 of 30 bytes/],
  ['SAVP without key', 'v=0\nm=audio 5004 RTP/SAVP 11\n', /no a=crypto line/],
] as const) {
  test(`an unusable SDP is a one-line error: ${name}`, () => {
    const r = parseSdp(sdp);
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.match(r.error, pattern);
      assert.doesNotMatch(r.error, /\n/);
    }
  });
}

test('play commands name the SDP file and the stream caps', () => {
  const c = playCommands(describeStream({ host: '127.0.0.1', port: 5004, protocol: 'udp', format: { rate: 48000, channels: 2 } }), 's.sdp');
  assert.equal(c.ffplay, 'ffplay -protocol_whitelist file,udp,rtp -i s.sdp');
  assert.match(c.gstreamer ?? '', /^gst-launch-1\.0 udpsrc port=5004 caps="application\/x-rtp,media=audio,clock-rate=48000,encoding-name=L16,channels=2,payload=96" ! /);
});

test('the TCP play command de-frames RFC 4571 with rtpstreamdepay', () => {
  const c = playCommands(describeStream({ host: '127.0.0.1', port: 5004, protocol: 'tcp', format: { rate: 44100, channels: 1 } }));
  assert.match(c.gstreamer ?? '', /tcpserversrc host=0\.0\.0\.0 port=5004 ! "application\/x-rtp-stream,.*payload=11" ! rtpstreamdepay ! /);
});

test('no gst-launch line is offered for SRTP (srtpdec needs the SSRC up front)', () => {
  const c = playCommands(describeStream({ host: '127.0.0.1', port: 5004, protocol: 'udp', format: { rate: 44100, channels: 1 }, key: KEY }));
  assert.equal(c.gstreamer, undefined);
  assert.match(c.ffplay, /stream\.sdp/);
});

test('for SAP: LF line endings, our address in o=, the TTL on a multicast c= (and none on a unicast one); parseSdp reads it back', () => {
  const s = describeStream({ host: '239.255.1.2', port: 5004, protocol: 'udp', format: { rate: 48000, channels: 2 }, frameMs: 10 });
  const text = buildSdp(s, { sessionId: 7, sessionName: 'hall\r\nx', origin: '192.168.1.20', ttl: 4, eol: '\n' });
  assert.ok(!text.includes('\r'), 'no CR anywhere (PulseAudio rejects one; a name cannot smuggle one in)');
  assert.match(text, /^v=0\no=- 7 1 IN IP4 192\.168\.1\.20\ns=hall {2}x\nc=IN IP4 239\.255\.1\.2\/4\nt=0 0\nm=audio 5004 RTP\/AVP 96\na=rtpmap:96 L16\/48000\/2\n/);
  const back = parseSdp(text);
  assert.ok(back.ok);
  assert.equal(back.value.host, '239.255.1.2');
  assert.deepEqual(back.value.format, { rate: 48000, channels: 2 });
  const unicast = buildSdp(describeStream({ host: '192.168.1.9', port: 5004, protocol: 'udp', format: { rate: 44100, channels: 1 } }), { ttl: 4 });
  assert.match(unicast, /\r\nc=IN IP4 192\.168\.1\.9\r\n/);
});

test('an Opus stream is opus/48000/2 whatever its channels, with useinbandfec and stereo in a=fmtp (RFC 7587 §7)', () => {
  const mono = buildSdp(describeStream({ host: '127.0.0.1', port: 5004, protocol: 'udp', format: { rate: 48000, channels: 1 }, codec: 'opus', fec: true, frameMs: 20 }));
  assert.match(mono, /^m=audio 5004 RTP\/AVP 111\r$/m);
  assert.match(mono, /^a=rtpmap:111 opus\/48000\/2\r$/m);
  assert.match(mono, /^a=fmtp:111 useinbandfec=1; stereo=0; sprop-stereo=0\r$/m);
  assert.match(mono, /^a=ptime:20\r$/m);
  const stereo = buildSdp(describeStream({ host: '127.0.0.1', port: 5004, protocol: 'udp', format: { rate: 48000, channels: 2 }, codec: 'opus', fec: false }));
  assert.match(stereo, /^a=rtpmap:111 opus\/48000\/2\r$/m);
  assert.match(stereo, /^a=fmtp:111 useinbandfec=0; stereo=1; sprop-stereo=1\r$/m);
});

test("an Opus SDP reads back as Opus at 48 kHz, stereo only when sprop-stereo says so (ffmpeg's own lines)", () => {
  const ff = (fmtp: string) => `v=0\nc=IN IP4 127.0.0.1\nm=audio 5004 RTP/AVP 97\nb=AS:96\na=rtpmap:97 opus/48000/2\n${fmtp}`;
  const st = parseSdp(ff('a=fmtp:97 sprop-stereo=1\n'));
  assert.ok(st.ok);
  assert.equal(st.value.codec, 'opus');
  assert.equal(st.value.payloadType, 97);
  assert.deepEqual(st.value.format, { rate: 48000, channels: 2 });
  const mono = parseSdp(ff(''));
  assert.ok(mono.ok);
  assert.deepEqual(mono.value.format, { rate: 48000, channels: 1 });
  const ours = parseSdp(buildSdp(describeStream({ host: '127.0.0.1', port: 5004, protocol: 'udp', format: { rate: 48000, channels: 2 }, codec: 'opus', fec: true })));
  assert.ok(ours.ok);
  assert.equal(ours.value.fec, true);
  assert.deepEqual(ours.value.format, { rate: 48000, channels: 2 });
});

test('an L24 stream round-trips through its SDP (the AES67 profile: L24/48000, 1 ms)', () => {
  const sdp = buildSdp(describeStream({ host: '127.0.0.1', port: 5004, protocol: 'udp', format: { rate: 48000, channels: 2 }, codec: 'l24', frameMs: 1 }));
  assert.match(sdp, /^a=rtpmap:96 L24\/48000\/2\r$/m);
  assert.match(sdp, /^a=ptime:1\r$/m);
  const r = parseSdp(sdp);
  assert.ok(r.ok);
  assert.equal(r.value.codec, 'l24');
  assert.equal(r.value.frameMs, 1);
});

test('play commands for Opus and L24 use their GStreamer depayloaders', () => {
  const opus = playCommands(describeStream({ host: '127.0.0.1', port: 5004, protocol: 'udp', format: { rate: 48000, channels: 2 }, codec: 'opus' }));
  assert.match(opus.gstreamer!, /encoding-name=OPUS,payload=111.*rtpopusdepay ! opusdec/);
  const l24 = playCommands(describeStream({ host: '127.0.0.1', port: 5004, protocol: 'udp', format: { rate: 48000, channels: 2 }, codec: 'l24' }));
  assert.match(l24.gstreamer!, /encoding-name=L24,channels=2.*rtpL24depay/);
});
