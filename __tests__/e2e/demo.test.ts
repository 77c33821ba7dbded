// `streamer demo` (what `npm start` runs) on a machine where its port is taken.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { join } from 'node:path';
import { finalStats, freePort, streamer, streamerSync, tmpDir } from '../helpers/cli.js';

const DEMO = ['demo', '--source', 'tone', '--sink', 'null', '--headless', '--duration', '2'];
// The demo's own default; no STREAMER_PORT from the shell running the tests.
const DEFAULT_PORT = 12345;
const NO_ENV_PORT = { STREAMER_PORT: undefined };

/** Holds `port` on all addresses, as another program would; undefined when one already does. */
async function hold(protocol: 'udp' | 'tcp', port: number): Promise<(() => void) | undefined> {
  if (protocol === 'udp') {
    const u = dgram.createSocket('udp4');
    return new Promise((resolve) => {
      u.once('error', () => resolve(undefined));
      u.bind(port, '0.0.0.0', () => resolve(() => u.close()));
    });
  }
  const s = net.createServer();
  return new Promise((resolve) => {
    s.once('error', () => resolve(undefined));
    s.listen(port, '0.0.0.0', () => resolve(() => s.close()));
  });
}

function assertOneLineError(stderr: string, pattern: RegExp): void {
  assert.match(stderr, pattern);
  assert.doesNotMatch(stderr, /^\s+at /m, 'no stack trace');
  assert.equal(stderr.split('\n').filter((l) => l.startsWith('streamer:')).length, 1, stderr);
}

for (const protocol of ['udp', 'tcp'] as const) {
  test(`without --port, a demo whose ${DEFAULT_PORT} is taken (${protocol}) streams on a free port and says which`, async () => {
    // Taken either by us or by whoever else has it: both are the case under test.
    const release = await hold(protocol, DEFAULT_PORT);
    try {
      const dir = tmpDir();
      const stats = join(dir, 'stats.jsonl');
      const r = streamer([...DEMO, '--protocol', protocol, '--stats-json', stats, '--log-file', join(dir, 'log')], { cwd: dir, env: NO_ENV_PORT });
      const { code } = await r.exited;
      assert.equal(code, 0, r.stderr());
      const m = /demo: 440 Hz test tone → null sink over loopback on (UDP|TCP) port (\d+) \(12345 is taken\)/.exec(r.stderr());
      assert.ok(m, r.stderr());
      assert.equal(m[1], protocol.toUpperCase());
      assert.notEqual(Number(m[2]), DEFAULT_PORT);
      assert.ok((finalStats(stats).received ?? 0) > 0, 'the tone went through');
    } finally {
      release?.();
    }
  });
}

test('a taken port named with --port or STREAMER_PORT still fails the demo in one line, exit 1', async () => {
  const port = await freePort();
  const release = await hold('udp', port);
  try {
    for (const [args, env] of [
      [['--port', String(port)], NO_ENV_PORT],
      [[], { STREAMER_PORT: String(port) }],
    ] as const) {
      const dir = tmpDir();
      const r = streamerSync([...DEMO, ...args, '--log-file', join(dir, 'log')], { cwd: dir, env });
      assert.equal(r.code, 1, r.stderr);
      assertOneLineError(r.stderr, new RegExp(`streamer: cannot listen on UDP 127\\.0\\.0\\.1:${port}: address already in use`));
    }
  } finally {
    release?.();
  }
});
