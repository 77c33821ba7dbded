/** @jsxRuntime automatic */ // tsx applies tsconfig.json (src/ only) to src, so tests name their JSX runtime
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JitterHistogram } from '../../../src/ui/components/JitterHistogram.js';
import { ANSI, colorAt, colorFrame, plainFrame } from './color.js';

const EDGES = [0, 1, 2, 5, 10, 20, 50];

test('each bin is labelled with its range, the last open-ended, and drawn against the fullest bin', () => {
  const f = plainFrame(<JitterHistogram edgesMs={EDGES} counts={[700, 350, 100, 0, 0, 0, 1]} />);
  assert.match(f, /^jitter ms {2}0–1 █ 1–2 ▅ 2–5 ▂ 5–10 ▁ 10–20 ▁ 20–50 ▁ 50\+ ▂ {2}\(1151 packets\)$/);
  assert.ok(f.length <= 80, `fits 80 columns: ${f.length}`);
});

test('an empty histogram says so instead of drawing a shape', () => {
  const f = plainFrame(<JitterHistogram edgesMs={EDGES} counts={[0, 0, 0, 0, 0, 0, 0]} />);
  assert.match(f, /0–1 ▁ .*\(no packets yet\)/);
  assert.doesNotMatch(f, /[▂-█]/);
});

test('in colour a filled bin is yellow, an empty one grey', () => {
  const f = colorFrame(<JitterHistogram edgesMs={EDGES} counts={[1, 0, 0, 0, 0, 0, 0]} />);
  assert.equal(colorAt(f, '█'), ANSI.yellow);
  assert.equal(colorAt(f, '▁'), ANSI.gray);
});
