// The harness of rtcp-gstreamer.test.ts proved on GStreamer alone: its stats
// parse reads what GStreamer logs, its relay drops exactly what it says, and
// the loss it injects between a GStreamer sender and a GStreamer receiver is
// the loss GStreamer's own reports show (rb-packetslost), with a round trip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { freePort, requireTool, sleep, tmpDir } from '../helpers/cli.js';
import { freePortPair, waitForListen } from '../helpers/interop.js';
import { describeView, dropRelay, gstReceiver, gstSender, parseGstRtcp, type GstPeer } from '../helpers/gst-rtcp.js';

// Lines as GStreamer 1.22 wrote them (GST_DEBUG=rtpsession:5,rtpsource:5, no color), a few unrelated ones among them.
const SENDER_LOG = `
0:00:00.350000000  7563 0x55f69d76f2a0 DEBUG             rtpsession rtpsession.c:3817:session_start_rtcp: create SR for SSRC 665c0b38
0:00:00.357600000  7563 0x55f69d76f2a0 DEBUG             rtpsession rtpsession.c:3118:rtp_session_process_rtcp: received RTCP packet
0:00:00.357610000  7563 0x55f69d76f2a0 DEBUG             rtpsession rtpsession.c:2519:rtp_session_process_rr: got RR packet: SSRC 442c425e
0:00:00.357612000  7563 0x55f69d76f2a0 DEBUG             rtpsession rtpsession.c:2429:rtp_session_process_rb: RB 0: SSRC 665c0b38, jitter 14
0:00:01.029353180  7563 0x55f69d76f2a0 DEBUG              rtpsource rtpsource.c:1538:rtp_source_process_rb: got RB packet: SSRC 442c425e, FL 19, PL 12, HS 11161, jitter 14, LSR 69ee:69d8, DLSR 0000:9c81
0:00:01.029360000  7563 0x55f69d76f4c0 DEBUG             rtpsession rtpsession.c:1841:session_update_ptp: doing point-to-point: 1
0:00:01.029363069  7563 0x55f69d76f2a0 DEBUG              rtpsource rtpsource.c:1568:rtp_source_process_rb: NTP 69ef:0821, round trip 0000:01c8
0:00:01.029370000  7563 0x55f69d76f2a0 DEBUG             rtpsession rtpsession.c:2547:rtp_session_process_sdes: got SDES packet with 1 items
0:00:01.029380000  7563 0x55f69d76f2a0 DEBUG             rtpsession rtpsession.c:3216:rtp_session_process_rtcp: got RTCP XR packet, but ignored
0:00:01.500000000  7563 0x55f69d76f2a0 DEBUG             rtpsession rtpsession.c:3290:rtp_session_process_rtcp: invalid RTCP packet received
0:00:01.590000000  7563 0x55f69d76f4c0 DEBUG              rtpsource rtpsource.c:1484:rtp_source_process_sr: got SR packet: SSRC 665c0b38, NTP eeba69ee:69d883ba, RTP 2486729113, PC 30, OC 30720
0:00:01.600000000  7563 0x55f69d76f2a0 DEBUG             rtpsession rtpsession.c:4776:rtp_session_on_timeout: 0x55f69d7703c0, sending RTCP packet, avg size 100, 108
`;
const RECEIVER_LOG = `
0:00:01.400000000  7557 0x55568ee564c0 DEBUG             rtpsession rtpsession.c:3834:session_start_rtcp: create RR for SSRC 442c425e
0:00:01.529001000  7557 0x55568ee564c0 DEBUG              rtpsource rtpsource.c:1720:rtp_source_get_new_rb: add RR for SSRC 665c0b38
0:00:01.529001546  7557 0x55568ee564c0 DEBUG              rtpsource rtpsource.c:1722:rtp_source_get_new_rb: fraction 25, lost 9, extseq 11161, jitter 14
0:00:01.529011906  7557 0x55568ee564c0 DEBUG              rtpsource rtpsource.c:1741:rtp_source_get_new_rb: LSR 69ee:69d8, DLSR 0000:9c81
0:00:01.666404995  7557 0x55568ee562a0 DEBUG             rtpsession rtpsession.c:2469:rtp_session_process_sr: got SR packet: SSRC 665c0b38, time 0:05:08.719843679
0:00:01.666417409  7557 0x55568ee562a0 DEBUG              rtpsource rtpsource.c:1484:rtp_source_process_sr: got SR packet: SSRC 665c0b38, NTP eeba69ef:2b2495e1, RTP 2486762411, PC 95, OC 97644
`;

