// A test sender that drops, reorders and duplicates known packets, and
// datagrams that are not RTP: the real receiver must count exactly that.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { once } from 'node:events';
import { join } from 'node:path';
import { RtpPacketizer } from '../../src/net/rtp/packetizer.js';
import { finalStats, freePort, readJsonLines, sleep, streamer, tmpDir } from '../helpers/cli.js';

const format = { rate: 44100, channels: 1 } as const;

function packets(count: number, initialSeq: number): Buffer[] {
  const p = new RtpPacketizer({ format, payloadType: 11, initial: { sequenceNumber: initialSeq, timestamp: 1000, ssrc: 0x5eed } });
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) out.push(...p.packetize(new Int16Array(441).fill(i)));
  return out;
}

/**
 * An independent sender's packets, built by hand (not by streamer's own
 * packetizer): RTP v2, PT 11 (L16 44.1 kHz mono), 10 ms of audio each.
 */
function handBuilt(count: number, seq0: number, ssrc: number): Buffer[] {
  return Array.from({ length: count }, (_, i) => {
    const p = Buffer.alloc(12 + 441 * 2);
    p[0] = 0x80;
    p[1] = (i === 0 ? 0x80 : 0) | 11;
    p.writeUInt16BE((seq0 + i) & 0xffff, 2);
    p.writeUInt32BE((7777 + i * 441) >>> 0, 4);
    p.writeUInt32BE(ssrc, 8);
    for (let k = 0; k < 441; k++) p.writeInt16BE(((i * 441 + k) % 200) * 50 - 5000, 12 + 2 * k);
    return p;
  });
}

/** The real receiver on a free port, with --stats-json in a fresh directory. */
async function startReceiver(protocol = 'udp') {
  const dir = tmpDir();
  const port = await freePort();
  const rx = streamer(
    ['receive', '--headless', '--protocol', protocol, '--port', String(port), '--sink', 'null', '--jitter-ms', '200', '--stats-json', join(dir, 'rx.jsonl'), '--log-file', join(dir, 'log')],
    { cwd: dir },
  );
  await rx.waitFor('listening on');
  return { dir, port, rx };
}

/** Sends one packet every 10 ms, as a live source would. */
async function paced(list: Buffer[], send: (p: Buffer) => Promise<void>): Promise<void> {
  const start = performance.now();
  for (let i = 0; i < list.length; i++) {
    const wait = start + i * 10 - performance.now();
    if (wait > 0) await sleep(wait);
    await send(list[i]!);
  }
}

async function sendPaced(port: number, list: Buffer[]): Promise<void> {
  const sock = dgram.createSocket('udp4');
  await paced(list, (p) => new Promise<void>((r) => sock.send(p, port, '127.0.0.1', () => r())));
  sock.close();
}

/** One TCP sender: connects, sends RFC 4571 frames (16-bit length, then the packet), closes. */
async function sendTcp(port: number, list: Buffer[]): Promise<void> {
  const sock = net.connect(port, '127.0.0.1');
  sock.setNoDelay(true);
  await once(sock, 'connect');
  await paced(list, (p) => {
    const len = Buffer.alloc(2);
    len.writeUInt16BE(p.length);
    return new Promise<void>((r, j) => sock.write(Buffer.concat([len, p]), (e) => (e ? j(e) : r())));
  });
  sock.end();
  await once(sock, 'close');
}

/** `all` minus the indexes in `drop`, with `swap` i and i+1 exchanged and `dup` sent twice. */
function impair(all: Buffer[], { drop = new Set<number>(), dup = new Set<number>(), swap = new Set<number>() }): Buffer[] {
  const wire: Buffer[] = [];
  for (let i = 0; i < all.length; i++) {
    if (drop.has(i)) continue;
    if (swap.has(i)) {
      wire.push(all[i + 1]!, all[i]!);
      i++;
      continue;
    }
    wire.push(all[i]!);
    if (dup.has(i)) wire.push(all[i]!);
  }
  return wire;
}

