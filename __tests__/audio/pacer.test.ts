import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pacer, ticksDue } from '../../src/audio/pacer.js';

test('ticksDue counts from the start, so lateness never accumulates', () => {
  assert.equal(ticksDue(1000, 10, 999), 0);
  assert.equal(ticksDue(1000, 10, 1000), 1);
  assert.equal(ticksDue(1000, 10, 1009.9), 1);
  assert.equal(ticksDue(1000, 10, 1010), 2);
  // 60 s later, exactly 6001 ticks are due however the timers fired.
  assert.equal(ticksDue(1000, 10, 61000), 6001);
});

test('a pacer on a simulated clock neither drifts nor bunches over 60 s', async () => {
  let now = 0;
  const ticks: number[] = [];
  const p = new Pacer({ intervalMs: 10, now: () => now }, () => ticks.push(now));
  // Drive the clock by hand with late, irregular wakeups, as a busy loop would.
  const { mock } = await import('node:test');
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    p.start();
    let step = 0;
    while (now < 60_000) {
      const lateness = [1, 3, 0.5, 7, 2][step++ % 5]!;
      now += 10 + lateness * 0.1;
      mock.timers.tick(20);
      // Overdue ticks are handed to setImmediate (after I/O): let them run.
      for (let i = 0; i < 4; i++) await new Promise<void>((r) => setImmediate(r));
    }
    p.stop();
  } finally {
    mock.timers.reset();
  }
  // Exactly the ticks due by the last wakeup, none early: no drift, no bunching ahead.
  assert.equal(ticks.length, ticksDue(0, 10, now));
  ticks.forEach((t, k) => assert.ok(t >= k * 10, `tick ${k} at ${t} ms is early`));
});

test('drift makes the clock run fast by the given ppm', async () => {
  // 5000 ppm fast over 20 s: 100 ms more of its ticks, i.e. 10 extra 10 ms ticks.
  const { mock } = await import('node:test');
  const count = async (driftPpm: number): Promise<number> => {
    let now = 0;
    let n = 0;
    const p = new Pacer({ intervalMs: 10, driftPpm, now: () => now }, () => n++);
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      p.start();
      while (now < 20_005) {
        now += 5;
        mock.timers.tick(5);
        for (let i = 0; i < 4; i++) await new Promise<void>((r) => setImmediate(r));
      }
      p.stop();
    } finally {
      mock.timers.reset();
    }
    return n;
  };
  // Due by 20 005 ms: floor(20 005 / interval) + 1, the interval 10 ms / (1 + ppm / 10⁶).
  assert.equal(await count(0), 2001);
  assert.equal(await count(5000), 2011);
  assert.equal(await count(-5000), 1991);
});

test('stop() inside a tick ends the pacer', () => {
  let count = 0;
  const p = new Pacer({ intervalMs: 10, now: () => 1000 }, () => {
    count++;
    p.stop();
  });
  p.start();
  assert.equal(count, 1);
  assert.equal(p.running, false);
});

test('ticks caught up after a stall say how late they run', async () => {
  let now = 0;
  const late: number[] = [];
  const p = new Pacer({ intervalMs: 10, now: () => now }, (_tick, lateMs) => late.push(lateMs));
  const { mock } = await import('node:test');
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    p.start(); // tick 0, on time
    now = 50; // the loop was held up for 50 ms
    mock.timers.tick(50);
    for (let i = 0; i < 8; i++) await new Promise<void>((r) => setImmediate(r));
    p.stop();
  } finally {
    mock.timers.reset();
  }
  assert.deepEqual(late, [0, 40, 30, 20, 10, 0]);
});

