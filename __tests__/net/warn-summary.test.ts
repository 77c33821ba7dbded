import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WarnSummary } from '../../src/net/warn-summary.js';

test('noteKind counts under "what (kind)", the same key as note() would use', () => {
  const w = new WarnSummary();
  w.noteKind('malformed', 'short');
  w.noteKind('malformed', 'short');
  w.note('malformed (short)');
  w.noteKind('rejected', 'SRTP auth');
  assert.deepEqual(w.drain(), { 'malformed (short)': 3, 'rejected (SRTP auth)': 1 });
});
