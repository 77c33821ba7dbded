/** @jsxRuntime automatic */ // tsx applies tsconfig.json (src/ only) to src, so tests name their JSX runtime
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { render } from 'ink-testing-library';
import { Dashboard } from '../../../src/ui/screens/Dashboard.js';
import { count, fakes, listening, receiverStats, senderStats, tick, until, Wrap } from '../fakes.js';

function mount(role: 'sender' | 'receiver' = 'receiver') {
  const f = fakes(role);
  const r = render(
    <Wrap services={f.services}>
      <Dashboard />
    </Wrap>,
  );
  const frame = () => r.lastFrame() ?? '';
  /** The frame once it matches (or the last one, for the assertion to show). */
  const when = (re: RegExp) => until(frame, (s) => re.test(s));
  const ready = () => listening(r.stdin);
  return { ...f, r, frame, when, ready };
}

test('the receiver screen shows the numbers of the latest stats', async () => {
  const d = mount();
  await tick();
  d.session.emit('stats', receiverStats({ lost: 7, lossPercent: 0.7, jitterMs: 2.25, bufferMs: 41, late: 3 }));
  const f = await d.when(/loss 0\.70 %/);
  d.r.unmount();
  assert.match(f, /loss 0\.70 %/);
  assert.match(f, /lost 7 +late 3/);
  assert.match(f, /jitter 2\.3 ms/);
  assert.match(f, /buffer 41\/40 ms/);
  assert.match(f, /127\.0\.0\.1:40000/);
});

test('the receiver screen shows the clock drift once it is measured', async () => {
  const d = mount();
  await tick();
  d.session.emit('stats', receiverStats({ driftPpm: null }));
  assert.match(await d.when(/clock drift measuring/), /clock drift measuring…/);
  d.session.emit('stats', receiverStats({ driftPpm: -100.4 }));
  const f = await d.when(/clock drift -100/);
  d.r.unmount();
  assert.match(f, /clock drift -100 ppm ≈ -360 ms\/hour/);
});

test('the frame is one row shorter than the terminal', async () => {
  const d = mount();
  const f = await d.when(/q\/\^C quit/);
  d.r.unmount();
  assert.equal(f.split('\n').length, 23, 'ink-testing-library reports no rows: 24 is assumed');
});

test('the meter follows the level the audio path measured', async () => {
  const d = mount('sender');
  d.session.level = { peakDbfs: -6, rmsDbfs: -9 };
  const bar = 100 - 17;
  const f = await d.when(/^peak .* -6\.0 dBFS/m);
  d.r.unmount();
  const peakRow = f.split('\n').find((l) => l.startsWith('peak')) ?? '';
  assert.equal(count(peakRow, '█'), Math.round(bar * 0.9));
});

test('the sender screen says how the TCP connection is', async () => {
  const d = mount('sender');
  await tick();
  d.session.emit('stats', senderStats({ connection: 'retrying', connected: false }));
  const f = await d.when(/retrying/);
  d.r.unmount();
  assert.match(f, /TCP → 127\.0\.0\.1:5004 +retrying/);
});

test('the sender screen shows what the receiver reports, or that none come', async () => {
  const d = mount('sender');
  await tick();
  d.session.emit('stats', senderStats({ uptimeS: 1 }));
  assert.match(await d.when(/waiting for receiver reports/), /waiting for receiver reports/);
  d.session.emit('stats', senderStats({ uptimeS: 6 }));
  assert.match(await d.when(/no receiver reports/), /no receiver reports/);
  d.session.emit('stats', senderStats({ remoteLost: 32, remoteLossPercent: 8.59, remoteJitterMs: 0.7, rttMs: 3.4, reportAgeS: 0.2 }));
  const f = await d.when(/RTT 3\.4 ms/);
  assert.match(f, /loss 8\.6 % +lost 32 +jitter 0\.7 ms +RTT 3\.4 ms +0\.2 s ago/);
  d.session.emit('stats', senderStats({ remoteLost: 32, remoteLossPercent: 8.59, remoteJitterMs: 0.7, rttMs: null, reportAgeS: 9 }));
  const stale = await d.when(/stale/);
  assert.match(stale, /RTT – +last report 9 s ago \(stale\)/);
  // A multicast group: several receivers report; the figures are the worst one's, and it says so.
  d.session.emit('stats', senderStats({ remoteLost: 5, remoteLossPercent: 1.2, remoteJitterMs: 0.7, rttMs: 2, reportAgeS: 0.3, remoteReceivers: 3 }));
  const group = await d.when(/worst of 3/);
  d.r.unmount();
  assert.match(group, /worst of 3: +loss 1\.2 % +lost 5/);
});

