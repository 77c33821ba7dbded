/** @jsxRuntime automatic */ // tsx applies tsconfig.json (src/ only) to src, so tests name their JSX runtime
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { render } from 'ink-testing-library';
import { Dashboard } from '../../../src/ui/screens/Dashboard.js';
import { count, fakes, receiverStats, senderStats, tick, Wrap } from '../fakes.js';

function mount(role: 'sender' | 'receiver' = 'receiver') {
  const f = fakes(role);
  const r = render(
    <Wrap services={f.services}>
      <Dashboard />
    </Wrap>,
  );
  return { ...f, r, frame: () => r.lastFrame() ?? '' };
}

test('the receiver screen shows the numbers of the latest stats', async () => {
  const d = mount();
  await tick();
  d.session.emit('stats', receiverStats({ lost: 7, lossPercent: 0.7, jitterMs: 2.25, bufferMs: 41, late: 3 }));
  await tick();
  const f = d.frame();
  d.r.unmount();
  assert.match(f, /loss 0\.70 %/);
  assert.match(f, /lost 7 +late 3/);
  assert.match(f, /jitter 2\.3 ms/);
  assert.match(f, /buffer 41\/40 ms/);
  assert.match(f, /127\.0\.0\.1:40000/);
});

test('the frame is one row shorter than the terminal', async () => {
  const d = mount();
  await tick();
  const rows = d.frame().split('\n').length;
  d.r.unmount();
  assert.equal(rows, 23, 'ink-testing-library reports no rows: 24 is assumed');
});

test('the meter follows the level the audio path measured', async () => {
  const d = mount('sender');
  d.session.level = { peakDbfs: -6, rmsDbfs: -9 };
  await tick(200);
  const peakRow = d.frame().split('\n').find((l) => l.startsWith('peak')) ?? '';
  d.r.unmount();
  const bar = 100 - 17;
  assert.equal(count(peakRow, '█'), Math.round(bar * 0.9));
});

test('the sender screen says how the TCP connection is', async () => {
  const d = mount('sender');
  await tick();
  d.session.emit('stats', senderStats({ connection: 'retrying', connected: false }));
  await tick();
  const f = d.frame();
  d.r.unmount();
  assert.match(f, /TCP → 127\.0\.0\.1:5004 +retrying/);
});

test('r starts and then stops a recording, shown as it goes', async () => {
  const d = mount();
  await tick();
  d.r.stdin.write('r');
  await tick();
  assert.match(d.frame(), /● REC 0:00 +44 B +Recording\/x\.wav/);
  d.r.stdin.write('r');
  await tick();
  const f = d.frame();
  d.r.unmount();
  assert.deepEqual(d.recorder.calls, ['start', 'stop']);
  assert.match(f, /not recording/);
});

test('t asks for seconds and starts a timed recording', async () => {
  const d = mount();
  await tick();
  d.r.stdin.write('t');
  await tick();
  assert.match(d.frame(), /Record for how many seconds\?/);
  d.r.stdin.write('1');
  d.r.stdin.write('5');
  await tick();
  d.r.stdin.write('\r');
  await tick();
  const f = d.frame();
  d.r.unmount();
  assert.deepEqual(d.recorder.calls, ['start 15']);
  assert.match(f, /● REC 0:00 \/ 0:15/);
});

test('? shows the help, q quits', async () => {
  const d = mount();
  await tick();
  d.r.stdin.write('?');
  await tick();
  assert.match(d.frame(), /Keys/);
  d.r.stdin.write('q');
  await tick();
  const f = d.frame();
  d.r.unmount();
  assert.equal(d.quits.length, 1);
  assert.match(f, /stopping/);
});

test('log lines appear at the chosen level; l moves the filter up', async () => {
  const d = mount();
  d.logTail.add({ time: 0, level: 'info', component: 'net', msg: 'listening on TCP' });
  d.logTail.add({ time: 0, level: 'warn', component: 'net', msg: 'sequence gap' });
  await tick();
  assert.match(d.frame(), /listening on TCP/);
  d.r.stdin.write('l');
  await tick();
  const f = d.frame();
  d.r.unmount();
  assert.doesNotMatch(f, /listening on TCP/);
  assert.match(f, /sequence gap/);
  assert.match(f, /Log \(warn and above\)/);
});
