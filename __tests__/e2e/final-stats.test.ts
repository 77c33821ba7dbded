// The final --stats-json line reports the last full second, not the sliver after it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { finalStats, freePort, streamer, tmpDir } from '../helpers/cli.js';

// The test tone is a sine at half of full scale.
const TONE_PEAK_DBFS = -6;

test('a 1 s tone: the sender final line shows its bitrate and a -6 dBFS peak', async () => {
  const dir = tmpDir();
  const port = await freePort();
  const stats = join(dir, 'tx.jsonl');
  const tx = streamer(['send', '--source', 'tone', '--headless', '--duration', '1', '--port', String(port), '--stats-json', stats, '--log-file', join(dir, 'log')], { cwd: dir });
  assert.equal((await tx.exited).code, 0, tx.stderr());
  const final = finalStats(stats) as { bitrateKbps: number; peakDbfs: number; rmsDbfs: number };
  assert.ok(final.bitrateKbps > 600, `bitrate ${final.bitrateKbps} kbit/s`); // 44.1 kHz mono L16 is ~715 kbit/s with headers
  assert.ok(Math.abs(final.peakDbfs - TONE_PEAK_DBFS) < 0.5, `peak ${final.peakDbfs} dBFS`);
  assert.ok(final.rmsDbfs > -10 && final.rmsDbfs < -8, `rms ${final.rmsDbfs} dBFS`);
});

test('a receiver stopped by --duration mid-stream: its final line shows the tone it was playing', async () => {
  const dir = tmpDir();
  const port = await freePort();
  const stats = join(dir, 'rx.jsonl');
  const rx = streamer(['receive', '--headless', '--port', String(port), '--sink', 'null', '--jitter-ms', '200', '--duration', '3', '--stats-json', stats, '--log-file', join(dir, 'rx.log')], { cwd: dir });
  await rx.waitFor('listening on');
  const tx = streamer(['send', '--source', 'tone', '--headless', '--duration', '6', '--port', String(port), '--log-file', join(dir, 'tx.log')], { cwd: dir });
  try {
    assert.equal((await rx.exited).code, 0, rx.stderr());
  } finally {
    await tx.stop();
  }
  const final = finalStats(stats) as { bitrateKbps: number; peakDbfs: number };
  assert.ok(final.bitrateKbps > 0, `bitrate ${final.bitrateKbps} kbit/s`);
  assert.ok(Math.abs(final.peakDbfs - TONE_PEAK_DBFS) < 0.5, `peak ${final.peakDbfs} dBFS`);
});
