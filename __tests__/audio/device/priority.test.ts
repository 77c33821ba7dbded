import { test } from 'node:test';
import assert from 'node:assert/strict';
import { raisePriority, WORKER_NICE } from '../../../src/audio/device/priority.js';

/** What os.setPriority throws for an ordinary user (checked as `nobody`). */
function denied(): never {
  throw Object.assign(new Error('A system error occurred: uv_os_setpriority returned EACCES (permission denied)'), {
    code: 'ERR_SYSTEM_ERROR',
    info: { code: 'EACCES', syscall: 'uv_os_setpriority' },
  });
}

test('a worker at the default priority is raised to nice -11, as PulseAudio runs', () => {
  const set: number[] = [];
  const line = raisePriority({ get: () => 0, set: (n) => set.push(n) });
  assert.deepEqual(set, [WORKER_NICE]);
  assert.equal(WORKER_NICE, -11);
  assert.equal(line, 'audio worker: nice -11 (was 0)');
});

test('without permission the worker runs on at its priority, and the line says why', () => {
  const line = raisePriority({ get: () => 0, set: denied });
  assert.equal(line, 'audio worker: nice 0 (-11 not allowed: EACCES)');
});

test('a worker already at that priority or higher is left alone (never lowered)', () => {
  const set: number[] = [];
  assert.equal(raisePriority({ get: () => -15, set: (n) => set.push(n) }), 'audio worker: nice -15 already');
  assert.equal(raisePriority({ get: () => -11, set: (n) => set.push(n) }), 'audio worker: nice -11 already');
  assert.deepEqual(set, []);
});

test('a priority that cannot be read is left as it is', () => {
  const set: number[] = [];
  const line = raisePriority({ get: () => { throw new Error('ESRCH'); }, set: (n) => set.push(n) });
  assert.deepEqual(set, []);
  assert.match(line, /priority unknown \(ESRCH\)/);
});