test('r starts and then stops a recording, shown as it goes', async () => {
  const d = mount();
  await d.when(/not recording/);
  await d.ready();
  d.r.stdin.write('r');
  assert.match(await d.when(/● REC/), /● REC 0:00 +44 B +Recording\/x\.wav/);
  d.r.stdin.write('r');
  const f = await d.when(/not recording/);
  d.r.unmount();
  assert.deepEqual(d.recorder.calls, ['start', 'stop']);
  assert.match(f, /not recording/);
});

test('t asks for seconds and starts a timed recording', async () => {
  const d = mount();
  await d.when(/not recording/);
  await d.ready();
  d.r.stdin.write('t');
  await d.when(/Record for how many seconds\?/);
  d.r.stdin.write('1');
  d.r.stdin.write('5');
  await d.when(/seconds\? 15/);
  d.r.stdin.write('\r');
  const f = await d.when(/● REC/);
  d.r.unmount();
  assert.deepEqual(d.recorder.calls, ['start 15']);
  assert.match(f, /● REC 0:00 \/ 0:15/);
});

// Issue #20 (seen with item 9): the prompt ignored keys that arrived in one read.
test('the seconds prompt takes a burst of keys in one read, backspaces included', async () => {
  const d = mount();
  await d.when(/not recording/);
  await d.ready();
  d.r.stdin.write('t');
  await d.when(/Record for how many seconds\?/);
  d.r.stdin.write('123');
  await d.when(/seconds\? 123/);
  d.r.stdin.write('\x7f\x7f7');
  await d.when(/seconds\? 17/);
  d.r.stdin.write('\r');
  await d.when(/● REC/);
  d.r.unmount();
  assert.deepEqual(d.recorder.calls, ['start 17']);
});

test('a bad number of seconds keeps the prompt open and says why', async () => {
  const d = mount();
  await d.when(/not recording/);
  await d.ready();
  d.r.stdin.write('t');
  await d.when(/Record for how many seconds\?/);
  d.r.stdin.write('\r');
  const f = await d.when(/greater than 0/);
  d.r.unmount();
  assert.match(f, /type a number of seconds greater than 0/);
  assert.deepEqual(d.recorder.calls, []);
});

test('? shows the help, q quits', async () => {
  const d = mount();
  await d.when(/q\/\^C quit/);
  await d.ready();
  d.r.stdin.write('?');
  await d.when(/Keys/);
  d.r.stdin.write('q');
  const f = await d.when(/stopping/);
  d.r.unmount();
  assert.equal(d.quits.length, 1);
  assert.match(f, /stopping/);
});

test('while stopping, a second q or Ctrl-C still reaches quit (stop waiting); other keys do nothing', async () => {
  const d = mount();
  await d.when(/q\/\^C quit/);
  await d.ready();
  d.r.stdin.write('q');
  await d.when(/stopping/);
  d.r.stdin.write('r');
  d.r.stdin.write('\x03');
  const quits = await until(() => String(d.quits.length), (n) => n === '2');
  d.r.unmount();
  assert.equal(quits, '2');
  assert.deepEqual(d.recorder.calls, []);
});

test('log lines appear at the chosen level; l moves the filter up', async () => {
  const d = mount();
  d.logTail.add({ time: 0, level: 'info', component: 'net', msg: 'listening on TCP' });
  d.logTail.add({ time: 0, level: 'warn', component: 'net', msg: 'sequence gap' });
  await d.when(/listening on TCP[\s\S]*sequence gap/); // the second line comes with the throttle's next tick
  await d.ready();
  d.r.stdin.write('l');
  const f = await d.when(/Log \(warn and above\)/);
  d.r.unmount();
  assert.doesNotMatch(f, /listening on TCP/);
  assert.match(f, /sequence gap/);
});

test('news from the runner (a log file problem) shows under the stats', async () => {
  const d = mount();
  await d.when(/q\/\^C quit/);
  d.lifecycle.flash('log file: disk full (logging stopped)', 'error');
  const f = await d.when(/disk full/);
  d.r.unmount();
  assert.match(f, /log file: disk full/);
});

test('a notice from the session shows in the message line', async () => {
  const d = mount();
  await d.when(/q\/\^C quit/);
  d.session.emit('notice', 'sender 127.0.0.1:5004 stopped sending (no packets for 2 s)');
  const f = await d.when(/stopped sending/);
  d.r.unmount();
  assert.match(f, /sender 127\.0\.0\.1:5004 stopped sending/);
});

test('the receiver screen explains underruns that came with network loss next to `our side`', async () => {
  const f = fakes('receiver');
  f.session.snapshot = receiverStats({ underruns: 5, lost: 9, glitches: { network: 4, late: 0, underrun: 1, total: 5 } });
  const r = render(
    <Wrap services={f.services}>
      <Dashboard />
    </Wrap>,
  );
  const frame = await until(() => r.lastFrame() ?? '', (fr) => /underruns 5:/.test(fr));
  assert.match(frame, /underruns 5  concealed/, 'the buffer line');
  assert.match(frame, /our side 1.*underruns 5: 4 after (network )?loss/, frame);
  r.unmount();
});
