import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SenderReports } from '../../../src/net/rtcp/sender-reports.js';
import { ReceiverReports } from '../../../src/net/rtcp/receiver-reports.js';
import { ntpFromUnixMs, NTP_UNIX_OFFSET_S } from '../../../src/net/rtcp/ntp.js';
import { nextRtcpIntervalMs } from '../../../src/net/rtcp/interval.js';
import { ntpMiddle, parseRtcp, type ReportBlock, type RtcpPacket } from '../../../src/net/rtcp/rtcp.js';
import { serializeRtcp } from '../../../src/net/rtcp/rtcp-serialize.js';

const SSRC = 0x5eed0001;
const figures = { packetCount: 100, octetCount: 88200, rtpTimestamp: 4410 };
const rr = (block: Partial<ReportBlock>, from = 0x77): RtcpPacket[] => [
  { type: 'rr', ssrc: from, reports: [{ ssrc: SSRC, fractionLost: 0, cumulativeLost: 0, highestSeq: 0, jitter: 0, lsr: 0, dlsr: 0, ...block }] },
];

test('NTP time: 1970 is 2208988800 s after 1900, the fraction in 1/2^32 s', () => {
  assert.deepEqual(ntpFromUnixMs(0), { msw: NTP_UNIX_OFFSET_S, lsw: 0 });
  assert.deepEqual(ntpFromUnixMs(1500), { msw: NTP_UNIX_OFFSET_S + 1, lsw: 0x80000000 });
});

test('the report interval is randomised over 0.5–1.5 s', () => {
  assert.equal(nextRtcpIntervalMs(() => 0), 500);
  assert.equal(nextRtcpIntervalMs(() => 0.5), 1000);
  assert.ok(Math.abs(nextRtcpIntervalMs(() => 0.999999) - 1499.999) < 1e-6);
  assert.equal(nextRtcpIntervalMs(() => 7), 1500, 'a random source out of range is held to it');
});

test('an SR carries the counts and the RTP time given, with SDES CNAME, and serializes', () => {
  const s = new SenderReports({ ssrc: SSRC, cname: 'me', clockRate: 44100 });
  const ntp = ntpFromUnixMs(1_000_000);
  const packets = s.report(0, ntp, figures);
  assert.deepEqual(packets, [
    { type: 'sr', ssrc: SSRC, ntp, rtpTimestamp: 4410, packetCount: 100, octetCount: 88200, reports: [] },
    { type: 'sdes', chunks: [{ ssrc: SSRC, cname: 'me' }] },
  ]);
  assert.deepEqual(parseRtcp(serializeRtcp(packets)), { ok: true, packets });
  const bye = s.bye(10, ntp, figures);
  assert.deepEqual(bye.at(-1), { type: 'bye', ssrcs: [SSRC] });
});

test('no report yet: every remote figure is null', () => {
  const s = new SenderReports({ ssrc: SSRC, cname: 'me', clockRate: 44100 });
  assert.deepEqual(s.figures(5000), { remoteLost: null, remoteLossPercent: null, remoteJitterMs: null, rttMs: null, reportAgeS: null, remoteReceivers: null });
});

test('RTT from fixed LSR/DLSR: now − when that SR left − the time the receiver held it', () => {
  const s = new SenderReports({ ssrc: SSRC, cname: 'me', clockRate: 44100 });
  const ntp = { msw: 0xe0001234, lsw: 0x56780000 };
  s.report(1000, ntp, figures); // leaves at 1000 ms on our clock
  // The receiver held it 0.5 s (32768/65536), and its RR reached us at 1620 ms: 120 ms there and back.
  assert.equal(s.onRtcp(rr({ lsr: ntpMiddle(ntp), dlsr: 32768, fractionLost: 64, cumulativeLost: 12, jitter: 441 }), 1620), 'ok');
  assert.deepEqual(s.figures(2120), { remoteLost: 12, remoteLossPercent: 25, remoteJitterMs: 10, rttMs: 120, reportAgeS: 0.5, remoteReceivers: 1 });
});

test('an RR before any SR reached the receiver (LSR 0) gives loss but no round trip; an LSR we never sent is not timed', () => {
  const s = new SenderReports({ ssrc: SSRC, cname: 'me', clockRate: 48000 });
  s.onRtcp(rr({ cumulativeLost: 3 }), 100);
  assert.equal(s.figures(100).rttMs, null);
  assert.equal(s.figures(100).remoteLost, 3);
  s.onRtcp(rr({ lsr: 0x12345678, dlsr: 10 }), 200);
  assert.equal(s.figures(200).rttMs, null);
});

