/** @jsxRuntime automatic */ // tsx applies tsconfig.json (src/ only) to src, so tests name their JSX runtime
// Issue 16's screen: history charts, causes, MOS, the replay key, the demo's two ends, full-width rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { render } from 'ink-testing-library';
import type { SecondGaps } from '../../../src/session/receiver-snapshot.js';
import { Dashboard } from '../../../src/ui/screens/Dashboard.js';
import { fakes, listening, receiverStats, senderStats, tick, until, Wrap } from '../fakes.js';

function mount(role: 'sender' | 'receiver' = 'receiver') {
  const f = fakes(role);
  const r = render(
    <Wrap services={f.services}>
      <Dashboard />
    </Wrap>,
  );
  const frame = () => r.lastFrame() ?? '';
  const when = (re: RegExp) => until(frame, (s) => re.test(s));
  return { ...f, r, frame, when, ready: () => listening(r.stdin) };
}

const sec = (o: Partial<SecondGaps> = {}): SecondGaps => ({
  received: 100, lost: 0, late: 0, reordered: 0, duplicates: 0, concealedMs: 0, jitterMs: 2, bufferMs: 40, targetMs: 40, underruns: 0, ...o,
});
const row = (f: string, start: string): string => f.split('\n').find((l) => l.startsWith(start)) ?? '';

test('the receiver shows its history charts, the causes of its glitches and its MOS', async () => {
  const d = mount();
  await tick();
  const gaps = [sec(), sec({ received: 96, lost: 4, concealedMs: 40, jitterMs: 12 }), sec({ received: 0, jitterMs: null, bufferMs: null }), sec({ bufferMs: 20 })];
  d.session.emit(
    'stats',
    receiverStats({ gaps, mos: 3.8, glitches: { network: 3, late: 1, underrun: 1, total: 5 }, lossBursts: { lengths: [2, 1] }, jitterHistogram: { edgesMs: [0, 1, 2, 5, 10, 20, 50], counts: [5, 10, 0, 0, 2, 0, 0] } }),
  );
  const f = await d.when(/MOS 3\.8/);
  d.r.unmount();
  assert.match(f, /MOS 3\.8 \(fair\) {2}glitches 5: network 3 \(concealed\) · late 1/);
  assert.match(row(f, 'loss %'), /▁█·▁ max 4\.0 %$/, 'lost 4 of 100 expected, then a second with no packets');
  assert.match(row(f, 'jitter '), /▃█·▃ max 12 ms$/);
  assert.match(row(f, 'delay'), /██·▅ max 40 · target 40 ms$/);
  assert.match(row(f, 'concealed'), /▁█·▁ max 40 ms$/);
  assert.match(f, /jitter ms {2}0–1 ▅ 1–2 █/);
  assert.match(f, /loss bursts: /);
});

test('at 100×24 the frame fits, one row short of the terminal, with log lines left', async () => {
  const d = mount();
  await tick();
  d.logTail.add({ time: Date.now(), level: 'info', component: 'net', msg: 'hello log' });
  d.session.emit('stats', receiverStats({ gaps: [sec()] }));
  const f = await d.when(/hello log/);
  d.r.unmount();
  const rows = f.split('\n');
  assert.equal(rows.length, 23);
  assert.match(rows[0]!, /^streamer +RECEIVER/);
  assert.match(rows.at(-1)!, /q\/\^C quit/);
  assert.ok(rows.some((r) => r.startsWith('concealed')), 'the charts are there');
  for (const r of rows.filter((l) => l.startsWith('──'))) assert.equal(r.length, 100, `a rule spans the width: ${r}`);
});

test('s saves the replay and says its name, duration, size and path; r still records', async () => {
  const d = mount();
  await d.when(/not recording/);
  await d.ready();
  d.r.stdin.write('s');
  const f = await d.when(/replay saved/);
  assert.equal(d.session.replays, 1);
  assert.match(f, /replay saved: replay_20260101_120000\.wav {2}30\.0 s {2}2\.5 MiB {2}in Recording\/$/m);
  d.r.stdin.write('r');
  assert.match(await d.when(/● REC/), /● REC/);
  d.r.unmount();
  assert.deepEqual(d.recorder.calls, ['start']);
});

test('a replay that cannot be saved says why, in red news, not a crash', async () => {
  const d = mount('sender');
  d.session.replayResult = new Error('nothing captured yet');
  await d.ready();
  d.r.stdin.write('s');
  const f = await d.when(/replay: /);
  d.r.unmount();
  assert.match(f, /replay: nothing captured yet/);
});

test('the footer and the help list s', async () => {
  const d = mount();
  await d.ready();
  assert.match(await d.when(/s replay/), /t timed rec {2}s replay {2}l log level/);
  d.r.stdin.write('?');
  const f = await d.when(/Keys/);
  d.r.unmount();
  assert.match(f, /^ {2}s {7}save the last 30 s/m);
  assert.doesNotMatch(f, /^ {2}v /m, 'v only where there are two ends');
});

test('the sender screen shows the receiver’s reports, its history and the MOS estimate', async () => {
  const d = mount('sender');
  await tick();
  const remoteHistory = [
    { lossPercent: 0, jitterMs: 1, rttMs: 2 },
    { lossPercent: 4, jitterMs: 8, rttMs: 2 },
    { lossPercent: null, jitterMs: null, rttMs: null },
  ];
  d.session.emit('stats', senderStats({ remoteLost: 32, remoteLossPercent: 4, remoteJitterMs: 8, rttMs: 2, reportAgeS: 0.4, mos: 4.1, remoteHistory }));
  const f = await d.when(/RTT 2\.0 ms/);
  d.r.unmount();
  assert.match(f, /loss 4\.0 % +lost 32 +jitter 8\.0 ms +RTT 2\.0 ms +0\.4 s ago/);
  assert.match(f, /MOS 4\.1 \(good\)/);
  assert.match(row(f, 'loss %'), /▁█· max 4\.0 %$/);
  assert.match(row(f, 'RTT'), /██· max 2\.0 ms$/);
  assert.ok(f.split('\n').length <= 23);
});

test('the demo shows the receiver, and v switches to its sender and back', async () => {
  const d = mount('receiver');
  await tick();
  d.session.emit('stats', receiverStats({ mos: 4.4 }));
  d.session.emit('peer-stats', senderStats({ sent: 4321, reportAgeS: 0.2, rttMs: 1.5, remoteLossPercent: 0, remoteLost: 0, remoteJitterMs: 0.5 }));
  const first = await d.when(/v view/);
  assert.match(first, /RECEIVER/);
  assert.match(first, /demo \(v: other end\)/);
  await d.ready();
  d.r.stdin.write('v');
  const other = await d.when(/packets 4321/);
  assert.match(other, /^streamer +SENDER/);
  assert.match(other, /RTT 1\.5 ms/);
  d.r.stdin.write('v');
  const back = await d.when(/RECEIVER/);
  d.r.unmount();
  assert.match(back, /MOS 4\.4 \(excellent\)/);
});

test('v outside the demo only says what it is for', async () => {
  const d = mount('receiver');
  await d.ready();
  d.r.stdin.write('v');
  const f = await d.when(/demo only/);
  d.r.unmount();
  assert.match(f, /RECEIVER/);
  assert.doesNotMatch(f, /v view/);
});
