import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SampleFifo } from '../../../src/audio/device/fifo.js';
import { OutputPump } from '../../../src/audio/device/output-pump.js';

const N = 4; // samples per device buffer

/** A pump on a hand-driven clock: `room()` is the device taking the last buffer written. */
function rig(graceMs = 20) {
  let now = 0;
  const timers: Array<{ at: number; fn: () => void; live: boolean }> = [];
  const written: Array<{ pcm: number[]; at: number }> = [];
  const reports: Array<[number, number]> = [];
  let done: (() => void) | undefined;
  const pump = new OutputPump({
    fifo: new SampleFifo(1000),
    samples: N,
    graceMs,
    write: (pcm, d) => {
      written.push({ pcm: [...pcm], at: now });
      done = d;
    },
    report: (got, starved) => reports.push([got, starved]),
    setTimer: (fn, ms) => {
      const t = { at: now + ms, fn, live: true };
      timers.push(t);
      return t;
    },
    clearTimer: (h) => void ((h as { live: boolean }).live = false),
  });
  return {
    pump,
    written,
    reports,
    room: () => {
      const d = done;
      done = undefined;
      d?.();
    },
    advance: (ms: number) => {
      now += ms;
      for (const t of timers) {
        if (!t.live || t.at > now) continue;
        t.live = false;
        t.fn();
      }
    },
    block: (v: number) => new Int16Array(N).fill(v),
  };
}

test('before the first audio the device gets silence at once (start-up), never a wait or an underrun', () => {
  const r = rig();
  r.pump.start();
  r.room();
  r.room();
  assert.equal(r.written.length, 3);
  assert.ok(!r.pump.isWaiting);
  assert.deepEqual(r.reports, [[0, 0], [0, 0], [0, 0]]);
});

test('audio goes out a buffer per room; a buffer the parent is late with is waited for and goes out whole, no silence', () => {
  const r = rig();
  r.pump.push(r.block(1));
  r.pump.start();
  assert.deepEqual(r.written.map((w) => w.pcm), [[1, 1, 1, 1]]);
  r.room(); // the device wants the next: not here yet
  assert.ok(r.pump.isWaiting);
  assert.equal(r.written.length, 1);
  r.advance(15); // within the grace
  r.pump.push(r.block(2));
  assert.ok(!r.pump.isWaiting);
  assert.deepEqual(r.written.map((w) => w.pcm), [[1, 1, 1, 1], [2, 2, 2, 2]]);
  assert.deepEqual(r.reports, [[N, 0], [N, 0]], 'no starved samples');
  r.advance(100); // the cancelled timer does not fire a second buffer
  assert.equal(r.written.length, 2);
});

test('past the grace the buffer goes out as silence (an underrun), and while starved the next go at once, at the device’s pace', () => {
  const r = rig(20);
  r.pump.push(r.block(1));
  r.pump.start();
  r.room();
  r.advance(19);
  assert.equal(r.written.length, 1, 'still waiting at 19 ms');
  r.advance(1);
  assert.deepEqual(r.written[1], { pcm: [0, 0, 0, 0], at: 20 });
  assert.deepEqual(r.reports[1], [0, N]);
  // Still nothing from the parent: no second wait (that would starve the device itself).
  r.room();
  assert.ok(!r.pump.isWaiting);
  assert.deepEqual(r.reports[2], [0, N]);
  // Audio again: whole buffers, and the next miss is waited for again.
  r.pump.push(r.block(3));
  r.room();
  assert.deepEqual(r.written[3]!.pcm, [3, 3, 3, 3]);
  r.room();
  assert.ok(r.pump.isWaiting);
});

test('a part of a buffer is not enough to stop waiting; on the deadline the part goes out padded', () => {
  const r = rig(20);
  r.pump.push(r.block(1));
  r.pump.start();
  r.room();
  r.pump.push(new Int16Array([5, 5]));
  assert.ok(r.pump.isWaiting);
  r.advance(20);
  assert.deepEqual(r.written[1]!.pcm, [5, 5, 0, 0]);
  assert.deepEqual(r.reports[1], [2, 2]);
});

test('stopped, it writes nothing more, even from a pending wait', () => {
  const r = rig(20);
  r.pump.push(r.block(1));
  r.pump.start();
  r.room();
  r.pump.stop();
  r.advance(50);
  r.pump.push(r.block(2));
  r.room();
  assert.equal(r.written.length, 1);
});
