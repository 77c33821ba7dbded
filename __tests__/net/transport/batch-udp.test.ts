// The batch reader's bounded drain (a clockless sink replaying its pulls at
// their due times): real datagrams on loopback through the native module,
// kernel receive times deciding what each drain hands on.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { BACKSTOP_MS, BatchUdpReceiver, MAX_BACKSTOP_MS, backstopMs, kernelDatagrams } from '../../../src/net/transport/batch-udp.js';
import { loadNativeRecv, NATIVE_RECV_PATH, type NativeRecv } from '../../../src/net/transport/native-recv.js';

/** The native batch reader, or undefined (the test skipped) where it is not built; CI must have it. */
function nativeOrSkip(t: TestContext): NativeRecv | undefined {
  if (process.platform !== 'linux' || !existsSync(NATIVE_RECV_PATH)) {
    if (process.env.CI === 'true' && process.platform === 'linux') throw new Error('native/recv is not built, and CI must run this test');
    t.skip('the batch reader (native/recv) is not built here');
    return undefined;
  }
  const native = loadNativeRecv('native');
  assert.ok('mod' in native, 'native module loads');
  return native.mod;
}

function send(sock: dgram.Socket, port: number, text: string): Promise<void> {
  return new Promise((resolve, reject) => sock.send(Buffer.from(text), port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
}

test('drain(upToMs) hands on only what had arrived by then, in order; the rest waits for the next drain', async (t) => {
  const mod = nativeOrSkip(t);
  if (!mod) return;
  const rx = BatchUdpReceiver.listen(mod, '127.0.0.1', 0, { idleMs: 60_000 });
  const got: Array<{ text: string; arrivalMs: number; batchMs: number }> = [];
  rx.onDatagram((d, _from, arrivalMs, batchMs) => got.push({ text: d.toString(), arrivalMs, batchMs }));
  const tx = dgram.createSocket('udp4');
  try {
    await send(tx, rx.port, 'a1');
    await send(tx, rx.port, 'a2');
    await sleep(20);
    const mark = performance.now(); // after a1, a2 were sent; before b1, b2
    await sleep(20);
    await send(tx, rx.port, 'b1');
    await send(tx, rx.port, 'b2');
    await sleep(20);

    assert.equal(rx.drain(mark - 1000), 0, 'nothing had arrived a second before');
    assert.equal(rx.drain(mark), 2);
    assert.deepEqual(got.map((g) => g.text), ['a1', 'a2']);
    assert.ok(got.every((g) => g.arrivalMs <= mark && g.batchMs === g.arrivalMs), 'each handed on at its own arrival');
    assert.equal(rx.drain(mark), 0, 'b1, b2 arrived after the mark: they wait');
    await send(tx, rx.port, 'c1'); // queued in the kernel behind the held ones
    await sleep(20);
    assert.equal(rx.drain(), 3, 'an unbounded drain hands on the held ones, then reads on');
    assert.deepEqual(got.map((g) => g.text), ['a1', 'a2', 'b1', 'b2', 'c1']);
    const arrivals = got.map((g) => g.arrivalMs);
    assert.ok(arrivals.every((a, i) => i === 0 || a >= arrivals[i - 1]!), `arrivals in order: ${arrivals.join(', ')}`);
    assert.ok(arrivals[2]! > mark, 'b1 came after the mark');
    assert.equal(rx.datagrams, 5);
  } finally {
    tx.close();
    await rx.close();
  }
});

test('a replayed pull due before the last short read does not read again (no EAGAIN read per pull); one due after it does', async (t) => {
  const real = nativeOrSkip(t);
  if (!real) return;
  let reads = 0;
  const mod = { ...real, recv: (...a: Parameters<typeof real.recv>) => (reads++, real.recv(...a)) };
  const rx = BatchUdpReceiver.listen(mod, '127.0.0.1', 0, { idleMs: 60_000 });
  const got: string[] = [];
  rx.onDatagram((d) => got.push(d.toString()));
  const tx = dgram.createSocket('udp4');
  try {
    await send(tx, rx.port, 'a1');
    await sleep(20);
    const mark = performance.now();
    await sleep(20);
    await send(tx, rx.port, 'b1');
    await sleep(20);
    // A wake-up: its first pull reads the kernel's queue (a short batch), the later ones share that read.
    const wakeAt = performance.now(); // the read below begins after this
    assert.equal(rx.drain(mark), 1);
    assert.equal(reads, 1);
    assert.equal(rx.drain(mark + 1), 0, 'b1 arrived later: it waits');
    assert.equal(rx.drain(wakeAt), 1, 'b1, from the slots');
    assert.equal(rx.drain(wakeAt), 0);
    assert.equal(reads, 1, 'every pull due before the read was served by it');
    await send(tx, rx.port, 'c1');
    await sleep(20);
    assert.equal(rx.drain(performance.now()), 1, 'a pull due after the read reads again');
    assert.equal(reads, 2, 'c1, in a short batch: the queue is empty');
    await sleep(5);
    const emptyAt = performance.now();
    assert.equal(rx.drain(emptyAt), 0);
    assert.equal(reads, 3, 'due after that read: it looks again, and finds nothing');
    assert.equal(rx.drain(emptyAt), 0);
    assert.equal(reads, 3, 'an empty read says the queue was empty then too');
    assert.deepEqual(got, ['a1', 'b1', 'c1']);
    assert.equal(rx.datagramsRead, 3);
    assert.equal(rx.bytesRead, 6);
  } finally {
    tx.close();
    await rx.close();
  }
});

test('only a sink\'s drains slow the idle look: a read for RTCP or the stats second leaves it at idleMs (a stream whose RTCP came first lost ~0.8 s to the kernel buffer)', async (t) => {
  const real = nativeOrSkip(t);
  if (!real) return;
  let reads = 0;
  const mod = { ...real, recv: (...a: Parameters<typeof real.recv>) => (reads++, real.recv(...a)) };
  let now = 1000;
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const rx = BatchUdpReceiver.listen(mod, '127.0.0.1', 0, { idleMs: 20, pulledWithinMs: 80, now: () => now });
  const step = (ms: number): void => {
    now += ms;
    t.mock.timers.tick(ms);
  };
  try {
    step(20);
    assert.equal(reads, 1, 'nothing pulls: the idle timer reads every idleMs');
    rx.drain(Infinity, false); // what RTCP's catch-up and the stats second do
    assert.equal(reads, 2);
    step(20);
    assert.equal(reads, 3, 'after a read that was not a sink\'s, the idle timer still looks at idleMs');
    step(20);
    assert.equal(reads, 4);
    rx.drain(); // a sink's pull
    assert.equal(reads, 5);
    step(20);
    assert.equal(reads, 5, 'a sink that pulls keeps the socket read: the idle timer stands back');
    step(MAX_BACKSTOP_MS); // nothing arriving: the longest backstop
    assert.ok(reads >= 6, 'once the pulls stop, the backstop looks in again');
  } finally {
    await rx.close();
  }
});

test('kernelDatagrams and backstopMs: the idle look stretches to a second only while the kernel buffer holds that long', async () => {
  // Loopback charges (measured): 832 bytes for a 20-byte datagram, 2304 for 902 or 1400.
  assert.ok(kernelDatagrams(8 * 1024 * 1024, 20) <= (8 * 1024 * 1024) / 832);
  assert.ok(kernelDatagrams(8 * 1024 * 1024, 902) <= (8 * 1024 * 1024) / 2304);
  assert.ok(kernelDatagrams(425984, 1400) >= 100, 'the default buffer still holds ~100 MTU-sized datagrams');
  assert.equal(backstopMs(100, 2000, 200), MAX_BACKSTOP_MS); // 20 s of 10 ms packets
  assert.equal(backstopMs(0, 2000, 200), MAX_BACKSTOP_MS); // nothing arriving
  assert.equal(backstopMs(1000, 2000, 200), 800); // fills in 2 s: half of it, less the pull window
  assert.equal(backstopMs(24_000, 2000, 80), BACKSTOP_MS); // no shorter than before this adapted
  if (process.platform === 'linux' && existsSync(NATIVE_RECV_PATH)) {
    const native = loadNativeRecv('native');
    assert.ok('mod' in native);
    const fd = native.mod.open(4, '127.0.0.1', 0, 1 << 20);
    try {
      const granted = native.mod.rcvbuf!(fd);
      assert.ok(granted >= 2 * 4096 && granted <= 2 * (1 << 20), `granted ${granted} bytes for 1 MiB asked`);
    } finally {
      native.mod.close(fd);
    }
  }
});
