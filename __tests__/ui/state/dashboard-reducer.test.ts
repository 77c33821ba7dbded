import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dashboardReducer, initialDashboardState, type DashboardAction, type DashboardState } from '../../../src/ui/state/dashboard-reducer.js';

const run = (actions: DashboardAction[], from: DashboardState = initialDashboardState()): DashboardState => actions.reduce(dashboardReducer, from);

test('starting becomes running once, and stopping is final', () => {
  const s = run([{ type: 'started' }]);
  assert.equal(s.phase, 'running');
  const stopped = run([{ type: 'stopping', reason: 'q' }, { type: 'started' }, { type: 'toggle-help' }], s);
  assert.equal(stopped.phase, 'stopping');
  assert.equal(stopped.overlay, 'none');
});

test('news still reaches a stopping dashboard', () => {
  const s = run([{ type: 'stopping', reason: 'q' }, { type: 'flash', text: 'recording saved', level: 'info' }]);
  assert.equal(s.flash?.text, 'recording saved');
});

test('? opens and closes the help overlay', () => {
  assert.equal(run([{ type: 'toggle-help' }]).overlay, 'help');
  assert.equal(run([{ type: 'toggle-help' }, { type: 'toggle-help' }]).overlay, 'none');
});

test('the prompt collects digits, backspaces, and is emptied when closed', () => {
  const s = run([{ type: 'prompt-open' }, { type: 'prompt-type', text: '1' }, { type: 'prompt-type', text: '25' }, { type: 'prompt-backspace' }]);
  assert.equal(s.overlay, 'prompt');
  assert.equal(s.prompt, '12');
  const closed = run([{ type: 'close-overlay' }], s);
  assert.equal(closed.overlay, 'none');
  assert.equal(closed.prompt, '');
});

test('typing outside the prompt changes nothing', () => {
  const s = initialDashboardState();
  assert.equal(dashboardReducer(s, { type: 'prompt-type', text: '5' }), s);
});

test('an invalid entry shows its error until the next keystroke', () => {
  const s = run([{ type: 'prompt-open' }, { type: 'prompt-invalid', error: 'bad' }]);
  assert.equal(s.promptError, 'bad');
  assert.equal(run([{ type: 'prompt-type', text: '3' }], s).promptError, null);
});

test('l cycles info → warn → error → trace → debug → info', () => {
  const seen: string[] = [];
  let s = initialDashboardState('info');
  for (let i = 0; i < 5; i++) {
    s = dashboardReducer(s, { type: 'cycle-log-level' });
    seen.push(s.logLevel);
  }
  assert.deepEqual(seen, ['warn', 'error', 'trace', 'debug', 'info']);
});
