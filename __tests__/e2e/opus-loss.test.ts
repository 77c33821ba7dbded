// Opus end to end between two streamers over loopback: in-band FEC under
// loss (the same losses with it on and off, by --sim-seed), and the bitrate
// on the wire against --bitrate, and a receiver playing it at another rate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { finalStats, freePort, readJsonLines, sleep, streamer, tmpDir } from '../helpers/cli.js';
import { listen } from '../helpers/interop.js';

async function opusRun(sendFlags: string[], seconds: number, rxFlags: string[] = []) {
  const dir = tmpDir();
  const port = await freePort();
  const rx = streamer(
    ['receive', '--headless', '--codec', 'opus', '--port', String(port), '--jitter-ms', '80', '--sink', `file:${join(dir, 'out.wav')}`, '--stats-json', join(dir, 'rx.jsonl'), '--log-file', join(dir, 'rx.log'), ...rxFlags],
    { cwd: dir },
  );
  await rx.waitFor('listening on', 30_000);
  const tx = streamer(
    ['send', '--headless', '--codec', 'opus', '--port', String(port), '--source', 'tone:1000', '--duration', String(seconds), '--stats-json', join(dir, 'tx.jsonl'), '--log-file', join(dir, 'tx.log'), ...sendFlags],
    { cwd: dir },
  );
  assert.equal((await tx.exited).code, 0, tx.stderr());
  await sleep(500);
  assert.equal((await rx.stop()).code, 0, rx.stderr());
  return { stats: finalStats(join(dir, 'rx.jsonl')), lines: readJsonLines(join(dir, 'rx.jsonl')), heard: listen(join(dir, 'out.wav')) };
}

test('under 5 % loss, FEC rebuilds lost packets: recovered > 0 and fewer concealed ms than the same losses without FEC', async (t) => {
  const loss = ['--sim-loss', '5', '--sim-seed', '17'];
  const withFec = await opusRun(loss, 6);
  const without = await opusRun([...loss, '--no-fec'], 6);
  for (const r of [withFec, without]) {
    assert.ok(r.stats.lost! > 5, `lost ${r.stats.lost}`);
    assert.equal(r.stats.malformed, 0);
    assert.ok(Math.abs(r.heard.hz - 1000) < 5, `${r.heard.hz} Hz`);
    assert.ok(r.heard.peak > 1000);
  }
  t.diagnostic(`FEC on: lost ${withFec.stats.lost}, recovered ${withFec.stats.recovered}, concealed ${withFec.stats.concealedMs} ms; off: lost ${without.stats.lost}, concealed ${without.stats.concealedMs} ms`);
  assert.ok(withFec.stats.recovered! > 0, `recovered ${withFec.stats.recovered}`);
  assert.equal(without.stats.recovered, 0);
  // A rebuilt packet is no audible glitch: the network glitches are what FEC could not rebuild.
  const network = (r: typeof withFec): number => (r.stats.glitches as unknown as { network: number }).network;
  assert.ok(network(without) > 0, `network glitches without FEC: ${network(without)}`);
  assert.ok(network(withFec) < network(without), `network glitches ${network(withFec)} with FEC, ${network(without)} without`);
  assert.ok(
    withFec.stats.concealedMs! < without.stats.concealedMs!,
    `concealed ${withFec.stats.concealedMs} ms with FEC, ${without.stats.concealedMs} ms without (lost ${withFec.stats.lost} / ${without.stats.lost})`,
  );
});

test("a 64 kbit/s Opus stream's bitrate on the wire (RTP header + payload) is within 10 % of 64", async () => {
  const { lines, stats } = await opusRun(['--bitrate', '64'], 5);
  assert.equal(stats.codec as unknown, 'opus');
  // Whole seconds of the stream: not the first (it starts mid-second) nor the last ones (it ends).
  const rates = lines.filter((l) => !l.final && (l.received as number) > 0).map((l) => l.bitrateKbps as number).slice(1, -1);
  assert.ok(rates.length >= 2, `seconds: ${rates.join(', ')}`);
  const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
  assert.ok(Math.abs(mean - 64) <= 6.4, `${mean.toFixed(1)} kbit/s (${rates.join(', ')})`);
});

test('receive --codec opus --rate 44100: the 48 kHz stream is played (here: written) at 44.1 kHz, the pitch kept', async () => {
  const { heard, stats } = await opusRun(['--channels', '2'], 3, ['--rate', '44100', '--channels', '2']);
  assert.equal(stats.codec as unknown, 'opus');
  assert.deepEqual(heard.format, { rate: 44100, channels: 2 });
  assert.ok(heard.seconds > 2.3, `${heard.seconds} s`);
  assert.ok(Math.abs(heard.hz - 1000) < 5, `${heard.hz} Hz`);
  assert.ok(heard.peak > 1000, `peak ${heard.peak}`);
});
