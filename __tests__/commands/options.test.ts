import { test } from 'node:test';
import assert from 'node:assert/strict';
import { numberOrText, parseBitrate, parseCodec, parseFrameMsFor, parseIface, parsePort, parseTtl, shown, strayEnvKeys } from '../../src/commands/options.js';

test('numberOrText makes numeric text a number', () => {
  assert.equal(numberOrText('5004'), 5004);
  assert.equal(numberOrText('2.5'), 2.5);
  assert.equal(numberOrText('-50'), -50);
  assert.equal(numberOrText(20), 20);
});

test('numberOrText keeps text that is no number as typed', () => {
  assert.equal(numberOrText('abc'), 'abc');
  assert.equal(numberOrText(''), '');
  assert.equal(numberOrText('Infinity'), 'Infinity');
});

test('a bad numeric value is quoted as typed, an empty one as ""', () => {
  const bad = parsePort(numberOrText('abc'));
  assert.deepEqual(bad, { ok: false, error: '--port abc: must be a whole number from 1 to 65535' });
  assert.equal(shown(''), '""');
});

const KNOWN = ['help', 'version', 'port', 'frame-ms', 'size', 'frameMs', 'stats-json', 'statsJson'];

test('a STREAMER_* variable that names no option is stray', () => {
  const keys = ['_', '$0', 'port', 'debug', 'fooBar'];
  assert.deepEqual(strayEnvKeys(keys, KNOWN, ['send'], ['STREAMER_DEBUG', 'STREAMER_FOO_BAR', 'PATH']), ['debug', 'fooBar']);
});

test('a STREAMER_* variable that names an option or an alias is kept', () => {
  const keys = ['_', '$0', 'port', 'frameMs', 'size'];
  assert.deepEqual(strayEnvKeys(keys, KNOWN, [], ['STREAMER_PORT', 'STREAMER_FRAME_MS', 'STREAMER_SIZE']), []);
});

test('an unknown flag on the command line is never stray, even with a variable of its name', () => {
  for (const tokens of [['--foo'], ['--foo=1'], ['--no-foo'], ['-f'], ['-xfz']]) {
    const key = tokens[0] === '-f' || tokens[0] === '-xfz' ? 'f' : 'foo';
    assert.deepEqual(strayEnvKeys([key], KNOWN, tokens, [`STREAMER_${key.toUpperCase()}`]), [], tokens.join(' '));
  }
});

test('an unknown key no STREAMER_* variable names is left for yargs to refuse', () => {
  assert.deepEqual(strayEnvKeys(['foo'], KNOWN, [], ['FOO', 'STREAMERFOO']), []);
});

test('a flag after -- is a positional, not a flag naming the key', () => {
  assert.deepEqual(strayEnvKeys(['foo'], KNOWN, ['--', '--foo'], ['STREAMER_FOO']), ['foo']);
});

test('a nested STREAMER_A__B variable strays as its first part', () => {
  assert.deepEqual(strayEnvKeys(['foo'], KNOWN, [], ['STREAMER_FOO__BAR']), ['foo']);
});

test('--ttl is 0–255 hops; --iface an IPv4 interface address, quoted back as typed when not', () => {
  assert.deepEqual(parseTtl(1), { ok: true, value: 1 });
  assert.deepEqual(parseTtl(255), { ok: true, value: 255 });
  for (const bad of [256, -1, 1.5, 'x']) assert.equal(parseTtl(bad).ok, false);
  assert.deepEqual(parseIface(undefined), { ok: true, value: undefined });
  assert.deepEqual(parseIface('192.168.1.20'), { ok: true, value: '192.168.1.20' });
  const r = parseIface('eth0');
  assert.ok(!r.ok && r.error.startsWith('--iface eth0: give the IPv4 address'));
});

test('--codec is l16, l24 or opus', () => {
  assert.deepEqual(parseCodec('opus'), { ok: true, value: 'opus' });
  const bad = parseCodec('mp3');
  assert.equal(bad.ok, false);
  if (!bad.ok) assert.match(bad.error, /--codec mp3: must be l16, l24 or opus/);
});

test('--frame-ms follows the codec: Opus 10/20/40/60 (20 by default), L24 also 1 ms, L16 2.5 ms steps (10 by default)', () => {
  assert.deepEqual(parseFrameMsFor('opus', undefined), { ok: true, value: 20 });
  assert.deepEqual(parseFrameMsFor('l16', undefined), { ok: true, value: 10 });
  assert.deepEqual(parseFrameMsFor('opus', 60), { ok: true, value: 60 });
  assert.deepEqual(parseFrameMsFor('l24', 1), { ok: true, value: 1 });
  for (const [codec, ms, msg] of [['opus', 25, /Opus frames are 10, 20, 40 or 60 ms/], ['opus', 1, /Opus frames/], ['l16', 1, /1 ms packets are for --codec l24/]] as const) {
    const r = parseFrameMsFor(codec, ms);
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.error, msg);
  }
});

test('--bitrate is for Opus only: 64 kbit/s mono and 96 stereo by default, 6–510', () => {
  assert.deepEqual(parseBitrate('opus', undefined, 1), { ok: true, value: 64 });
  assert.deepEqual(parseBitrate('opus', undefined, 2), { ok: true, value: 96 });
  assert.deepEqual(parseBitrate('opus', 32, 1), { ok: true, value: 32 });
  const l16 = parseBitrate('l16', 64, 1);
  assert.equal(l16.ok, false);
  if (!l16.ok) assert.match(l16.error, /only --codec opus/);
  assert.equal(parseBitrate('opus', 2, 1).ok, false);
});
