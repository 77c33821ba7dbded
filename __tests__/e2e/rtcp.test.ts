// RTCP end to end with the real CLI: streamer ↔ streamer over UDP (port + 1
// and --rtcp-mux) and TCP, a hand-built peer that checks where the reports go
// and what they say, a peer without RTCP, and hostile RTCP at both ends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { join } from 'node:path';
import { once } from 'node:events';
import { finalStats, freePort, readJsonLines, sleep, streamer, tmpDir } from '../helpers/cli.js';
import { ntpMiddle, parseRtcp, type RtcpPacket } from '../../src/net/rtcp/rtcp.js';
import { serializeRtcp } from '../../src/net/rtcp/rtcp-serialize.js';
import { frame, split } from '../../src/net/transport/rfc4571.js';

const SSRC = 0x51e0a001;

/** One 10 ms packet of a 44.1 kHz mono L16 stream (PT 11), quiet noise. */
function rtpPacket(seq: number, ssrc = SSRC): Buffer {
  const b = Buffer.alloc(12 + 882);
  b[0] = 0x80;
  b[1] = 11 | (seq === 0 ? 0x80 : 0);
  b.writeUInt16BE(seq & 0xffff, 2);
  b.writeUInt32BE((seq * 441) >>> 0, 4);
  b.writeUInt32BE(ssrc, 8);
  for (let i = 12; i < b.length; i += 2) b.writeInt16BE(((seq * 7 + i) % 200) - 100, i);
  return b;
}

const NTP = { msw: 0xe1000000, lsw: 0x40000000 };
const sr = (packetCount: number): Buffer =>
  serializeRtcp([
    { type: 'sr', ssrc: SSRC, ntp: NTP, rtpTimestamp: packetCount * 441, packetCount, octetCount: packetCount * 882, reports: [] },
    { type: 'sdes', chunks: [{ ssrc: SSRC, cname: 'test-peer' }] },
  ]);

function rrBlocks(buf: Buffer): { rr: Extract<RtcpPacket, { type: 'rr' }>; all: RtcpPacket[] } | undefined {
  const r = parseRtcp(buf);
  if (!r.ok || r.packets[0]?.type !== 'rr') return undefined;
  return { rr: r.packets[0], all: r.packets };
}

async function pair(opts: { tx?: string[]; rx?: string[]; protocol?: 'udp' | 'tcp'; seconds?: number }) {
  const dir = tmpDir();
  const port = await freePort();
  const common = ['--headless', '--protocol', opts.protocol ?? 'udp', '--port', String(port)];
  const rx = streamer(['receive', ...common, '--sink', 'null', '--stats-json', join(dir, 'rx.jsonl'), '--log-file', join(dir, 'rx.log'), ...(opts.rx ?? [])], { cwd: dir });
  await rx.waitFor('listening on', 30_000);
  const tx = streamer(['send', ...common, '--source', 'tone', '--duration', String(opts.seconds ?? 4), '--stats-json', join(dir, 'tx.jsonl'), '--log-file', join(dir, 'tx.log'), ...(opts.tx ?? [])], { cwd: dir });
  assert.equal((await tx.exited).code, 0, tx.stderr());
  await sleep(500);
  assert.equal((await rx.stop()).code, 0, rx.stderr());
  return { dir, txLines: readJsonLines(join(dir, 'tx.jsonl')), sent: finalStats(join(dir, 'tx.jsonl')), got: finalStats(join(dir, 'rx.jsonl')), rxLog: rx.stderr() };
}