test('parseGstRtcp reads the numbers GStreamer logs into its rb-* and sent-rb-* stats', () => {
  const tx = parseGstRtcp(SENDER_LOG);
  assert.equal(tx.ownSsrc, 0x665c0b38);
  assert.deepEqual(tx.got, { compound: 1, invalid: 1, sr: 0, rr: 1, sdes: 1, xr: 1, bye: 0, app: 0, unknown: 0 });
  assert.deepEqual(tx.rrs, [{ atS: 0.35761, ssrc: 0x442c425e }]);
  assert.deepEqual(tx.blocksAbout, [0x665c0b38]);
  assert.equal(tx.sentRtcp, 1);
  assert.deepEqual(tx.srs, [], 'its own SR is not one it got');
  assert.equal(tx.received.length, 1);
  const rb = tx.received[0]!;
  assert.equal(rb.atS, 1.02935318);
  assert.equal(rb.ssrc, 0x442c425e);
  assert.equal(rb.fractionLost, 0x19);
  assert.equal(rb.packetsLost, 12);
  assert.equal(rb.extHighestSeq, 11161);
  assert.equal(rb.jitter, 14);
  assert.equal(rb.lsr, 0x69ee69d8);
  assert.equal(rb.dlsr, 0x9c81);
  assert.equal(rb.roundTrip, 0x01c8);
  assert.ok(Math.abs(rb.roundTripMs! - (0x1c8 / 65536) * 1000) < 1e-9);

  const rx = parseGstRtcp(RECEIVER_LOG);
  assert.deepEqual(rx.sent, [{ atS: 1.529001546, about: 0x665c0b38, fractionLost: 25, packetsLost: 9, extHighestSeq: 11161, jitter: 14, lsr: 0x69ee69d8, dlsr: 0x9c81 }]);
  assert.deepEqual(rx.srs, [{ atS: 1.666417409, ssrc: 0x665c0b38, rtpTimestamp: 2486762411, packetCount: 95, octetCount: 97644 }]);
  assert.equal(rx.got.sr, 1);
  assert.deepEqual(parseGstRtcp('').received, []);
});

test('the relay drops exactly every Nth datagram, keeps the rest in order, and notes strays', async () => {
  const sink = dgram.createSocket('udp4');
  await new Promise<void>((r) => sink.bind(0, '127.0.0.1', () => r()));
  const got: number[] = [];
  sink.on('message', (m) => got.push(m.readUInt16BE(2)));
  const relay = await dropRelay({ to: sink.address().port, dropEvery: 10 });
  const src = dgram.createSocket('udp4');
  for (let i = 0; i < 35; i++) {
    const p = Buffer.alloc(12);
    p[0] = 0x80;
    p.writeUInt16BE(1000 + i, 2);
    await new Promise<void>((r) => src.send(p, relay.port, '127.0.0.1', () => r()));
  }
  const other = dgram.createSocket('udp4');
  await new Promise<void>((r) => other.send(Buffer.from('x'), relay.port, '127.0.0.1', () => r()));
  for (let i = 0; i < 50 && (got.length < 32 || relay.strays.length < 1); i++) await sleep(20);
  assert.equal(relay.dropped, 3);
  assert.equal(relay.forwarded, 32);
  assert.deepEqual(got, Array.from({ length: 35 }, (_, i) => 1000 + i).filter((_, i) => (i + 1) % 10 !== 0));
  assert.equal(relay.lastSeq, 1034);
  assert.equal(relay.strays.length, 1);
  relay.hold();
  await new Promise<void>((r) => src.send(Buffer.alloc(12, 0x80), relay.port, '127.0.0.1', () => r()));
  await sleep(100);
  assert.equal(relay.forwarded, 32);
  for (const s of [src, other, sink]) s.close();
  await relay.close();
});

