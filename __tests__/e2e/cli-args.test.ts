// Command-line parsing the audit found broken: `--stats-json -`, stray
// STREAMER_* variables, and bad numbers echoed as NaN.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { freePort, streamerSync, tmpDir } from '../helpers/cli.js';

function assertOneLineError(stderr: string, pattern: RegExp): void {
  assert.match(stderr, pattern);
  assert.doesNotMatch(stderr, /^\s+at /m, 'no stack trace');
  assert.equal(stderr.split('\n').filter((l) => l.startsWith('streamer:')).length, 1, stderr);
}

test('--stats-json - (spaced) writes JSON lines to stdout, exit 0', async () => {
  const dir = tmpDir();
  const port = await freePort();
  const r = streamerSync(
    ['receive', '--sink', 'null', '--headless', '--duration', '1', '--port', String(port), '--log-file', join(dir, 'log'), '--stats-json', '-'],
    { cwd: dir, timeoutMs: 30_000 },
  );
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(lines.at(-1)?.final, true, r.stdout);
  assert.equal(lines.at(-1)?.role, 'receiver');
});

test('--stats-json without a value is a usage error, exit 2', () => {
  const r = streamerSync(['sdp', '--stats-json']);
  assert.equal(r.code, 2, r.stderr);
  assertOneLineError(r.stderr, /Not enough arguments following: stats-json/);
});

test('STREAMER_DEBUG does not break a command', () => {
  const r = streamerSync(['sdp'], { env: { STREAMER_DEBUG: '1' } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^m=audio 12345 /m);
});

test('unknown STREAMER_* variables are ignored, and so is an option the command does not have', () => {
  const r = streamerSync(['devices', '--json'], { env: { STREAMER_FOO: '1', STREAMER_FOO_BAR: 'x', STREAMER_PORT: '5004' } });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(Array.isArray((JSON.parse(r.stdout) as { devices: unknown }).devices), r.stdout);
});

test('a STREAMER_* variable that names an option still sets it', () => {
  const r = streamerSync(['sdp'], { env: { STREAMER_PORT: '5004', STREAMER_FOO: '1' } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^m=audio 5004 /m);
});

test('an unknown flag stays a usage error even when a STREAMER_* variable has its name', () => {
  const r = streamerSync(['sdp', '--foo', '2'], { env: { STREAMER_FOO: '1' } });
  assert.equal(r.code, 2, r.stderr);
  assertOneLineError(r.stderr, /Unknown argument: foo/);
});

test('a numeric option that is no number is quoted as typed, exit 2', () => {
  for (const [args, pattern] of [
    [['--port', 'abc'], /streamer: --port abc: must be a whole number/],
    [['--device', 'x'], /streamer: --device x: must be a device id/],
    [['--rate', '44k'], /streamer: --rate 44k: must be a sample rate/],
    [['--duration', 'soon'], /streamer: --duration soon: must be a positive/],
    [['--sim-loss', 'lots'], /streamer: --sim-loss lots: must be a percentage/],
  ] as const) {
    const r = streamerSync(['send', '--headless', ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assertOneLineError(r.stderr, pattern);
    assert.doesNotMatch(r.stderr, /NaN/);
  }
});

test('a bad number from the environment is quoted as set', () => {
  const r = streamerSync(['sdp'], { env: { STREAMER_PORT: 'abc' } });
  assert.equal(r.code, 2, r.stderr);
  assertOneLineError(r.stderr, /streamer: --port abc: must be a whole number/);
});

test('a numeric option without its value is a usage error, not the default, exit 2', () => {
  const r = streamerSync(['sdp', '--port']);
  assert.equal(r.code, 2, r.stderr);
  assertOneLineError(r.stderr, /Not enough arguments following: port/);
});

test('numbers still parse: negative, decimal, alias', () => {
  const r = streamerSync(['sdp', '--sim-drift-ppm', '-50', '--size', '2.5', '--port', '5006']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^m=audio 5006 /m);
  assert.match(r.stdout, /^a=ptime:2.5$/m);
});

test('multicast and SAP flags: bad values and clashing ones are one usage line, exit 2', () => {
  const cases: [string[], RegExp][] = [
    [['send', '--ttl', '300'], /streamer: --ttl 300: must be a whole number of hops from 0 to 255/],
    [['receive', '--iface', 'eth0'], /streamer: --iface eth0: give the IPv4 address of the interface/],
    [['send', '--sap', '--protocol', 'tcp'], /streamer: --sap announces and finds UDP streams/],
    [['streams', '--seconds', '0'], /streamer: --seconds 0: must be a number of seconds/],
    [['receive', '--bind', '239.1.2.3', '--protocol', 'tcp'], /streamer: --bind 239\.1\.2\.3 is a multicast group, and multicast is UDP only/],
  ];
  for (const [args, pattern] of cases) {
    const r = streamerSync([...args, '--headless'].filter((a) => !(args[0] === 'streams' && a === '--headless')));
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assertOneLineError(r.stderr, pattern);
  }
});

test('`streamer sdp` for a multicast group carries its TTL in c=', () => {
  const r = streamerSync(['sdp', '--host', '239.1.2.3', '--ttl', '8']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^c=IN IP4 239\.1\.2\.3\/8\r$/m);
});
