// The real receiver with a port open to hostile traffic (SPEC §3): it stays
// up, counts every bad datagram, keeps playing the real stream, logs little.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { existsSync, readFileSync, statSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { formatForPayloadType } from '../../src/net/rtp/payload-types.js';
import { deserializeRtp } from '../../src/net/rtp/rtp.js';
import { isRtcp, parseRtcp } from '../../src/net/rtcp/rtcp.js';
import { finalStats, freePort, sleep, streamer, tmpDir } from '../helpers/cli.js';

/** 'rtcp': whole RTCP on the RTP port is RTCP (RFC 5761), read and not counted as a bad packet. */
type Verdict = 'malformed' | 'rejected' | 'rtcp';

const FOREIGN_SSRC = 0xdeadbeef;

function rtp(opts: { b0?: number; pt?: number; ssrc?: number; seq?: number; payload?: number; tail?: number[] } = {}): Buffer {
  const b = Buffer.alloc(12 + (opts.payload ?? 0));
  b[0] = opts.b0 ?? 0x80;
  b[1] = opts.pt ?? 11;
  b.writeUInt16BE(opts.seq ?? 1, 2);
  b.writeUInt32BE(1234, 4);
  b.writeUInt32BE(opts.ssrc ?? FOREIGN_SSRC, 8);
  return Buffer.concat([b, Buffer.from(opts.tail ?? [])]);
}

/** Each kind of bad datagram, with how the receiver must count it. */
const HOSTILE: [string, Buffer, Verdict][] = [
  ...Array.from({ length: 12 }, (_, n): [string, Buffer, Verdict] => [`truncated to ${n} bytes`, rtp({ payload: 4 }).subarray(0, n), 'malformed']),
  ['version 0', rtp({ b0: 0x00, payload: 4 }), 'malformed'],
  ['version 1', rtp({ b0: 0x40, payload: 4 }), 'malformed'],
  ['version 3', rtp({ b0: 0xc0, payload: 4 }), 'malformed'],
  ['15 CSRCs in 20 bytes', rtp({ b0: 0x8f, payload: 8 }), 'malformed'],
  ['extension header past the end', rtp({ b0: 0x90 }), 'malformed'],
  ['extension length past the end', rtp({ b0: 0x90, tail: [0xbe, 0xde, 0x03, 0xe8, 0, 0, 0, 0] }), 'malformed'],
  ['padding count past the end', rtp({ b0: 0xa0, tail: [1, 2, 3, 255] }), 'malformed'],
  ['padding count 0', rtp({ b0: 0xa0, tail: [1, 2, 3, 0] }), 'malformed'],
  ['PT 0 (PCMU)', rtp({ pt: 0, payload: 160 }), 'malformed'],
  ['PT 8 (PCMA)', rtp({ pt: 8, payload: 160 }), 'malformed'],
  ['PT 34', rtp({ pt: 34, payload: 4 }), 'malformed'],
  ['RTCP sender report on the RTP port (RFC 5761: RTCP)', Buffer.from('80c8000600000001' + '00'.repeat(20), 'hex'), 'rtcp'],
  ['a truncated RTCP sender report', Buffer.from('80c8000600000001' + '00'.repeat(12), 'hex'), 'malformed'],
  ['odd payload, PT 11 mono', rtp({ pt: 11, payload: 3 }), 'malformed'],
  ['half a frame, PT 10 stereo', rtp({ pt: 10, payload: 6 }), 'malformed'],
  ['1501 bytes', rtp({ payload: 1489 }), 'malformed'],
  ['9000 bytes', rtp({ payload: 8988 }), 'malformed'],
  ['a foreign SSRC, PT 11', rtp({ payload: 882 }), 'rejected'],
  ['a foreign SSRC, dynamic PT 96', rtp({ pt: 96, payload: 882 }), 'rejected'],
  ['a foreign SSRC, PT 10', rtp({ pt: 10, payload: 1176 }), 'rejected'],
];

/** Random bytes: whatever decodes as playable RTP is a foreign stream (rejected), the rest malformed. */
function verdictOfRandom(d: Buffer): Verdict {
  if (d.length > 1500) return 'malformed';
  if (isRtcp(d)) return parseRtcp(d).ok ? 'rtcp' : 'malformed';
  const r = deserializeRtp(d);
  if (!r.ok) return 'malformed';
  const f = formatForPayloadType(r.packet.payloadType, { rate: 44100, channels: 1 });
  return f && r.packet.payload.length % (2 * f.channels) === 0 ? 'rejected' : 'malformed';
}

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Datagrams the kernel dropped for full socket buffers, machine-wide (Linux). */
function rcvbufErrors(): number {
  if (!existsSync('/proc/net/snmp')) return 0;
  const lines = readFileSync('/proc/net/snmp', 'utf8').split('\n').filter((l) => l.startsWith('Udp:'));
  const names = lines[0]?.split(/\s+/) ?? [];
  const values = lines[1]?.split(/\s+/) ?? [];
  return Number(values[names.indexOf('RcvbufErrors')] ?? 0);
}