test('several receivers (a multicast group): the worst fresh one is shown, with how many report; a silent one drops out after 5 s', () => {
  const s = new SenderReports({ ssrc: SSRC, cname: 'me', clockRate: 44100 });
  const ntp = { msw: 0xe0001234, lsw: 0x56780000 };
  s.report(1000, ntp, figures);
  s.onRtcp(rr({ lsr: ntpMiddle(ntp), dlsr: 0, fractionLost: 0, cumulativeLost: 0, jitter: 44 }, 0xa), 1010);
  s.onRtcp(rr({ lsr: ntpMiddle(ntp), dlsr: 0, fractionLost: 26, cumulativeLost: 7, jitter: 441 }, 0xb), 1030);
  s.onRtcp(rr({ lsr: ntpMiddle(ntp), dlsr: 0, fractionLost: 0, cumulativeLost: 2, jitter: 0 }, 0xc), 1040);
  // The newest report (0xc) is not the worst: 0xb lost 10 % of its last interval.
  assert.deepEqual(s.figures(1100), { remoteLost: 7, remoteLossPercent: 10.16, remoteJitterMs: 10, rttMs: 30, reportAgeS: 0.1, remoteReceivers: 3 });
  // 0xa and 0xc go on reporting; 0xb falls silent and, 5 s on, no longer counts.
  s.onRtcp(rr({ fractionLost: 0, cumulativeLost: 0, jitter: 44 }, 0xa), 6000);
  s.onRtcp(rr({ fractionLost: 0, cumulativeLost: 2, jitter: 0 }, 0xc), 6010);
  const f = s.figures(6100);
  assert.equal(f.remoteReceivers, 2);
  assert.equal(f.remoteLost, 2, 'the worst of the two still reporting: 0xc, 2 lost');
  assert.equal(f.rttMs, 40, "0xc's own round trip, kept from its earlier timed report");
  // Nobody fresh: the last one heard, stale by its age.
  const late = s.figures(20_000);
  assert.equal(late.remoteReceivers, 0);
  assert.equal(late.reportAgeS, 14);
});

test('reports about other sources are told apart ("unknown-ssrc") and change nothing', () => {
  const s = new SenderReports({ ssrc: SSRC, cname: 'me', clockRate: 44100 });
  const foreign: RtcpPacket[] = [{ type: 'rr', ssrc: 9, reports: [{ ssrc: 0xbad, fractionLost: 255, cumulativeLost: 999, highestSeq: 1, jitter: 1, lsr: 0, dlsr: 0 }] }];
  assert.equal(s.onRtcp(foreign, 0), 'unknown-ssrc');
  assert.equal(s.figures(0).remoteLost, null);
  assert.equal(s.onRtcp([{ type: 'rr', ssrc: 9, reports: [] }], 0), 'ok', 'an RR without blocks is a receiver with nothing to say yet');
});

test('a receiver RRTR is answered with DLRR in the next report: LRR its middle bits, DLRR the time we held it', () => {
  const s = new SenderReports({ ssrc: SSRC, cname: 'me', clockRate: 44100 });
  const rrtr = { msw: 0xe0000010, lsw: 0x20000000 };
  s.onRtcp([{ type: 'rr', ssrc: 0x77, reports: [] }, { type: 'xr', ssrc: 0x77, rrtr, dlrr: [] }], 1000);
  const out = s.report(1250, ntpFromUnixMs(0), figures);
  assert.deepEqual(out[2], { type: 'xr', ssrc: SSRC, dlrr: [{ ssrc: 0x77, lrr: ntpMiddle(rrtr), dlrr: 16384 }] });
});