for (const variant of [
  { name: 'UDP, RTCP on port + 1', protocol: 'udp' as const, flags: [] },
  { name: 'UDP --rtcp-mux', protocol: 'udp' as const, flags: ['--rtcp-mux'] },
  { name: 'TCP, RTCP in the RFC 4571 stream', protocol: 'tcp' as const, flags: [] },
]) {
  test(`streamer → streamer (${variant.name}): the sender sees the receiver's loss and the round trip, the receiver the round trip (XR)`, async () => {
    const loss = variant.protocol === 'tcp' ? [] : ['--sim-loss', '10'];
    const r = await pair({ protocol: variant.protocol, tx: [...loss, ...variant.flags], rx: variant.flags });
    // The last report left up to 1.5 s before the end: it tells the loss up to then.
    const dropped = r.sent.simDropped!;
    assert.ok(Math.abs(r.got.lost! - dropped) <= 2, `lost ${r.got.lost}, dropped on purpose ${dropped}`);
    assert.ok(r.sent.remoteLost! <= dropped && r.sent.remoteLost! >= dropped * 0.4 - 3, `remoteLost ${r.sent.remoteLost} of ${dropped} dropped`);
    if (dropped > 0) assert.ok(r.sent.remoteLossPercent! > 0 && r.sent.remoteLossPercent! < 40, `remoteLossPercent ${r.sent.remoteLossPercent}`);
    assert.equal(typeof r.sent.remoteJitterMs, 'number');
    assert.ok(r.sent.rttMs! >= 0 && r.sent.rttMs! < 250, `sender rttMs ${r.sent.rttMs}`);
    assert.ok(r.sent.reportAgeS! >= 0 && r.sent.reportAgeS! < 2, `reportAgeS ${r.sent.reportAgeS}`);
    assert.equal(r.sent.malformed, 0);
    assert.ok(r.got.rttMs! >= 0 && r.got.rttMs! < 250, `receiver rttMs ${r.got.rttMs}`);
    assert.equal(r.got.malformed, 0);
    assert.ok(r.got.missedBeforeFirst! <= 2, `missedBeforeFirst ${r.got.missedBeforeFirst}`);
    // The SR counts what the sender made, the last few of which --sim-loss may have dropped past our highest sequence number.
    assert.ok(r.got.senderSent! >= r.got.expected! - 2 && r.got.senderSent! <= r.got.expected! + dropped, `senderSent ${r.got.senderSent}, expected ${r.got.expected}`);
    // Before the first report the figures are null, not zero.
    assert.equal(r.txLines[0]!.reportAgeS === null || typeof r.txLines[0]!.reportAgeS === 'number', true);
    assert.match(r.rxLog, /said goodbye \(RTCP BYE\)/);
  });
}

test('a receiver without RTCP (a plain socket): the sender figures stay null', async () => {
  const dir = tmpDir();
  const port = await freePort();
  const sock = dgram.createSocket('udp4');
  sock.bind(port, '127.0.0.1');
  await once(sock, 'listening');
  let rtp = 0;
  sock.on('message', () => rtp++);
  const tx = streamer(['send', '--headless', '--port', String(port), '--source', 'tone', '--duration', '3', '--stats-json', join(dir, 'tx.jsonl'), '--log-file', join(dir, 'tx.log')], { cwd: dir });
  assert.equal((await tx.exited).code, 0, tx.stderr());
  sock.close();
  const s = finalStats(join(dir, 'tx.jsonl'));
  assert.ok(rtp > 250);
  for (const k of ['remoteLost', 'remoteLossPercent', 'remoteJitterMs', 'rttMs', 'reportAgeS']) assert.equal(s[k], null, k);
});

/** A hand-built sender: RTP from one socket, SRs from `rtcpFrom` (another socket, or the same with mux). */
async function handBuilt(opts: { mux: boolean; sendSr: boolean }) {
  const dir = tmpDir();
  const port = await freePort();
  const rtpSock = dgram.createSocket('udp4');
  rtpSock.bind(0, '127.0.0.1');
  await once(rtpSock, 'listening');
  // The port the receiver falls back to: the RTP source port + 1 (when it is free).
  const fallback = dgram.createSocket('udp4');
  const fallbackPort = rtpSock.address().port + 1;
  const fallbackBound = await new Promise<boolean>((resolve) => {
    fallback.once('error', () => resolve(false));
    fallback.bind(fallbackPort, '127.0.0.1', () => resolve(true));
  });
  const srSock = dgram.createSocket('udp4');
  srSock.bind(0, '127.0.0.1');
  await once(srSock, 'listening');
  const heard = { rtp: [] as Buffer[], fallback: [] as Buffer[], sr: [] as Buffer[] };
  rtpSock.on('message', (m) => heard.rtp.push(m));
  fallback.on('message', (m) => heard.fallback.push(m));
  srSock.on('message', (m) => heard.sr.push(m));
  const rx = streamer(['receive', '--headless', '--port', String(port), '--sink', 'null', '--stats-json', join(dir, 'rx.jsonl'), '--log-file', join(dir, 'rx.log'), ...(opts.mux ? ['--rtcp-mux'] : [])], { cwd: dir });
  await rx.waitFor('listening on', 30_000);
  const srAt: number[] = [];
  for (let seq = 0; seq < 300; seq++) {
    // Every 10th is lost: an empty datagram goes in its place (counted as malformed).
    rtpSock.send(seq % 10 === 5 ? Buffer.alloc(0) : rtpPacket(seq), port, '127.0.0.1');
    if (opts.sendSr && seq % 100 === 50) {
      srAt.push(seq);
      if (opts.mux) rtpSock.send(sr(seq + 1), port, '127.0.0.1');
      else srSock.send(sr(seq + 1), port + 1, '127.0.0.1');
    }
    await sleep(10);
  }
  await sleep(1600);
  assert.equal((await rx.stop()).code, 0, rx.stderr());
  for (const s of [rtpSock, fallback, srSock]) s.close();
  return { heard, fallbackBound, got: finalStats(join(dir, 'rx.jsonl')) };
}

