// streamer's RTCP judged by GStreamer (rtpbin), over UDP, RTCP on port + 1 (SPEC §3, §4).
//
// Receiver: a GStreamer sender's RTP goes through a relay that drops every
// 10th packet; its SRs go straight to streamer on P+1 from the port its RTCP
// udpsrc reads (helpers/gst-rtcp.ts). streamer must answer with RR (+ SDES,
// + XR RRTR) about once a second to where the SRs came from (or, with no SR,
// to the RTP source port + 1), and GStreamer's own rb-packetslost must be the
// loss the relay made, with a round trip (rb-round-trip) from streamer's LSR/DLSR.
//
// Sender: streamer sends RTP to P and SR to P+1 from the port it reads reports
// on (logged as `rtcpPort`); a GStreamer receiver sends its RRs there, and
// streamer's stats gain what they say (remoteLost, remoteLossPercent,
// remoteJitterMs, rttMs, reportAgeS); without RRs those stay null.
//
// Each test gathers every mismatch with the contract before failing, so one
// run says all of what streamer did differently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { finalStats, freePort, readJsonLines, requireTool, sleep, streamer, tmpDir, type Running } from '../helpers/cli.js';
import { freePortPair, waitForListen } from '../helpers/interop.js';
import { CLOCK_RATE, describeView, dropRelay, gstReceiver, gstSender, rtcpProxy, type GstPeer, type GstRtcpView } from '../helpers/gst-rtcp.js';

const DROP_EVERY = 10;
const REMOTE = ['remoteLost', 'remoteLossPercent', 'remoteJitterMs', 'rttMs', 'reportAgeS'] as const;

/** Mismatches with the contract, collected, then asserted all at once. */
class Findings {
  readonly list: string[] = [];
  check(ok: boolean, what: string): boolean {
    if (!ok) this.list.push(what);
    return ok;
  }
  assertNone(context: () => string): void {
    assert.deepEqual(this.list, [], `${this.list.length} mismatch(es) with the contract:\n- ${this.list.join('\n- ')}\n\n${context()}`);
  }
}

/** JSON lines of a file still being written: a line cut in the middle is skipped. */
function jsonLinesSoFar(file: string): Record<string, unknown>[] {
  if (!existsSync(file)) return [];
  const out: Record<string, unknown>[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    try {
      if (line.trim()) out.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // the line being written
    }
  }
  return out;
}

/** The `rtcpPort` streamer logs (the port it reads receiver reports on), or null if none shows up in time. */
async function loggedRtcpPort(log: string, tx: Running, timeoutMs: number): Promise<number | null> {
  const until = Date.now() + timeoutMs;
  let exited = false;
  void tx.exited.then(() => (exited = true));
  for (;;) {
    const hit = jsonLinesSoFar(log).find((l) => typeof l.rtcpPort === 'number');
    if (hit) return hit.rtcpPort as number;
    if (exited || Date.now() > until) return null;
    await sleep(50);
  }
}

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const show = (v: unknown): string => JSON.stringify(v) ?? 'undefined (missing)';

function tail(text: string, n = 2500): string {
  return text.length > n ? `…${text.slice(-n)}` : text;
}

async function startReceiver(dir: string, port: number) {
  const rx = streamer(['receive', '--headless', '--port', String(port), '--sink', 'null', '--stats-json', join(dir, 'rx.jsonl'), '--log-file', join(dir, 'rx.log')], { cwd: dir });
  await rx.waitFor('listening on', 30_000);
  return rx;
}

/** Whether some process listens on UDP `port` within `ms` (streamer's RTCP socket on P+1). */
async function listensOn(port: number, ms: number): Promise<boolean> {
  try {
    await waitForListen('udp', port, ms);
    return true;
  } catch {
    return false;
  }
}

