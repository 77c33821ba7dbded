// The E-model against G.107's own formulas, worked out here step by step (not through the module), and its anchor points.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  burstRatio, delayImpairment, estimateMos, lossImpairment, mosBand, mosFromR, opusImpairment, PCM_IMPAIRMENT, rFactor,
} from '../../../src/net/quality/emodel.js';

// G.107 §7.2.7 with mT = 100 ms, sT = 1.
function iddByHand(ta: number): number {
  if (ta <= 100) return 0;
  const x = Math.log2(ta / 100);
  const a = (1 + x ** 6) ** (1 / 6);
  const b = 3 * (1 + (x / 3) ** 6) ** (1 / 6);
  return 25 * (a - b + 2);
}
// G.107 Annex B.
const mosByHand = (r: number): number => 1 + 0.035 * r + r * (r - 60) * (100 - r) * 0.000007;

test('anchor: no loss and low delay is R = 93.2, MOS 4.41 (the best narrowband PCM can score)', () => {
  assert.equal(rFactor({ delayMs: 50, lossPercent: 0 }), 93.2);
  assert.equal(estimateMos({ delayMs: 50, lossPercent: 0 }), 4.41);
});

test('anchor: MOS at the R band edges of G.107 Annex B, and its clamps', () => {
  assert.equal(mosFromR(100), 4.5);
  assert.ok(Math.abs(mosFromR(90) - 4.339) < 0.001);
  assert.ok(Math.abs(mosFromR(80) - 4.024) < 0.001);
  assert.ok(Math.abs(mosFromR(70) - 3.597) < 0.001);
  assert.equal(mosFromR(60), 1 + 0.035 * 60);
  assert.equal(mosFromR(-5), 1);
  assert.equal(mosFromR(120), 4.5);
});

test('delay: Idd is 0 up to 100 ms, then follows the G.107 ln formula (150 ms ≈ 0.16, 300 ms ≈ 14.8)', () => {
  assert.equal(delayImpairment(50), 0);
  assert.equal(delayImpairment(100), 0);
  for (const ta of [150, 200, 300, 400, 600]) assert.ok(Math.abs(delayImpairment(ta) - iddByHand(ta)) < 1e-9, `Ta ${ta}`);
  assert.ok(Math.abs(delayImpairment(150) - 0.164) < 0.001);
  assert.ok(Math.abs(delayImpairment(300) - 14.76) < 0.01);
});

test('loss 0/1/5 % × delay 50/150/300 ms: R and MOS as the formulas give them (PCM: Ie 0, Bpl 25.1, random loss)', () => {
  for (const ppl of [0, 1, 5]) {
    for (const ta of [50, 150, 300]) {
      const ieEff = 0 + ((95 - 0) * ppl) / (ppl / 1 + 25.1);
      const r = 93.2 - iddByHand(ta) - ieEff;
      const mos = Math.round(mosByHand(r) * 100) / 100;
      assert.ok(Math.abs(rFactor({ delayMs: ta, lossPercent: ppl }) - r) < 1e-9, `R at ${ppl} %, ${ta} ms`);
      assert.equal(estimateMos({ delayMs: ta, lossPercent: ppl }), mos, `MOS at ${ppl} %, ${ta} ms`);
    }
  }
  // The worked values themselves, so a wrong formula in both places cannot pass: 1 % at 50 ms, 5 % at 300 ms.
  assert.equal(estimateMos({ delayMs: 50, lossPercent: 1 }), 4.33);
  assert.equal(estimateMos({ delayMs: 150, lossPercent: 5 }), 3.92);
  assert.equal(estimateMos({ delayMs: 300, lossPercent: 5 }), 3.24);
});

test('bursty loss hurts more than random loss at the same rate (BurstR > 1)', () => {
  const random = lossImpairment(PCM_IMPAIRMENT, 5, 1);
  const bursty = lossImpairment(PCM_IMPAIRMENT, 5, 3);
  assert.ok(Math.abs(bursty - (95 * 5) / (5 / 3 + 25.1)) < 1e-9);
  assert.ok(bursty > random);
});

test('BurstR: mean burst over the random-loss mean 1/(1−p); 1 with no loss, never below 1', () => {
  // 50 lost in 1000 as 10 bursts of 5: mean 5, p 0.05 → 5 × 0.95.
  assert.ok(Math.abs(burstRatio(50, 1000, 10) - 4.75) < 1e-9);
  assert.equal(burstRatio(0, 1000, 0), 1);
  assert.equal(burstRatio(50, 1000, 50), 1); // all single: 0.95 → 1
});

test('codec impairment: PCM Ie 0, Opus by bitrate (lower rates lose more)', () => {
  assert.equal(PCM_IMPAIRMENT.ie, 0);
  assert.equal(opusImpairment(64).ie, 0);
  assert.ok(opusImpairment(8).ie > opusImpairment(12).ie);
  assert.equal(lossImpairment(opusImpairment(8), 0), opusImpairment(8).ie);
});

test('bands: the Annex B edges (4.34, 4.02, 3.60, 3.10)', () => {
  assert.equal(mosBand(4.41), 'excellent');
  assert.equal(mosBand(4.34), 'excellent');
  assert.equal(mosBand(4.33), 'good');
  assert.equal(mosBand(4.02), 'good');
  assert.equal(mosBand(4.01), 'fair');
  assert.equal(mosBand(3.6), 'fair');
  assert.equal(mosBand(3.59), 'poor');
  assert.equal(mosBand(3.1), 'poor');
  assert.equal(mosBand(3.09), 'bad');
  assert.equal(mosBand(1), 'bad');
});
