// The Receiver on an injected clock: no sockets, no sleeps. Packets are
// built by hand, so the expected counts are known exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { Receiver, SSRC_TAKEOVER_MS } from '../../src/session/receiver.js';
import type { Peer } from '../../src/net/transport/udp-transport.js';
import { QuietSink } from '../helpers/quiet-sink.js';
import { silentRtp } from '../helpers/silent-rtp.js';

const A: Peer = { address: '192.0.2.1', port: 5004 };
const B: Peer = { address: '192.0.2.2', port: 5004 };

const rtp = silentRtp;

function setup() {
  const clock = { now: 0 };
  const rx = new Receiver(
    { format: { rate: 44100, channels: 1 }, jitter: { mode: 'fixed', ms: 40 }, now: () => clock.now },
    new QuietSink('test'),
    pino({ level: 'silent' }),
  );
  /** `count` packets of `ssrc` from `from`, 10 ms apart on the clock, skipping the offsets in `drop`. */
  const stream = (ssrc: number, seq0: number, count: number, from: Peer, drop: number[] = []): void => {
    for (let i = 0; i < count; i++) {
      if (!drop.includes(i)) rx.handlePacket(rtp(ssrc, seq0 + i), from);
      clock.now += 10;
    }
  };
  return { clock, rx, stream };
}

test('the receiver locks to the first SSRC: another one is rejected and not counted as received', async () => {
  const { clock, rx, stream } = setup();
  const ssrcs: number[] = [];
  rx.on('stream', ({ ssrc }) => ssrcs.push(ssrc));
  stream(0xaaaa, 100, 10, A);
  for (let i = 0; i < 5; i++) {
    rx.handlePacket(rtp(0xbbbb, 5000 + i), B); // interleaved with the locked stream
    rx.handlePacket(rtp(0xaaaa, 110 + i), A);
    clock.now += 10;
  }
  const s = rx.sample(0);
  assert.deepEqual([s.received, s.expected, s.rejected, s.peer], [15, 15, 5, '192.0.2.1:5004']);
  assert.deepEqual(ssrcs, [0xaaaa]);
  await rx.stop();
});

test('a foreign SSRC takes over only once the locked one has been silent for 2 s', async () => {
  const { clock, rx, stream } = setup();
  const ssrcs: number[] = [];
  rx.on('stream', ({ ssrc }) => ssrcs.push(ssrc));
  stream(0xaaaa, 100, 10, A);
  clock.now += SSRC_TAKEOVER_MS - 10 - 1; // 1 ms short of 2 s since A's last packet
  rx.handlePacket(rtp(0xbbbb, 7000), B);
  assert.deepEqual([rx.sample(0).rejected, rx.peerAddress], [1, '192.0.2.1:5004']);
  clock.now += 1; // now A has been silent for exactly 2 s
  rx.handlePacket(rtp(0xbbbb, 7001), B);
  assert.equal(rx.peerAddress, '192.0.2.2:5004');
  // A is the foreign one now: its packets are rejected while B keeps sending.
  clock.now += 10;
  rx.handlePacket(rtp(0xaaaa, 110), A);
  stream(0xbbbb, 7002, 3, B);
  assert.deepEqual([rx.sample(0).rejected, rx.peerAddress, ssrcs], [2, '192.0.2.2:5004', [0xaaaa, 0xbbbb]]);
  await rx.stop();
});

test('releaseLock (a TCP disconnect) lets the next sender in at once', async () => {
  const { rx, stream } = setup();
  stream(0xaaaa, 100, 10, A);
  rx.releaseLock(A);
  stream(0xbbbb, 9, 5, B);
  const s = rx.sample(0);
  assert.deepEqual([s.rejected, s.peer], [0, '192.0.2.2:5004']);
  await rx.stop();
});

test('a second stream adds to the session totals instead of restarting them', async () => {
  const { rx, stream } = setup();
  stream(0xaaaa, 65500, 50, A, [3, 4, 20]); // 3 lost, across the wrap
  const first = rx.sample(0);
  assert.deepEqual([first.received, first.expected, first.lost], [47, 50, 3]);
  rx.releaseLock(A);
  stream(0xbbbb, 1234, 30, B, [7]);
  const second = rx.sample(0);
  assert.deepEqual([second.received, second.expected, second.lost, second.lossPercent], [76, 80, 4, 5]);
  // The gap strip: one second per sample, each lost packet once, never negative.
  assert.deepEqual(second.gaps.map((g) => g.lost), [3, 1]);
  for (const g of second.gaps) for (const v of Object.values(g)) assert.ok(v >= 0, JSON.stringify(second.gaps));
  await rx.stop();
});

test('a takeover by another SSRC also adds to the totals', async () => {
  const { clock, rx, stream } = setup();
  stream(0xaaaa, 100, 20, A, [5]);
  clock.now += SSRC_TAKEOVER_MS;
  stream(0xbbbb, 40000, 20, B, [0 + 10]);
  const s = rx.sample(0);
  assert.deepEqual([s.received, s.expected, s.lost, s.rejected], [38, 40, 2, 0]);
  await rx.stop();
});

/** A Receiver whose warning lines are collected. */
function withWarnings() {
  const lines: string[] = [];
  const log = pino({ level: 'warn' }, { write: (l: string) => void lines.push(String(JSON.parse(l).msg)) });
  const clock = { now: 0 };
  const rx = new Receiver({ format: { rate: 44100, channels: 1 }, jitter: { mode: 'fixed', ms: 40 }, now: () => clock.now }, new QuietSink('test'), log);
  return { lines, clock, rx };
}

// Issue #20: the per-second line said "33 missing" a second while the stats said lost 0.
test('the per-second warning counts as missing only what the stats call lost, not reordered packets', () => {
  const { lines, clock, rx } = withWarnings();
  for (const seq of [100, 101, 103, 102, 105, 104, 106]) {
    rx.handlePacket(rtp(0xaaaa, seq), A);
    clock.now += 10;
  }
  assert.equal(rx.sample(0).lost, 0);
  rx.flushWarnings();
  assert.equal(lines.length, 1, lines.join('\n'));
  assert.doesNotMatch(lines[0]!, /missing/);
  assert.match(lines[0]!, /reordered/);

  lines.length = 0;
  for (const seq of [107, 110, 111]) {
    rx.handlePacket(rtp(0xaaaa, seq), A); // 108 and 109 never come
    clock.now += 10;
  }
  assert.equal(rx.sample(0).lost, 2);
  rx.flushWarnings();
  assert.match(lines.join('\n'), /2 missing \(sequence gap\)/);
});