/** GStreamer's view of streamer's reports, checked against what the relay did. */
function judgeReports(f: Findings, v: GstRtcpView, dropped: number | null, seconds: number) {
  f.check(v.got.invalid === 0, `GStreamer rejected ${v.got.invalid} RTCP packet(s) from streamer as invalid (gst_rtcp_buffer_validate_reduced)`);
  if (!f.check(v.got.rr >= 1, 'GStreamer got no RR from streamer at the address:port its SRs came from')) return;
  const span = v.rrs.at(-1)!.atS - v.rrs[0]!.atS;
  f.check(v.rrs.length >= Math.floor(seconds / 2), `only ${v.rrs.length} RR(s) in about ${seconds} s of stream (about one a second expected)`);
  if (v.rrs.length >= 3) f.check(span / (v.rrs.length - 1) <= 2.5, `RRs every ${(span / (v.rrs.length - 1)).toFixed(2)} s on average (about 1 s expected)`);
  f.check(v.got.sdes >= 1, 'no SDES from streamer alongside its RRs');
  f.check(v.ownSsrc === null || v.blocksAbout.includes(v.ownSsrc), `streamer's report blocks are about SSRC(s) ${[...new Set(v.blocksAbout)].map((s) => s.toString(16)).join(',') || 'none'}, not GStreamer's ${v.ownSsrc?.toString(16)}`);
  f.check(v.received.length >= 1, 'GStreamer stored no report block from streamer (none about its SSRC, or its source was not active)');
  if (dropped !== null && v.received.length > 0) {
    const last = v.received.at(-1)!;
    f.check(Math.abs(last.packetsLost - dropped) <= 2, `GStreamer's rb-packetslost is ${last.packetsLost}; the relay dropped ${dropped}`);
    const peak = Math.max(...v.received.map((b) => b.fractionLost));
    f.check(peak >= 15 && peak <= 40, `rb-fractionlost peaks at ${peak}/256 while 1 in ${DROP_EVERY} packets was dropped (≈ 26 expected)`);
  }
  return v;
}

test('streamer receive answers GStreamer’s SRs: rb-packetslost is the relay’s loss, rb-round-trip is there, stats agree', async (t) => {
  if (!requireTool(t, 'gst-launch-1.0')) return;
  const dir = tmpDir();
  const port = await freePortPair();
  const reportPort = await freePort();
  const rx = await startReceiver(dir, port);
  const f = new Findings();
  f.check(await listensOn(port + 1, 5000), `streamer receive does not listen on UDP ${port + 1} (RTP port + 1) for RTCP`);
  const relay = await dropRelay({ to: port, dropEvery: DROP_EVERY, port: await freePortPair(), watchNextPort: true });
  t.after(() => relay.close());
  const gst: GstPeer = gstSender({ cwd: dir, rtpPort: relay.port, rtcpPort: port + 1, reportPort });
  let v: GstRtcpView;
  try {
    // About 5 s of stream, then the link goes quiet at a packet boundary: the next RR is about exactly what went through.
    for (let i = 0; i < 150 && relay.forwarded < 500; i++) await sleep(100);
    relay.hold();
    const last = relay.lastSeq;
    assert.ok(relay.forwarded >= 500 && last !== null, `GStreamer sent ${relay.forwarded} packets through the relay: ${tail(gst.stderr())}`);
    v = await gst.waitFor((v) => v.received.some((b) => (b.extHighestSeq & 0xffff) === last), 4000);
    f.check(
      v.received.some((b) => (b.extHighestSeq & 0xffff) === last),
      `no report block from streamer reached seq ${last} (the last packet through) within 4 s of it; last rb-exthighestseq ${v.received.at(-1)?.extHighestSeq}`,
    );
  } finally {
    await gst.stop();
  }
  const rxDone = await rx.stop();
  await relay.close();

  judgeReports(f, v, relay.dropped, 5);
  const rtt = v.received.filter((b) => b.lsr !== 0);
  if (f.check(rtt.length >= 1, 'no report block from streamer carries an LSR (the SR GStreamer sent was not echoed)')) {
    f.check(rtt.some((b) => (b.roundTrip ?? 0) > 0), `GStreamer computed no rb-round-trip from streamer's LSR/DLSR (all 0: LSR+DLSR ahead of its clock): ${rtt.map((b) => `LSR ${b.lsr.toString(16)} DLSR ${b.dlsr}`).join('; ')}`);
    f.check(rtt.every((b) => (b.roundTripMs ?? 0) < 250), `rb-round-trip on loopback up to ${Math.max(...rtt.map((b) => b.roundTripMs ?? 0)).toFixed(1)} ms (DLSR understated?)`);
  }
  f.check(v.got.xr >= 1, 'no XR from streamer (RRTR expected with its RRs)');
  const strays = relay.strays.filter((s) => s.to === 'port+1').length;
  f.check(strays === 0 || v.got.rr > 0, `streamer sent ${strays} datagram(s) to the RTP source port + 1 although SRs came from 127.0.0.1:${reportPort}`);

  f.check(rxDone.code === 0, `streamer receive exited ${rxDone.code} (signal ${rxDone.signal}) on SIGTERM`);
  const s = finalStats(join(dir, 'rx.jsonl'));
  f.check(Math.abs(s.lost! - relay.dropped) <= 2, `streamer's final lost is ${s.lost}; the relay dropped ${relay.dropped}`);
  f.check(s.malformed === 0, `streamer counted ${s.malformed} malformed (GStreamer's SRs on P+1 are not malformed)`);
  f.check(Math.abs(s.received! - relay.forwarded) <= 2, `streamer received ${s.received}; the relay forwarded ${relay.forwarded}`);
  // GStreamer 1.22 sends no XR (no DLRR), so a receiver-side RTT would have come from nowhere.
  f.check(s.rttMs === null || s.rttMs === undefined, `streamer's receiver shows rttMs ${s.rttMs} though GStreamer sent no XR DLRR`);
  t.diagnostic(`relay dropped ${relay.dropped} of ${relay.dropped + relay.forwarded}; streamer lost ${s.lost}; GStreamer: ${describeView(v)}`);
  f.assertNone(() => `GStreamer: ${describeView(v)}\nrelay: dropped ${relay.dropped}, forwarded ${relay.forwarded}, strays ${JSON.stringify(relay.strays.slice(0, 5))}\nstreamer final: ${JSON.stringify(s)}\nstreamer stderr: ${tail(rx.stderr())}`);
});