/** GStreamer → relay (drops every 10th RTP packet) → GStreamer; RTCP goes direct both ways. */
async function gstToGst(reports: boolean) {
  const dir = tmpDir();
  const port = await freePortPair();
  const reportPort = await freePort();
  const rx = gstReceiver({ cwd: dir, port, reportTo: reports ? { port: reportPort } : null });
  await waitForListen('udp', port);
  await waitForListen('udp', port + 1);
  const relay = await dropRelay({ to: port, dropEvery: 10 });
  const tx = gstSender({ cwd: dir, rtpPort: relay.port, rtcpPort: port + 1, reportPort });
  return { rx, tx, relay };
}

async function cleanUp(...peers: GstPeer[]) {
  for (const p of peers) await p.stop();
}

test('GStreamer → dropping relay → GStreamer: rb-packetslost is the injected loss, rb-round-trip is there', async (t) => {
  if (!requireTool(t, 'gst-launch-1.0')) return;
  const { rx, tx, relay } = await gstToGst(true);
  try {
    // About 3 s of stream, then the link goes quiet; the next report is about exactly what went through.
    for (let i = 0; i < 100 && relay.forwarded < 300; i++) await sleep(100);
    relay.hold();
    const last = relay.lastSeq!;
    assert.ok(relay.forwarded >= 300, `${relay.forwarded} packets went through`);
    const v = await tx.waitFor((v) => v.received.some((b) => (b.extHighestSeq & 0xffff) === last), 5000);
    const final = v.received.find((b) => (b.extHighestSeq & 0xffff) === last);
    const r = rx.view();
    const ctx = `\nrelay: dropped ${relay.dropped}, forwarded ${relay.forwarded}, last seq ${last}, strays ${JSON.stringify(relay.strays)}\nsender: ${describeView(v)}\nreceiver: ${describeView(r)}`;
    assert.ok(final, `no report up to seq ${last}${ctx}\n${tx.stderr().slice(-2000)}`);
    // GStreamer counts its first packet twice during probation, so it reports one packet less lost (−1 with no loss).
    assert.ok(Math.abs(final.packetsLost - relay.dropped) <= 2, `rb-packetslost ${final.packetsLost}${ctx}`);
    const peak = Math.max(...v.received.map((b) => b.fractionLost));
    assert.ok(peak >= 15 && peak <= 40, `rb-fractionlost peaks at ${peak}/256 for 1 in 10 dropped${ctx}`);
    const rtt = v.received.filter((b) => b.lsr !== 0 && b.roundTripMs !== null);
    assert.ok(rtt.length >= 1, `no rb-round-trip${ctx}`);
    assert.ok(rtt.every((b) => b.roundTripMs! >= 0 && b.roundTripMs! < 250), `round trips ${rtt.map((b) => b.roundTripMs).join(', ')} ms${ctx}`);
    assert.ok(v.got.rr >= 2 && v.got.sdes >= 2 && v.got.invalid === 0, ctx);
    // The receiver's side of the same reports: what it sent is what the sender got.
    assert.ok(r.got.sr >= 2, ctx);
    assert.ok(r.sent.some((s) => s.packetsLost === final.packetsLost && s.extHighestSeq === final.extHighestSeq), ctx);
    assert.equal(relay.strays.length, 0, ctx);
  } finally {
    await cleanUp(tx, rx);
    await relay.close();
  }
});

test('a GStreamer receiver told to send no RTCP sends none: the sender gets SR-only silence', async (t) => {
  if (!requireTool(t, 'gst-launch-1.0')) return;
  const { rx, tx, relay } = await gstToGst(false);
  try {
    const r = await rx.waitFor((v) => v.got.sr >= 3, 8000);
    assert.ok(r.got.sr >= 3, describeView(r));
    // Its stderr may lag what the receiver already got by a line or two.
    const v = await tx.waitFor((v) => v.sentRtcp >= 3, 3000);
    assert.equal(v.got.rr, 0, describeView(v));
    assert.equal(v.received.length, 0, describeView(v));
    assert.ok(v.sentRtcp >= 3, describeView(v));
  } finally {
    await cleanUp(tx, rx);
    await relay.close();
  }
});