test('receiver reports go to where the SR came from, with LSR from it and the loss seen; the stream plays as before', async () => {
  const r = await handBuilt({ mux: false, sendSr: true });
  assert.equal(r.got.malformed, 30, 'the 30 empty datagrams');
  assert.equal(r.got.lost, 30);
  assert.equal(r.got.senderSent, 251);
  assert.equal(r.heard.rtp.length, 0, 'nothing to the RTP port');
  const reports = r.heard.sr.map(rrBlocks).filter((x) => x !== undefined);
  assert.ok(reports.length >= 2, `${reports.length} reports at the SR's socket`);
  const last = reports.at(-1)!;
  const block = last.rr.reports[0]!;
  assert.equal(block.ssrc, SSRC);
  assert.equal(block.lsr, ntpMiddle(NTP));
  assert.ok(block.cumulativeLost >= 25 && block.cumulativeLost <= 30, `cumulative lost ${block.cumulativeLost}`);
  // The fraction is of each interval: while the stream ran, a tenth was lost (the last report, after it, may say 0).
  const fractions = reports.map((x) => x.rr.reports[0]?.fractionLost ?? -1);
  assert.ok(fractions.some((f) => f >= 18 && f <= 32), `fractions ${fractions.join(' ')} of 256 (10 % is 25)`);
  assert.ok(block.highestSeq >= 250 && block.highestSeq <= 299);
  assert.deepEqual(last.all.map((p) => p.type).slice(0, 3), ['rr', 'sdes', 'xr'], 'then BYE in the last one, as the receiver stops');
  const xr = last.all[2]!;
  assert.ok(xr.type === 'xr' && xr.rrtr !== undefined, 'XR RRTR for a sender that can answer with DLRR');
});

test('with no SR heard, reports go to the RTP source port + 1 (LSR 0)', async (t) => {
  const r = await handBuilt({ mux: false, sendSr: false });
  if (!r.fallbackBound) return t.skip('RTP source port + 1 was taken');
  const reports = r.heard.fallback.map(rrBlocks).filter((x) => x !== undefined);
  assert.ok(reports.length >= 2, `${reports.length} reports at port + 1`);
  assert.equal(reports.at(-1)!.rr.reports[0]!.lsr, 0);
  assert.equal(r.got.senderSent, null);
});

test('--rtcp-mux: the receiver tells RTCP from RTP on one port and answers on it', async () => {
  const r = await handBuilt({ mux: true, sendSr: true });
  assert.equal(r.got.malformed, 30);
  assert.equal(r.got.received, 270);
  const reports = r.heard.rtp.map(rrBlocks).filter((x) => x !== undefined);
  assert.ok(reports.length >= 2, `${reports.length} reports back on the RTP port`);
  assert.equal(reports.at(-1)!.rr.reports[0]!.lsr, ntpMiddle(NTP));
  assert.equal(r.heard.fallback.length, 0);
});