test('streamer receive’s reports on the wire: RR first, SDES CNAME, XR RRTR, about once a second, to where the SR came from', async (t) => {
  if (!requireTool(t, 'gst-launch-1.0')) return;
  const dir = tmpDir();
  const port = await freePortPair();
  const reportPort = await freePort();
  const rx = await startReceiver(dir, port);
  // GStreamer's SRs reach streamer from the proxy's port; what streamer sends back there is recorded, then handed on to GStreamer.
  const proxy = await rtcpProxy({ to: port + 1 });
  t.after(() => proxy.close());
  const gst = gstSender({ cwd: dir, rtpPort: port, rtcpPort: proxy.port, reportPort });
  let v: GstRtcpView;
  try {
    v = await gst.waitFor((v) => v.got.rr >= 5, 8000);
  } finally {
    await gst.stop();
  }
  await rx.stop();
  await proxy.close();
  const f = new Findings();
  f.check(proxy.forth >= 2, `GStreamer sent only ${proxy.forth} SR(s) through the proxy`);
  const reports = proxy.back;
  if (f.check(reports.length >= 3, `streamer sent ${reports.length} RTCP datagram(s) to where the SRs came from in ~6 s`)) {
    for (const [i, r] of reports.entries()) {
      if (!f.check(r.walk.ok, `datagram ${i} is not valid compound RTCP: ${r.walk.ok ? '' : r.walk.why}`) || !r.walk.ok) continue;
      const pts = r.walk.packets.map((p) => p.pt);
      if (pts.includes(203)) continue; // BYE at the stop
      f.check(pts[0] === 201, `datagram ${i} starts with PT ${pts[0]}, not RR (201): [${pts.join(',')}]`);
      const sdes = r.walk.packets.find((p) => p.pt === 202);
      f.check(!!sdes?.cname, `datagram ${i} has no SDES CNAME: [${pts.join(',')}]`);
      const rr = r.walk.packets[0]!;
      // The first report may go out before any RTP arrived (no block yet); after that, one block about the one sender.
      f.check(rr.pt !== 201 || rr.count === 1 || (i === 0 && rr.count === 0), `datagram ${i}: RR with ${rr.count} report blocks (1 sender, 1 expected)`);
    }
    const ok = reports.filter((r) => r.walk.ok && !r.walk.packets.some((p) => p.pt === 203));
    const rrtr = ok.filter((r) => r.walk.ok && r.walk.packets.some((p) => p.pt === 207 && p.xrBlocks?.includes(4)));
    f.check(rrtr.length >= 1, `none of streamer's ${ok.length} reports carries an XR RRTR block`);
    const regular = reports.filter((r) => r.walk.ok && !r.walk.packets.some((p) => p.pt === 203));
    if (regular.length >= 3) {
      const gaps = regular.slice(1).map((r, i) => r.atMs - regular[i]!.atMs);
      const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
      f.check(mean >= 400 && mean <= 2500, `reports every ${Math.round(mean)} ms on average (about 1000 expected): ${gaps.join(', ')}`);
    }
  }
  f.check(v.got.rr >= 3 && v.got.invalid === 0, `GStreamer, through the proxy: ${describeView(v)}`);
  t.diagnostic(`streamer's reports: ${reports.map((r) => (r.walk.ok ? r.walk.packets.map((p) => p.pt + (p.xrBlocks ? `[${p.xrBlocks}]` : '')).join('+') : r.walk.why)).join(' ')}`);
  f.assertNone(() => `streamer's datagrams: ${JSON.stringify(reports.slice(0, 6))}\nGStreamer: ${describeView(v)}\nstreamer stderr: ${tail(rx.stderr())}`);
});