test('the two halves together: the receiver gets the round trip from DLRR, the sender from LSR/DLSR', () => {
  // Both sides on one fake clock; 20 ms each way.
  const sender = new SenderReports({ ssrc: SSRC, cname: 's', clockRate: 44100 });
  const receiver = new ReceiverReports<string>({ ssrc: 0x77, cname: 'r' });
  const wire = (p: RtcpPacket[]): RtcpPacket[] => {
    const r = parseRtcp(serializeRtcp(p));
    assert.ok(r.ok);
    return r.packets;
  };
  const source = { ssrc: SSRC, figures: { expected: 100, received: 95, lost: 5, extendedHighestSeq: 99, jitter: 44 } };
  // t=0 SR leaves; t=20 it arrives; t=520 the RR leaves (held 500 ms); t=540 it arrives.
  receiver.onRtcp(wire(sender.report(0, ntpFromUnixMs(10_000), figures)), 20, 'from-sr', { ssrc: SSRC, expected: 90 });
  const report = receiver.report(520, ntpFromUnixMs(10_520), source);
  assert.ok(sender.onRtcp(wire(report), 540) === 'ok');
  const f = sender.figures(540);
  assert.ok(Math.abs(f.rttMs! - 40) < 0.1, `sender RTT ${f.rttMs}`);
  assert.equal(f.remoteLost, 5);
  assert.equal(f.remoteLossPercent, Math.round((Math.floor((5 * 256) / 100) / 256) * 10000) / 100);
  // The sender answers the RRTR at t=1000 (held 460 ms); it reaches the receiver at t=1020: 40 ms there and back.
  receiver.onRtcp(wire(sender.report(1000, ntpFromUnixMs(11_000), figures)), 1020, 'from-sr', { ssrc: SSRC, expected: 100 });
  const rf = receiver.figures(SSRC);
  assert.ok(Math.abs(rf.rttMs! - 40) < 0.1, `receiver RTT ${rf.rttMs}`);
  assert.equal(rf.senderSent, 100);
  assert.equal(rf.missedBeforeFirst, 0, 'the least over the SRs: 100 sent − 90 expected was packets still in flight');
  assert.equal(receiver.senderAddress(SSRC), 'from-sr');
});

test('the SR packet count shows packets sent before the first one heard', () => {
  const receiver = new ReceiverReports<string>({ ssrc: 1, cname: 'r' });
  const sr = (count: number, ssrc = SSRC): RtcpPacket[] => [{ type: 'sr', ssrc, ntp: ntpFromUnixMs(0), rtpTimestamp: 0, packetCount: count, octetCount: 0, reports: [] }];
  assert.equal(receiver.figures(SSRC).missedBeforeFirst, null);
  receiver.onRtcp(sr(1300), 0, 'x', { ssrc: SSRC, expected: 1000 });
  receiver.onRtcp(sr(1400), 1000, 'x', { ssrc: SSRC, expected: 1100 });
  assert.equal(receiver.figures(SSRC).missedBeforeFirst, 300);
  assert.equal(receiver.figures(SSRC).senderSent, 1400);
  receiver.onRtcp(sr(5, 0xabc), 2000, 'x', { ssrc: 0xabc, expected: 0 });
  assert.equal(receiver.figures(SSRC).senderSent, 1400, 'another source’s SR is kept apart');
});

test('the receiver report carries a block about the stream with LSR/DLSR from its last SR, then SDES and XR RRTR', () => {
  const receiver = new ReceiverReports<string>({ ssrc: 0x77, cname: 'r' });
  const ntp = { msw: 0xe0000100, lsw: 0x40000000 };
  receiver.onRtcp([{ type: 'sr', ssrc: SSRC, ntp, rtpTimestamp: 0, packetCount: 1, octetCount: 0, reports: [] }], 1000, 'x', undefined);
  const out = receiver.report(1250, ntpFromUnixMs(0), { ssrc: SSRC, figures: { expected: 10, received: 10, lost: 0, extendedHighestSeq: 9, jitter: 2 } });
  assert.equal(out[0]!.type, 'rr');
  const block = out[0]!.type === 'rr' ? out[0]!.reports[0]! : undefined;
  assert.deepEqual(block, { ssrc: SSRC, fractionLost: 0, cumulativeLost: 0, highestSeq: 9, jitter: 2, lsr: ntpMiddle(ntp), dlsr: 16384 });
  assert.deepEqual(out[1], { type: 'sdes', chunks: [{ ssrc: 0x77, cname: 'r' }] });
  assert.equal(out[2]!.type, 'xr');
  assert.equal(receiver.report(0, ntpFromUnixMs(0), undefined)[0]!.type === 'rr' && (receiver.report(0, ntpFromUnixMs(0), undefined)[0] as { reports: unknown[] }).reports.length, 0);
});

test('BYE from the locked source is heard; from another, not', () => {
  const receiver = new ReceiverReports<string>({ ssrc: 1, cname: 'r' });
  const bye = (ssrc: number): RtcpPacket[] => [{ type: 'rr', ssrc, reports: [] }, { type: 'bye', ssrcs: [ssrc] }];
  assert.equal(receiver.onRtcp(bye(0xabc), 0, 'x', { ssrc: SSRC, expected: 0 }).bye, false);
  assert.equal(receiver.onRtcp(bye(SSRC), 0, 'x', { ssrc: SSRC, expected: 0 }).bye, true);
});
