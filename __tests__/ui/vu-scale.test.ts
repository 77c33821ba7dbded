import { test } from 'node:test';
import assert from 'node:assert/strict';
import { barCells, nextVu, PEAK_HOLD_MS, scaleLine, SILENT_VU } from '../../src/ui/vu-scale.js';

test('bar cells span -60…0 dBFS and clamp outside it', () => {
  assert.equal(barCells(0, 60), 60);
  assert.equal(barCells(-6, 60), 54);
  assert.equal(barCells(-40, 60), 20);
  assert.equal(barCells(-60, 60), 0);
  assert.equal(barCells(-120, 60), 0);
  assert.equal(barCells(3, 60), 60);
});

test('the scale puts each label at the end of its level', () => {
  const s = scaleLine(60);
  assert.ok(s.startsWith('-60'));
  assert.equal(s.indexOf('-10') + 2, barCells(-10, 60) - 1);
  assert.equal(s.length, 60, 'the 0 ends at the last cell');
});

test('a peak is held for the hold time, then falls at 20 dB/s', () => {
  let vu = nextVu({ ...SILENT_VU, atMs: 0 }, { peakDbfs: -6, rmsDbfs: -9 }, 0);
  vu = nextVu(vu, { peakDbfs: -40, rmsDbfs: -43 }, PEAK_HOLD_MS);
  assert.equal(vu.holdDbfs, -6);
  vu = nextVu(vu, { peakDbfs: -40, rmsDbfs: -43 }, PEAK_HOLD_MS + 500);
  assert.equal(vu.holdDbfs, -16);
});

test('the bar falls back gradually, not at once', () => {
  let vu = nextVu({ ...SILENT_VU, atMs: 0 }, { peakDbfs: -6, rmsDbfs: -9 }, 0);
  vu = nextVu(vu, { peakDbfs: -120, rmsDbfs: -120 }, 100);
  assert.equal(vu.peakDbfs, -8);
  assert.equal(vu.rmsDbfs, -120, 'RMS is shown as measured');
});