test('streamer receive with no SR yet reports to the RTP source port + 1', async (t) => {
  if (!requireTool(t, 'gst-launch-1.0')) return;
  const dir = tmpDir();
  const port = await freePortPair();
  const rtpFrom = await freePortPair();
  const rx = await startReceiver(dir, port);
  // GStreamer sends RTP from rtpFrom and no RTCP at all; it reads reports on rtpFrom + 1.
  const gst = gstSender({ cwd: dir, rtpPort: port, rtcpPort: null, reportPort: rtpFrom + 1, rtpBindPort: rtpFrom });
  let v: GstRtcpView;
  try {
    v = await gst.waitFor((v) => v.received.length >= 3, 8000);
  } finally {
    await gst.stop();
  }
  await rx.stop();
  const f = new Findings();
  f.check(v.got.rr >= 2, `GStreamer got ${v.got.rr} RR(s) on ${rtpFrom + 1}, the RTP source port + 1, where streamer must report when no SR came`);
  f.check(v.got.invalid === 0, `GStreamer rejected ${v.got.invalid} RTCP packet(s) from streamer as invalid`);
  const last = v.received.at(-1);
  if (f.check(!!last, 'GStreamer stored no report block from streamer') && last) {
    f.check(Math.abs(last.packetsLost) <= 1, `rb-packetslost ${last.packetsLost} on a lossless loopback`);
    f.check(last.lsr === 0 && last.dlsr === 0, `LSR ${last.lsr.toString(16)} / DLSR ${last.dlsr} with no SR ever sent (0 expected)`);
  }
  t.diagnostic(`GStreamer on the RTP source port + 1: ${describeView(v)}`);
  f.assertNone(() => `GStreamer: ${describeView(v)}\nstreamer stderr: ${tail(rx.stderr())}`);
});

/** streamer send → GStreamer receive; GStreamer's RRs (when `reports`) go through a forwarder to the logged rtcpPort. */
async function sendToGst(reports: boolean, seconds: number) {
  const dir = tmpDir();
  const port = await freePortPair();
  // GStreamer's RR destination is fixed at launch, streamer's port is known only from its log: a forwarder joins them.
  const fwd = await dropRelay({ to: null, dropEvery: 0 });
  const gst = gstReceiver({ cwd: dir, port, reportTo: reports ? { port: fwd.port } : null });
  await waitForListen('udp', port);
  await waitForListen('udp', port + 1);
  const stats = join(dir, 'tx.jsonl');
  const log = join(dir, 'tx.log');
  const tx = streamer(['send', '--headless', '--source', 'tone', '--host', '127.0.0.1', '--port', String(port), '--sim-loss', '10', '--duration', String(seconds), '--stats-json', stats, '--log-file', log], { cwd: dir });
  const rtcpPort = await loggedRtcpPort(log, tx, 10_000);
  if (rtcpPort !== null) fwd.retarget(rtcpPort);
  // --duration ends it; a sender that hangs is killed well after.
  const done = await Promise.race([tx.exited, sleep((seconds + 20) * 1000).then(() => tx.stop('SIGKILL'))]);
  await sleep(300); // a BYE in flight
  await gst.stop();
  await fwd.close();
  const lines = existsSync(stats) ? readJsonLines(stats) : [];
  return { dir, port, gst, tx, done, rtcpPort, fwd, lines, v: gst.view() };
}

