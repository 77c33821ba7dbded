// Mistakes a user can make: one clear line, the right exit code, no stack trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, streamerSync, tmpDir } from '../helpers/cli.js';

function assertOneLineError(stderr: string, pattern: RegExp): void {
  assert.match(stderr, pattern);
  assert.doesNotMatch(stderr, /^\s+at /m, 'no stack trace');
  const errorLines = stderr.split('\n').filter((l) => l.startsWith('streamer:'));
  assert.equal(errorLines.length, 1, stderr);
}

test('an unknown flag is a usage error, exit 2', () => {
  const r = streamerSync(['send', '--headless', '--no-such-flag']);
  assert.equal(r.code, 2);
  assertOneLineError(r.stderr, /streamer: Unknown argument/i);
});

test('a bad flag value says which flag and what it takes, exit 2', () => {
  for (const [args, pattern] of [
    [['--port', '70000'], /--port 70000: must be a whole number from 1 to 65535/],
    [['--rate', '5'], /--rate 5: must be a sample rate/],
    [['--channels', '3'], /--channels 3: must be 1 or 2/],
    [['--frame-ms', '7'], /--frame-ms 7: must be a multiple of 2.5/],
    [['--source', 'radio'], /--source "radio" is not one of/],
    [['--key', 'c2hvcnQ='], /SRTP key is base64 of exactly 30 bytes/],
    [['--log-max-size', 'lots'], /invalid log size/],
  ] as const) {
    const r = streamerSync(['send', '--headless', ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assertOneLineError(r.stderr, pattern);
  }
});

test('a receiver on a port in use says so, exit 1', async () => {
  const port = await freePort();
  const udp = dgram.createSocket('udp4');
  await new Promise<void>((r) => udp.bind(port, '0.0.0.0', () => r()));
  const tcp = net.createServer();
  await new Promise<void>((r) => tcp.listen(port, '0.0.0.0', () => r()));
  try {
    for (const protocol of ['udp', 'tcp']) {
      const dir = tmpDir();
      const r = streamerSync(['receive', '--headless', '--protocol', protocol, '--port', String(port), '--sink', 'null', '--log-file', join(dir, 'log')], { cwd: dir });
      assert.equal(r.code, 1, r.stderr);
      assertOneLineError(r.stderr, new RegExp(`cannot listen on ${protocol.toUpperCase()} .*:${port}: address already in use`));
    }
  } finally {
    udp.close();
    tcp.close();
  }
});

test('an unreadable WAV source says which file, exit 1', () => {
  const dir = tmpDir();
  writeFileSync(join(dir, 'junk.wav'), 'this is not audio');
  for (const file of [join(dir, 'missing.wav'), join(dir, 'junk.wav')]) {
    const r = streamerSync(['send', '--headless', '--source', `file:${file}`, '--log-file', join(dir, 'log')], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    assertOneLineError(r.stderr, new RegExp(`streamer: .*${file.replace(/[.]/g, '\\.')}`));
  }
});

test('a host that does not resolve is a clear error, exit 1', () => {
  const dir = tmpDir();
  const r = streamerSync(['send', '--headless', '--source', 'tone', '--host', 'no-such-host.invalid', '--log-file', join(dir, 'log')], { cwd: dir });
  assert.equal(r.code, 1, r.stderr);
  assertOneLineError(r.stderr, /cannot resolve host "no-such-host.invalid"/);
});

test('--help lists the commands and the options', () => {
  const r = streamerSync(['--help']);
  assert.equal(r.code, 0);
  for (const word of ['send', 'receive', 'demo', 'devices', 'sdp', 'tui', 'STREAMER_']) assert.ok(r.stdout.includes(word), word);
  const s = streamerSync(['send', '--help']);
  for (const flag of ['--protocol', '--frame-ms', '--jitter-ms', '--record-dir', '--stats-json', '--sim-loss', '--log-max-size']) {
    assert.ok(s.stdout.includes(flag), flag);
  }
});

test('options can come from STREAMER_* environment variables', () => {
  const r = streamerSync(['send', '--headless'], { env: { STREAMER_PORT: '70000' } });
  assert.equal(r.code, 2);
  assertOneLineError(r.stderr, /--port 70000/);
});