async function sendPaced(sock: dgram.Socket, port: number, datagrams: Iterable<Buffer>, perTick: number): Promise<number> {
  let n = 0;
  for (const d of datagrams) {
    sock.send(d, port, '127.0.0.1');
    if (++n % perTick === 0) await sleep(10);
  }
  return n;
}

test('UDP: every kind of bad datagram and a 100 000-datagram flood are counted; the real stream plays on', async () => {
  const dir = tmpDir();
  const port = await freePort();
  const common = ['--headless', '--port', String(port)];
  const rx = streamer(['receive', ...common, '--jitter-ms', '200', '--sink', 'null', '--stats-json', join(dir, 'rx.jsonl'), '--log-file', join(dir, 'rx.log')], { cwd: dir });
  await rx.waitFor('listening on', 30_000);
  const started = Date.now();
  const drops0 = rcvbufErrors();
  // Long enough for everything below; stopped by SIGTERM once the flood is over.
  const tx = streamer(['send', ...common, '--source', 'tone', '--duration', '60', '--stats-json', join(dir, 'tx.jsonl'), '--log-file', join(dir, 'tx.log')], { cwd: dir });
  await rx.waitFor('receiving from', 30_000);
  const sock = dgram.createSocket('udp4');
  const expected = { malformed: 0, rejected: 0, rtcp: 0 };

  // Each kind 20 times, then 100 000 datagrams: half the same kinds, half random bytes.
  const rounds = Array.from({ length: 20 }, () => HOSTILE).flat();
  for (const [, , v] of rounds) expected[v]++;
  await sendPaced(sock, port, rounds.map(([, d]) => d), 50);
  const random = prng(0xbad);
  const flood = function* (): Generator<Buffer> {
    for (let i = 0; i < 100_000; i++) {
      let d: Buffer;
      let v: Verdict;
      if (i % 2 === 0) [, d, v] = HOSTILE[(i / 2) % HOSTILE.length]!;
      else {
        d = Buffer.alloc(Math.floor(random() * 1600));
        for (let j = 0; j < d.length; j++) d[j] = Math.floor(random() * 256);
        v = verdictOfRandom(d);
      }
      expected[v]++;
      yield d;
    }
  };
  const flooded = await sendPaced(sock, port, flood(), 200);
  assert.equal(flooded, 100_000);
  await sleep(500);
  sock.close();
  assert.equal((await tx.stop('SIGTERM')).code, 0, tx.stderr());
  await sleep(500);
  const rxExit = await rx.stop();
  const seconds = (Date.now() - started) / 1000;
  assert.equal(rxExit.code, 0, `the receiver stayed up: ${rx.stderr().slice(-2000)}`);

  const drops = rcvbufErrors() - drops0;
  const sent = finalStats(join(dir, 'tx.jsonl')).sent!;
  const got = finalStats(join(dir, 'rx.jsonl'));
  if (drops === 0) {
    assert.equal(got.received, sent, 'every packet of the real stream was taken');
    assert.equal(got.lost, 0);
    assert.equal(got.malformed, expected.malformed);
    assert.equal(got.rejected, expected.rejected);
  } else {
    // The kernel dropped datagrams (a loaded machine): the receiver can only count what it was given.
    assert.ok(got.lost! <= drops, `lost ${got.lost}, kernel drops ${drops}`);
    assert.ok(got.malformed! <= expected.malformed && got.malformed! >= expected.malformed - drops);
    assert.ok(got.rejected! <= expected.rejected && got.rejected! >= expected.rejected - drops);
  }
  const warns = rx.stderr().split('\n').filter((l) => l.includes(' WARN '));
  assert.ok(warns.length <= Math.ceil(seconds) + 2, `${warns.length} warning lines in ${seconds.toFixed(1)} s`);
  assert.ok(statSync(join(dir, 'rx.log')).size < 64 * 1024, `log is ${statSync(join(dir, 'rx.log')).size} bytes`);
});

/** A raw TCP client; resolves `closed` when the receiver hangs up on it. */
function rawClient(port: number): { sock: net.Socket; connected: Promise<void>; closed: Promise<void> } {
  const sock = net.connect({ host: '127.0.0.1', port });
  sock.on('error', () => {});
  const connected = new Promise<void>((resolve) => sock.once('connect', () => resolve()));
  const closed = new Promise<void>((resolve) => sock.once('close', () => resolve()));
  return { sock, connected, closed };
}