function judgeSrs(f: Findings, v: GstRtcpView) {
  f.check(v.got.sr >= 3, `GStreamer got ${v.got.sr} SR(s) from streamer on P+1`);
  f.check(v.got.sdes >= 1, 'no SDES (CNAME) with streamer’s SRs');
  f.check(v.got.invalid === 0, `GStreamer rejected ${v.got.invalid} RTCP packet(s) from streamer as invalid`);
  f.check(v.got.bye >= 1, 'no BYE from streamer at its clean stop (--duration)');
  const srs = v.srs;
  if (srs.length >= 2) {
    f.check(srs.every((s, i) => i === 0 || s.packetCount >= srs[i - 1]!.packetCount), `SR packet counts go backwards: ${srs.map((s) => s.packetCount).join(',')}`);
    const a = srs[0]!;
    const b = srs.at(-1)!;
    // RTP timestamps in the SRs advance like the clock (44100/s), give or take the SRs' own send jitter.
    const rate = (((b.rtpTimestamp - a.rtpTimestamp) >>> 0) / (b.atS - a.atS)) || 0;
    f.check(Math.abs(rate - CLOCK_RATE) < CLOCK_RATE * 0.1, `SR RTP timestamps advance ${Math.round(rate)}/s (44100 expected)`);
  }
}

