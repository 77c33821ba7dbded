// End to end over real loopback sockets: the built CLI as sender and receiver.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ToneGenerator } from '../../src/audio/source/tone.js';
import { WavReader } from '../../src/audio/wav/wav-reader.js';
import { finalStats, freePort, sleep, streamer, tmpDir } from '../helpers/cli.js';
import { firstDifference, zeroCrossingHz } from '../helpers/signal.js';

for (const protocol of ['udp', 'tcp'] as const) {
  test(`a 3 s tone arrives bit for bit with lost 0 over ${protocol.toUpperCase()}`, async () => {
    const dir = tmpDir();
    const port = await freePort();
    const common = ['--headless', '--protocol', protocol, '--port', String(port), '--log-file', join(dir, 'log')];
    // A generous playout delay: this proves the data path, not the scheduler of a busy 2-core CI box.
    const rx = streamer(['receive', ...common, '--jitter-ms', '200', '--sink', `file:${join(dir, 'out.wav')}`, '--stats-json', join(dir, 'rx.jsonl')], { cwd: dir });
    await rx.waitFor('listening on');
    const tx = streamer(['send', ...common, '--source', 'tone:440', '--duration', '3', '--stats-json', join(dir, 'tx.jsonl')], { cwd: dir });
    const txExit = await tx.exited;
    assert.equal(txExit.code, 0, tx.stderr());
    await sleep(400); // the 40 ms playout delay, and then some
    const rxExit = await rx.stop('SIGTERM');
    assert.equal(rxExit.code, 0, rx.stderr());

    const sent = finalStats(join(dir, 'tx.jsonl'));
    const got = finalStats(join(dir, 'rx.jsonl'));
    assert.ok(sent.sent! >= 290 && sent.sent! <= 310, `sent ${sent.sent!} packets of 10 ms in 3 s`);
    assert.equal(got.lost, 0);
    assert.equal(got.received, sent.sent);
    assert.equal(got.expected, sent.sent);
    assert.equal(got.duplicates, 0);

    const wav = WavReader.open(join(dir, 'out.wav'));
    assert.deepEqual(wav.format, { rate: 44100, channels: 1 });
    const out = wav.read(wav.totalFrames) ?? new Int16Array(0);
    wav.close();
    // Over TCP the tone may run a little before the connection is up; that part is skipped, not sent.
    const skipped = (sent.skippedMs! * 44100) / 1000;
    const expected = new ToneGenerator({ rate: 44100, channels: 1 }, 440).read(skipped + sent.sent! * 441).subarray(skipped);
    assert.equal(out.length, expected.length, 'one frame out for every frame sent');
    assert.equal(firstDifference(out, expected), -1, `samples equal the sent ones bit for bit (late ${got.late}, concealed ${got.concealedMs} ms)`);
    assert.ok(Math.abs(zeroCrossingHz(out, 44100) - 440) < 2);
  });
}

test('the TCP receiver serves the next sender after one leaves', async () => {
  const dir = tmpDir();
  const port = await freePort();
  const common = ['--headless', '--protocol', 'tcp', '--port', String(port), '--log-file', join(dir, 'log')];
  const rx = streamer(['receive', ...common, '--sink', 'null', '--stats-json', join(dir, 'rx.jsonl')], { cwd: dir });
  await rx.waitFor('listening on');
  for (const hz of [440, 880]) {
    const tx = streamer(['send', ...common, '--source', `tone:${hz}`, '--duration', '1', '--stats-json', join(dir, `tx${hz}.jsonl`)], { cwd: dir });
    assert.equal((await tx.exited).code, 0, tx.stderr());
  }
  await rx.waitFor(/sender left.*\n[\s\S]*sender left/);
  await sleep(200);
  assert.equal((await rx.stop()).code, 0);
  const sent = finalStats(join(dir, 'tx440.jsonl')).sent! + finalStats(join(dir, 'tx880.jsonl')).sent!;
  const got = finalStats(join(dir, 'rx.jsonl'));
  // Counters are the session's (SPEC §4): the second sender's stream adds to the first's.
  assert.equal(got.received, sent);
  assert.equal(got.lost, 0);
  assert.match(rx.stderr(), /sender connected[\s\S]*sender left[\s\S]*sender connected/);
});

test('a TCP sender retries until the receiver appears, saying so', async () => {
  const dir = tmpDir();
  const port = await freePort();
  const common = ['--headless', '--protocol', 'tcp', '--port', String(port), '--log-file', join(dir, 'log')];
  const tx = streamer(['send', ...common, '--source', 'tone', '--duration', '8', '--stats-json', join(dir, 'tx.jsonl')], { cwd: dir });
  await tx.waitFor('retrying');
  const rx = streamer(['receive', ...common, '--sink', 'null', '--stats-json', join(dir, 'rx.jsonl')], { cwd: dir });
  await tx.waitFor('connected to', 10_000);
  assert.equal((await tx.exited).code, 0, tx.stderr());
  await sleep(300);
  assert.equal((await rx.stop()).code, 0);
  const got = finalStats(join(dir, 'rx.jsonl'));
  assert.ok(got.received! > 100, `received ${got.received}`);
  assert.equal(got.lost, 0);
});
