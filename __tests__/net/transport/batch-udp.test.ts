// The batch reader's bounded drain (a clockless sink replaying its pulls at
// their due times): real datagrams on loopback through the native module,
// kernel receive times deciding what each drain hands on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { BatchUdpReceiver } from '../../../src/net/transport/batch-udp.js';
import { loadNativeRecv, NATIVE_RECV_PATH } from '../../../src/net/transport/native-recv.js';

function send(sock: dgram.Socket, port: number, text: string): Promise<void> {
  return new Promise((resolve, reject) => sock.send(Buffer.from(text), port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
}

test('drain(upToMs) hands on only what had arrived by then, in order; the rest waits for the next drain', async (t) => {
  if (process.platform !== 'linux' || !existsSync(NATIVE_RECV_PATH)) {
    if (process.env.CI === 'true' && process.platform === 'linux') throw new Error('native/recv is not built, and CI must run this test');
    t.skip('the batch reader (native/recv) is not built here');
    return;
  }
  const native = loadNativeRecv('native');
  assert.ok('mod' in native, 'native module loads');
  const rx = BatchUdpReceiver.listen(native.mod, '127.0.0.1', 0, { idleMs: 60_000 });
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