test('streamer send reads GStreamer’s RRs: remoteLost ≈ simDropped, remoteLossPercent, remoteJitterMs, rttMs, reportAgeS', async (t) => {
  if (!requireTool(t, 'gst-launch-1.0')) return;
  const { done, rtcpPort, fwd, lines, v, tx } = await sendToGst(true, 6);
  const f = new Findings();
  f.check(done.code === 0, `streamer send exited ${done.code} (signal ${done.signal}) after --duration`);
  f.check(rtcpPort !== null, 'no JSON log line with a numeric `rtcpPort` in --log-file');
  f.check(fwd.forwarded >= 3, `GStreamer sent ${fwd.forwarded} RR(s) to streamer's rtcpPort ${rtcpPort}`);
  judgeSrs(f, v);
  const final = lines.at(-1);
  if (!f.check(final?.final === true, 'no final stats line in --stats-json') || !final) return f.assertNone(() => tail(tx.stderr()));
  const sim = final.simDropped as number;
  f.check(num(sim) && sim > 0, `simDropped ${show(sim)} with --sim-loss 10`);
  for (const k of REMOTE) f.check(num(final[k]), `final ${k} is ${show(final[k])}, not a number, with GStreamer sending RRs`);
  const sentLost = new Set(v.sent.map((s) => s.packetsLost));
  if (num(final.remoteLost)) {
    f.check(final.remoteLost > 0, `remoteLost ${final.remoteLost} with --sim-loss 10`);
    f.check(sentLost.has(final.remoteLost), `remoteLost ${final.remoteLost} is none of the cumulative losses GStreamer reported: ${[...sentLost].join(',')}`);
    // The last report read is up to a second or two old: it may miss the latest drops, never count more than were made.
    f.check(final.remoteLost <= sim + 2 && final.remoteLost >= sim * 0.5 - 3, `remoteLost ${final.remoteLost} far from simDropped ${sim}`);
  }
  // GStreamer's own count: its last report (a second or so before the end) saw at most the drops streamer made,
  // and the fraction it saw lost, averaged over its reports, is about the 10 % asked for.
  const gstLost = v.sent.at(-1)?.packetsLost;
  f.check(gstLost !== undefined && gstLost <= sim + 2 && gstLost >= sim * 0.5 - 3, `GStreamer's last report counts ${gstLost} lost; streamer's simDropped is ${sim}`);
  const fr = v.sent.slice(1).map((s) => s.fractionLost);
  const meanPct = fr.length ? (fr.reduce((a, b) => a + b, 0) / fr.length / 256) * 100 : NaN;
  f.check(meanPct >= 5 && meanPct <= 15, `GStreamer saw ${meanPct.toFixed(1)} % lost on average over ${fr.length} reports with --sim-loss 10`);
  const withReport = lines.filter((l) => num(l.remoteLost));
  f.check(withReport.length >= 3, `only ${withReport.length} stats line(s) carry a remoteLost`);
  const fractions = v.sent.map((s) => (s.fractionLost * 100) / 256);
  for (const l of withReport) {
    const p = l.remoteLossPercent;
    if (!f.check(num(p) && p >= 0 && p <= 100, `remoteLossPercent ${show(p)}`) || !num(p)) break;
    if (!f.check(fractions.some((x) => Math.abs(x - p) <= 0.6), `remoteLossPercent ${p} is none of GStreamer's fractions lost (${fractions.map((x) => x.toFixed(1)).join(',')} %)`)) break;
  }
  f.check(withReport.some((l) => (l.remoteLossPercent as number) > 0), 'remoteLossPercent never above 0 with 10 % loss');
  const jitters = v.sent.map((s) => (s.jitter * 1000) / CLOCK_RATE);
  if (num(final.remoteJitterMs)) {
    f.check(final.remoteJitterMs >= 0, `remoteJitterMs ${final.remoteJitterMs}`);
    f.check(jitters.some((j) => Math.abs(j - (final.remoteJitterMs as number)) <= 0.5), `remoteJitterMs ${final.remoteJitterMs} is none of GStreamer's jitters (${jitters.map((j) => j.toFixed(2)).join(',')} ms = rb jitter / 44.1)`);
  }
  if (num(final.rttMs)) f.check(final.rttMs >= 0 && final.rttMs < 250, `rttMs ${final.rttMs} on loopback`);
  if (num(final.reportAgeS)) f.check(final.reportAgeS >= 0 && final.reportAgeS < 3, `reportAgeS ${final.reportAgeS} at the end (GStreamer reports every second)`);
  const first = lines[0];
  if (first && !num(first.remoteLost)) for (const k of REMOTE) f.check(first[k] === null, `first stats line ${k} is ${show(first[k])} before any report (null expected)`);
  t.diagnostic(`final: ${JSON.stringify(Object.fromEntries(['sent', 'simDropped', ...REMOTE].map((k) => [k, final[k]])))}; GStreamer: ${describeView(v)}`);
  f.assertNone(() => `GStreamer: ${describeView(v)}\nstats lines: ${lines.map((l) => JSON.stringify(Object.fromEntries(['uptimeS', 'sent', 'simDropped', ...REMOTE].map((k) => [k, l[k]])))).join('\n')}\nstreamer stderr: ${tail(tx.stderr())}`);
});

test('streamer send to a GStreamer that sends no RTCP: the remote fields stay null', async (t) => {
  if (!requireTool(t, 'gst-launch-1.0')) return;
  const { done, lines, v, tx, rtcpPort } = await sendToGst(false, 4);
  const f = new Findings();
  f.check(done.code === 0, `streamer send exited ${done.code} (signal ${done.signal}) after --duration`);
  f.check(rtcpPort !== null, 'no JSON log line with a numeric `rtcpPort` in --log-file');
  judgeSrs(f, v);
  f.check(lines.length >= 3 && lines.at(-1)?.final === true, `${lines.length} stats lines, final ${lines.at(-1)?.final}`);
  for (const [i, l] of lines.entries()) for (const k of REMOTE) f.check(l[k] === null, `stats line ${i}${l.final ? ' (final)' : ''}: ${k} is ${show(l[k])}, null expected with no receiver reports`);
  f.assertNone(() => `GStreamer: ${describeView(v)}\nstreamer stderr: ${tail(tx.stderr())}`);
});
