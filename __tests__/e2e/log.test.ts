// The rotating log of a real stream (SPEC §6): rotation, rate-limited warnings, volume.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, sleep, streamer, tmpDir } from '../helpers/cli.js';

function jsonLines(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

test('a stream at trace with --log-max-size 20K --log-max-files 2 keeps 3 files of valid JSON lines', async () => {
  const dir = tmpDir();
  const port = await freePort();
  mkdirSync(join(dir, 'logs')); // the log's directory must exist, as for every file streamer writes
  const log = ['--log-file', join(dir, 'logs', 'rx.log'), '--log-max-size', '20K', '--log-max-files', '2', '--log-level', 'trace'];
  const rx = streamer(['receive', '--headless', '--port', String(port), '--sink', 'null', ...log], { cwd: dir });
  await rx.waitFor('listening on');
  const tx = streamer(['send', '--headless', '--port', String(port), '--source', 'tone', '--duration', '3', '--log-file', join(dir, 'tx.log')], { cwd: dir });
  assert.equal((await tx.exited).code, 0, tx.stderr());
  await sleep(300);
  assert.equal((await rx.stop()).code, 0);
  const files = readdirSync(join(dir, 'logs')).sort();
  assert.deepEqual(files, ['rx.log', 'rx.log.1', 'rx.log.2'], '300 packets at trace rotate more than twice; only 2 old files stay');
  for (const f of files) {
    const lines = jsonLines(join(dir, 'logs', f));
    // The current file may have just been started by a rotation; the rotated ones are full.
    if (f !== 'rx.log') assert.ok(lines.length > 0, f);
    for (const l of lines) {
      assert.equal(typeof l.level, 'number');
      assert.equal(typeof l.time, 'number');
      assert.equal(typeof l.msg, 'string');
    }
    assert.ok(statSync(join(dir, 'logs', f)).size <= 21 * 1024, `${f} rotated near 20K`);
  }
});

test('100 000 malformed datagrams in 10 s make at most ~10 warning lines', async () => {
  const dir = tmpDir();
  const port = await freePort();
  const rx = streamer(['receive', '--headless', '--port', String(port), '--sink', 'null', '--log-file', join(dir, 'rx.log'), '--stats-json', join(dir, 's.jsonl')], { cwd: dir });
  await rx.waitFor('listening on');
  const sock = dgram.createSocket('udp4');
  const junk = Buffer.from('not rtp at all');
  const start = performance.now();
  let sent = 0;
  // 10 000 per second, in 100 bursts of 100.
  while (sent < 100_000) {
    const due = Math.min(100_000, Math.floor(((performance.now() - start) / 10_000) * 100_000) + 100);
    while (sent < due) {
      sock.send(junk, port, '127.0.0.1');
      sent++;
    }
    await sleep(10);
  }
  await sleep(1500);
  sock.close();
  assert.equal((await rx.stop()).code, 0);
  const warns = jsonLines(join(dir, 'rx.log')).filter((l) => l.level === 40);
  assert.ok(warns.length >= 5, `the flood is reported (${warns.length} lines)`);
  assert.ok(warns.length <= 13, `${warns.length} warning lines for ${sent} malformed datagrams`);
  const final = jsonLines(join(dir, 's.jsonl')).at(-1)!;
  // Some may be dropped by the kernel under load; whatever arrived was counted.
  assert.ok((final.malformed as number) > 50_000, `malformed ${String(final.malformed)}`);
});

test('at info, a clean stream logs well under 1 MB an hour', async () => {
  const dir = tmpDir();
  const port = await freePort();
  const rx = streamer(['receive', '--headless', '--port', String(port), '--sink', 'null', '--log-file', join(dir, 'rx.log')], { cwd: dir });
  await rx.waitFor('listening on');
  const tx = streamer(['send', '--headless', '--port', String(port), '--source', 'tone', '--duration', '22', '--log-file', join(dir, 'tx.log')], { cwd: dir });
  assert.equal((await tx.exited).code, 0);
  await sleep(300);
  await rx.stop();
  for (const f of ['rx.log', 'tx.log']) {
    const lines = jsonLines(join(dir, f));
    // What recurs: the 10-second stats lines (start, connection and exit lines happen once).
    const periodic = lines.filter((l) => l.stats !== undefined);
    assert.ok(periodic.length >= 2, `${f}: stats every 10 s (${periodic.length})`);
    const bytesPer10s = periodic.reduce((n, l) => n + JSON.stringify(l).length + 1, 0) / periodic.length;
    const perHour = bytesPer10s * 360 + statSync(join(dir, f)).size;
    assert.ok(perHour < 512 * 1024, `${f}: ${Math.round(perHour / 1024)} KiB an hour`);
    assert.equal(lines.filter((l) => (l.level as number) < 30).length, 0, 'nothing below info');
  }
});