test('lost, duplicates and reordering equal what was injected, across a sequence wrap', async () => {
  const { dir, port, rx } = await startReceiver();
  // 300 packets starting 100 before the wrap: seq 65436 … 65535, 0 … 199.
  const all = packets(300, 65436);
  const drop = new Set([10, 50, 51, 99, 100, 220]);
  const dup = new Set([20, 101, 250]);
  const swap = new Set([30, 150]); // i and i+1 change places
  const wire = impair(all, { drop, dup, swap });
  await sendPaced(port, wire);
  await sleep(500);
  assert.equal((await rx.stop()).code, 0, rx.stderr());
  const s = finalStats(join(dir, 'rx.jsonl'));
  assert.equal(s.expected, 300);
  assert.equal(s.lost, drop.size);
  assert.equal(s.received, 300 - drop.size);
  assert.equal(s.duplicates, dup.size);
  assert.equal(s.outOfOrder, swap.size);
  assert.equal(s.malformed, 0);
});

test('datagrams that are not RTP are counted as malformed and the stream plays on', async () => {
  const { dir, port, rx } = await startReceiver();
  const good = packets(100, 7);
  const junk = [
    Buffer.from('hello'), // short
    Buffer.alloc(20, 0), // version 0
    Buffer.from('808b0001000000000000000112', 'hex'), // odd payload length
    Buffer.from('80630001000000000000000100', 'hex').subarray(0, 12), // PT 99 is dynamic: valid, empty
    Buffer.from('80220001000000000000000100000000', 'hex'), // PT 34: not L16
    Buffer.alloc(1600, 0x80), // oversize
  ];
  const wire: Buffer[] = [];
  good.forEach((p, i) => {
    wire.push(p);
    if (i % 10 === 5) wire.push(...junk);
  });
  await sendPaced(port, wire);
  await sleep(500);
  assert.equal((await rx.stop()).code, 0, rx.stderr());
  const s = finalStats(join(dir, 'rx.jsonl'));
  assert.equal(s.received, 100);
  assert.equal(s.lost, 0);
  // Per round: short, version, odd length, PT 34, oversize = 5 malformed; the
  // empty PT 99 packet is valid RTP from a foreign SSRC, so it is rejected.
  assert.equal(s.malformed, 10 * 5);
  assert.equal(s.rejected, 10);
  const warnLines = rx.stderr().split('\n').filter((l) => l.includes('WARN'));
  assert.ok(warnLines.length <= 4, `at most a summary line a second:\n${warnLines.join('\n')}`);
});

test('a stream whose second packet arrives out of order is counted from its first packet', async () => {
  const { dir, port, rx } = await startReceiver();
  const all = handBuilt(300, 65000, 0xa11ce);
  const drop = new Set([40, 41, 150, 298]);
  await sendPaced(port, impair(all, { drop, swap: new Set([1]) })); // 0, 2, 1, 3, …
  await sleep(500);
  assert.equal((await rx.stop()).code, 0, rx.stderr());
  const s = finalStats(join(dir, 'rx.jsonl'));
  assert.deepEqual(
    { expected: s.expected, received: s.received, lost: s.lost, outOfOrder: s.outOfOrder, duplicates: s.duplicates },
    { expected: 300, received: 300 - drop.size, lost: drop.size, outOfOrder: 1, duplicates: 0 },
  );
});

test('two TCP senders in one session: the totals add up and never go backwards', async () => {
  const { dir, port, rx } = await startReceiver('tcp');
  const first = { drop: new Set([10, 11, 12, 100]), dup: new Set([50]), swap: new Set([1, 120]) };
  const second = { drop: new Set([5, 150]), dup: new Set([60, 61]), swap: new Set([30]) };
  await sendTcp(port, impair(handBuilt(200, 40000, 0x1111), first));
  await rx.waitFor('sender left');
  await sendTcp(port, impair(handBuilt(200, 9, 0x2222), second)); // another SSRC, an unrelated sequence
  await sleep(500);
  assert.equal((await rx.stop()).code, 0, rx.stderr());
  const file = join(dir, 'rx.jsonl');
  const s = finalStats(file);
  const lost = first.drop.size + second.drop.size;
  assert.deepEqual(
    { expected: s.expected, received: s.received, lost: s.lost, outOfOrder: s.outOfOrder, duplicates: s.duplicates, late: s.late },
    { expected: 400, received: 400 - lost, lost, outOfOrder: first.swap.size + second.swap.size, duplicates: first.dup.size + second.dup.size, late: 0 },
  );
  const received = readJsonLines(file).map((l) => l.received as number);
  received.forEach((r, i) => assert.ok(i === 0 || r >= received[i - 1]!, `received went back: ${received.join(', ')}`));
});