test('TCP: RTP and RTCP interleaved in one RFC 4571 stream, reports come back on the connection', async () => {
  const dir = tmpDir();
  const port = await freePort();
  const rx = streamer(['receive', '--headless', '--protocol', 'tcp', '--port', String(port), '--sink', 'null', '--stats-json', join(dir, 'rx.jsonl'), '--log-file', join(dir, 'rx.log')], { cwd: dir });
  await rx.waitFor('listening on', 30_000);
  const c = net.connect(port, '127.0.0.1');
  await once(c, 'connect');
  let rest = Buffer.alloc(0);
  const back: Buffer[] = [];
  c.on('data', (d: Buffer) => {
    const r = split(Buffer.concat([rest, d]), 8);
    back.push(...r.frames.map((f) => Buffer.from(f)));
    rest = Buffer.from(r.rest);
  });
  for (let seq = 0; seq < 250; seq++) {
    // An SR glued to the RTP packet in one write: the framing, not the writes, tells them apart.
    const parts = [frame(rtpPacket(seq))];
    if (seq % 50 === 10) parts.push(frame(sr(seq + 1)));
    c.write(Buffer.concat(parts));
    await sleep(10);
  }
  await sleep(1600);
  c.end();
  await sleep(200);
  assert.equal((await rx.stop()).code, 0, rx.stderr());
  const got = finalStats(join(dir, 'rx.jsonl'));
  assert.equal(got.received, 250);
  assert.equal(got.malformed, 0);
  assert.equal(got.senderSent, 211);
  const reports = back.map(rrBlocks).filter((x) => x !== undefined);
  assert.ok(reports.length >= 2, `${reports.length} reports on the connection (${back.length} frames)`);
  assert.equal(reports.at(-1)!.rr.reports[0]!.lsr, ntpMiddle(NTP));
  assert.equal(reports.at(-1)!.rr.reports[0]!.cumulativeLost, 0);
});

test('hostile RTCP at both ends is counted as malformed and changes nothing that plays', async () => {
  const dir = tmpDir();
  const port = await freePort();
  const common = ['--headless', '--port', String(port)];
  const rx = streamer(['receive', ...common, '--sink', `file:${join(dir, 'out.wav')}`, '--jitter-ms', '100', '--stats-json', join(dir, 'rx.jsonl'), '--log-file', join(dir, 'rx.log')], { cwd: dir });
  await rx.waitFor('listening on', 30_000);
  const tx = streamer(['send', ...common, '--source', 'tone', '--duration', '4', '--stats-json', join(dir, 'tx.jsonl'), '--log-file', join(dir, 'tx.log')], { cwd: dir });
  // The sender's RTCP port, from its log.
  let rtcpPort: number | undefined;
  for (let i = 0; i < 100 && rtcpPort === undefined; i++) {
    await sleep(50);
    try {
      rtcpPort = readJsonLines(join(dir, 'tx.log')).find((l) => typeof l.rtcpPort === 'number')?.rtcpPort as number | undefined;
    } catch {
      // not written yet
    }
  }
  assert.ok(rtcpPort, 'the sender logs the port it takes reports on');
  const rr = serializeRtcp([{ type: 'rr', ssrc: 9, reports: [{ ssrc: 0xbad0bad0, fractionLost: 255, cumulativeLost: 99999, highestSeq: 1, jitter: 1, lsr: 0, dlsr: 0 }] }]);
  const junk: Buffer[] = [
    rr.subarray(0, 20), // truncated
    Buffer.concat([rr, Buffer.alloc(3)]), // a length that does not add up
    Buffer.from([0x81, 201, 0, 40, 1, 2, 3, 4]), // length far past the end
    Buffer.from([0x80, 202, 0, 1, 0, 0, 0, 1]), // SDES first: not a compound packet
    Buffer.from('not rtcp at all'),
  ];
  const s = dgram.createSocket('udp4');
  let toReceiver = 0;
  let toSender = 0;
  await sleep(500);
  for (let round = 0; round < 40; round++) {
    for (const j of junk) {
      s.send(j, port + 1, '127.0.0.1');
      toReceiver++;
      s.send(j, rtcpPort, '127.0.0.1');
      toSender++;
    }
    s.send(rr, rtcpPort, '127.0.0.1'); // a report about a source that is not ours
    toSender++;
    await sleep(20);
  }
  assert.equal((await tx.exited).code, 0, tx.stderr());
  s.close();
  await sleep(500);
  assert.equal((await rx.stop()).code, 0, rx.stderr());
  const sent = finalStats(join(dir, 'tx.jsonl'));
  const got = finalStats(join(dir, 'rx.jsonl'));
  assert.equal(got.malformed, toReceiver);
  assert.equal(sent.malformed, toSender);
  assert.equal(got.received, sent.sent);
  assert.equal(got.lost, 0);
  assert.equal(got.concealedMs, 0);
  assert.ok(sent.remoteLost === 0, `remoteLost ${sent.remoteLost}: the foreign report changed nothing`);
  const warnLines = readJsonLines(join(dir, 'rx.log')).filter((l) => Number(l.level) >= 40).length;
  assert.ok(warnLines <= 6, `${warnLines} warning lines for ${toReceiver} bad packets`);
});
