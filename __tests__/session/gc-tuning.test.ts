import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MEMORY_REDUCER_HOLD_MS, holdMemoryReducer, memoryReducerHeld } from '../../src/session/gc-tuning.js';

test('a memory-reducer flag given to node is left alone; else the start delay is set to the hold', () => {
  const set: string[] = [];
  const push = (f: string): void => void set.push(f);
  assert.equal(holdMemoryReducer(['--no-memory-reducer'], '', undefined, push), false);
  assert.equal(holdMemoryReducer([], '--max-old-space-size=100 --gc-memory-reducer-start-delay-ms=100', undefined, push), false);
  assert.equal(holdMemoryReducer(['--memory_reducer'], '', undefined, push), false);
  assert.deepEqual(set, []);
  assert.equal(memoryReducerHeld(), false);
  assert.equal(holdMemoryReducer(['--interrupt-budget=8192'], '--max-old-space-size=100', undefined, push), true);
  assert.deepEqual(set, [`--gc-memory-reducer-start-delay-ms=${MEMORY_REDUCER_HOLD_MS}`]);
  assert.equal(memoryReducerHeld(), true);
  assert.equal(MEMORY_REDUCER_HOLD_MS, 2147483647, "V8's int flag: larger would not parse");
});

// The mechanism, in a real node running the built module as bin/streamer.js
// does (first thing, no loader before it): the start delay set at run time,
// not on the command line, is the one V8 uses once the reducer is armed. A
// node that read it only at start-up, or a renamed flag, fails here.
test('node honours a start delay set at run time: a 200 ms delay makes the reducer run within 1.5 s, the hold does not', () => {
  const mod = fileURLToPath(new URL('../../dist/session/gc-tuning.js', import.meta.url));
  const run = (delay: number): string => {
    // A full mark-compact that gives back a large drop arms the reducer; then wait 1.5 s.
    const code = `const { holdMemoryReducer } = await import(${JSON.stringify(mod)});
holdMemoryReducer([], '', ${delay});
let keep = []; for (let i = 0; i < 1e6; i++) keep.push({ i, s: 'x' + i }); keep = null;
globalThis.gc();
setTimeout(() => {}, 1500);`;
    const r = spawnSync(process.execPath, ['--expose-gc', '--trace-gc', '--trace-gc-verbose', '--input-type=module', '-e', code], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, NODE_OPTIONS: '' } });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };
  const short = run(200);
  assert.match(short, /Mark-Compact/, 'the child should have armed the reducer with a full GC');
  assert.match(short, /Memory reducer: /, 'a 200 ms start delay set at run time: the reducer runs within 1.5 s');
  const held = run(MEMORY_REDUCER_HOLD_MS);
  assert.match(held, /Mark-Compact/);
  assert.doesNotMatch(held, /Memory reducer: /, 'held: the reducer does not run');
});