async function tcpReceiver(dir: string, port: number, extra: string[] = []) {
  const rx = streamer(
    ['receive', '--headless', '--protocol', 'tcp', '--port', String(port), '--jitter-ms', '200', '--sink', 'null', '--stats-json', join(dir, 'rx.jsonl'), '--log-file', join(dir, 'rx.log'), ...extra],
    { cwd: dir },
  );
  await rx.waitFor('listening on', 30_000);
  return rx;
}

function tcpSender(dir: string, port: number, seconds: number) {
  return streamer(['send', '--headless', '--protocol', 'tcp', '--port', String(port), '--source', 'tone', '--duration', String(seconds), '--stats-json', join(dir, 'tx.jsonl'), '--log-file', join(dir, 'tx.log')], { cwd: dir });
}

test('TCP: a bad length prefix closes that connection only', async () => {
  const dir = tmpDir();
  const port = await freePort();
  const rx = await tcpReceiver(dir, port);
  const tx = tcpSender(dir, port, 3);
  await rx.waitFor('receiving from', 30_000);
  const tooShort = rawClient(port);
  await tooShort.connected;
  tooShort.sock.write(Buffer.from([0x00, 0x04, 1, 2, 3, 4]));
  await tooShort.closed;
  const tooLong = rawClient(port);
  await tooLong.connected;
  tooLong.sock.write(Buffer.from([0xff, 0xff, 0x80]));
  await tooLong.closed;
  assert.equal((await tx.exited).code, 0, tx.stderr());
  await sleep(400);
  assert.equal((await rx.stop()).code, 0, rx.stderr());
  const sent = finalStats(join(dir, 'tx.jsonl'));
  const got = finalStats(join(dir, 'rx.jsonl'));
  assert.equal(got.received, sent.sent, 'the real sender was not disturbed');
  assert.equal(got.lost, 0);
  assert.equal(got.malformed, 2);
  assert.equal(rx.stderr().split('(bad RFC 4571 length)').length - 1, 2);
});

test('TCP: silent and byte-a-second peers are dropped after the idle timeout and never block a sender', async () => {
  const dir = tmpDir();
  const port = await freePort();
  const rx = await tcpReceiver(dir, port, ['--tcp-idle-ms', '1000']);
  const silent = rawClient(port);
  const trickle = rawClient(port);
  await Promise.all([silent.connected, trickle.connected]);
  // A valid length prefix, then the packet a byte at a time: never a whole packet.
  trickle.sock.write(Buffer.from([0x01, 0x80]));
  const drip = setInterval(() => trickle.sock.write(Buffer.from([0x80])), 200);
  const tx = tcpSender(dir, port, 3);
  await Promise.all([silent.closed, trickle.closed]);
  clearInterval(drip);
  assert.equal((await tx.exited).code, 0, tx.stderr());
  await sleep(400);
  assert.equal((await rx.stop()).code, 0, rx.stderr());
  assert.equal(rx.stderr().split('(idle timeout)').length - 1, 2, rx.stderr());
  const got = finalStats(join(dir, 'rx.jsonl'));
  assert.equal(got.received, finalStats(join(dir, 'tx.jsonl')).sent);
  assert.equal(got.lost, 0);
});

test('TCP: simultaneous connections are bounded, and an idle one makes room for a real sender', async () => {
  const dir = tmpDir();
  const port = await freePort();
  const rx = await tcpReceiver(dir, port);
  const clients = Array.from({ length: 40 }, () => rawClient(port));
  await Promise.all(clients.map((c) => c.connected));
  let closed = 0;
  for (const c of clients) void c.closed.then(() => closed++);
  for (let waited = 0; closed < 32 && waited < 30_000; waited += 50) await sleep(50);
  // All eight left are idle for over a second after this: the sender gets in without waiting for the 10 s timeout.
  await sleep(1200);
  assert.equal(closed, 32, 'eight connections kept, the rest closed');
  const tx = tcpSender(dir, port, 2);
  assert.equal((await tx.exited).code, 0, tx.stderr());
  assert.doesNotMatch(tx.stderr(), /retrying/);
  await sleep(400);
  assert.equal((await rx.stop()).code, 0, rx.stderr());
  for (const c of clients) c.sock.destroy();
  const got = finalStats(join(dir, 'rx.jsonl'));
  assert.equal(got.received, finalStats(join(dir, 'tx.jsonl')).sent);
  assert.equal(got.lost, 0);
  // Refused ones count as malformed; on a slow machine some may instead have evicted an older idle one.
  const evicted = rx.stderr().split('(idle, closed to make room for a new connection)').length - 1;
  assert.ok(evicted >= 1, 'the real sender evicted an idle connection');
  assert.equal(got.malformed! + evicted, 32 + 1);
});