test('wakeTicks: one wake-up per batch of ticks, each tick told how long ago it was due, the wake told its own lateness', async () => {
  const { mock } = await import('node:test');
  let now = 0;
  const ticks: Array<{ tick: number; at: number; lateMs: number }> = [];
  const wakes: number[] = [];
  const p = new Pacer({ intervalMs: 10, wakeTicks: 4, maxBurst: 1000, now: () => now, onWake: (ms) => wakes.push(ms) }, (tick, lateMs) => ticks.push({ tick, at: now, lateMs }));
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    p.start(); // tick 0 at once
    // On time: the clock and the timers move together, 1 ms at a time.
    while (now < 400) {
      now += 1;
      mock.timers.tick(1);
    }
    const onTime = wakes.length;
    // A 200 ms stall: nothing runs, then one late wake-up catches every tick up in order.
    const before = ticks.length;
    now += 200;
    mock.timers.tick(1);
    const caught = ticks.slice(before);
    p.stop();
    // ~400 ms / 40 ms: one wake-up per four ticks, not one per tick.
    assert.ok(onTime >= 9 && onTime <= 10, `${onTime} wake-ups in 400 ms`);
    assert.ok(wakes.slice(0, onTime).every((ms) => ms <= 1), `on-time wake-ups late by ${wakes.slice(0, onTime).join(', ')} ms`);
    assert.ok(wakes[onTime]! >= 190, `the stalled wake-up reported ${wakes[onTime]} ms late`);
    assert.ok(caught.length >= 20, `${caught.length} ticks caught up after the stall`);
  } finally {
    mock.timers.reset();
  }
  // Every tick once, in order, never early; lateness is exactly now − due.
  ticks.forEach((t, k) => {
    assert.equal(t.tick, k);
    assert.ok(t.at >= k * 10, `tick ${k} ran at ${t.at} ms, before it was due`);
    assert.equal(t.lateMs, t.at - k * 10);
  });
  assert.equal(ticks.length, ticksDue(0, 10, now));
  // Within a batch the first tick is the latest: a wake-up waits for the batch's last tick.
  const lates = ticks.filter((t) => t.at <= 400).map((t) => t.lateMs);
  assert.ok(Math.max(...lates) >= 29 && Math.max(...lates) <= 32, `largest lateness inside a batch ${Math.max(...lates)} ms`);
});

test('setWakeTicks: a batched pacer changes its batch at run time, down to one tick a wake-up, without losing or repeating a tick', async () => {
  const { mock } = await import('node:test');
  let now = 0;
  const ticks: Array<{ tick: number; at: number }> = [];
  const wakes: number[] = [];
  const p = new Pacer({ intervalMs: 10, wakeTicks: 4, maxBurst: 1000, now: () => now, onWake: () => wakes.push(now) }, (tick) => ticks.push({ tick, at: now }));
  const run = (ms: number): void => {
    for (const end = now + ms; now < end; ) {
      now += 1;
      mock.timers.tick(1);
    }
  };
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    p.start();
    run(400);
    const at4 = wakes.length;
    p.setWakeTicks(10); // between wake-ups: the armed timer is armed again
    assert.equal(p.ticksPerWake, 10);
    run(1000);
    const at10 = wakes.length - at4;
    p.setWakeTicks(1); // every tick its own wake-up, still batched (no poke rules)
    run(201); // the last tick's wake-up is a ms past it (PACER_EXTRA_MS)
    const at1 = wakes.length - at4 - at10;
    p.stop();
    assert.ok(at4 >= 9 && at4 <= 10, `${at4} wake-ups in 400 ms at 4 ticks`);
    assert.ok(at10 >= 9 && at10 <= 11, `${at10} wake-ups in 1000 ms at 10 ticks`);
    assert.ok(at1 >= 19 && at1 <= 21, `${at1} wake-ups in 200 ms at 1 tick`);
  } finally {
    mock.timers.reset();
  }
  ticks.forEach((t, k) => {
    assert.equal(t.tick, k);
    assert.ok(t.at >= k * 10, `tick ${k} ran at ${t.at} ms, before it was due`);
  });
  assert.equal(ticks.length, ticksDue(0, 10, now));
  // At 10 ticks a wake-up the batch's first tick waits ~90 ms.
  const mid = ticks.filter((t) => t.at > 500 && t.at <= 1300).map((t) => t.at - t.tick * 10);
  assert.ok(Math.max(...mid) >= 89 && Math.max(...mid) <= 92, `largest lateness at 10 ticks ${Math.max(...mid)} ms`);
});

test('setWakeTicks does nothing to a pacer that wakes per tick', () => {
  const p = new Pacer({ intervalMs: 10 }, () => undefined);
  p.setWakeTicks(8);
  assert.equal(p.ticksPerWake, 1);
});
