import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultRecordingName, uniqueRecordingPath } from '../../../src/audio/record/recording-name.js';

const d = new Date(2024, 0, 2, 3, 4, 5); // local time, as the name is

test('defaultRecordingName is recording_YYYYMMDD_HHMMSS.wav with zero padding', () => {
  assert.equal(defaultRecordingName(d), 'recording_20240102_030405.wav');
});

test('defaultRecordingName uses local time, two-digit fields up to 23:59:59', () => {
  assert.equal(defaultRecordingName(new Date(1999, 11, 31, 23, 59, 59)), 'recording_19991231_235959.wav');
});

test('uniqueRecordingPath returns the plain name when it is free', () => {
  const dir = mkdtempSync(join(tmpdir(), 'streamer-'));
  assert.equal(uniqueRecordingPath(dir, d), join(dir, 'recording_20240102_030405.wav'));
});

test('uniqueRecordingPath adds _1, then _2, rather than overwrite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'streamer-'));
  writeFileSync(join(dir, 'recording_20240102_030405.wav'), '');
  assert.equal(uniqueRecordingPath(dir, d), join(dir, 'recording_20240102_030405_1.wav'));
  writeFileSync(join(dir, 'recording_20240102_030405_1.wav'), '');
  assert.equal(uniqueRecordingPath(dir, d), join(dir, 'recording_20240102_030405_2.wav'));
});
