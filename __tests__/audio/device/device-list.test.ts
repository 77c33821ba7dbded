import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeProblem, formatDeviceTable, formatsToTry, pickDevice, toDeviceList, type RawDevice } from '../../../src/audio/device/device-list.js';

const raw = (id: number, name: string, inCh: number, outCh: number, rate = 44100): RawDevice => ({
  id,
  name,
  maxInputChannels: inCh,
  maxOutputChannels: outCh,
  defaultSampleRate: rate,
  hostAPIName: 'ALSA',
});
const NO_DEVICE = 4294967295; // paNoDevice as naudiodon reports it
const list = toDeviceList([raw(0, 'spk', 0, 2, 48000), raw(1, 'mic', 1, 0), raw(2, 'default', 32, 32)], {
  defaultHostAPI: 0,
  HostAPIs: [{ defaultInput: 2, defaultOutput: 0 }],
});

test('paNoDevice (an unsigned -1) means no default device', () => {
  const l = toDeviceList([], { defaultHostAPI: 0, HostAPIs: [{ defaultInput: NO_DEVICE, defaultOutput: NO_DEVICE }] });
  assert.deepEqual(l, { devices: [], defaultInput: null, defaultOutput: null });
});

test('the defaults come from the default host API', () => {
  assert.equal(list.defaultInput, 2);
  assert.equal(list.defaultOutput, 0);
  assert.deepEqual(list.devices[0], { id: 0, name: 'spk', hostApi: 'ALSA', inputChannels: 0, outputChannels: 2, defaultRate: 48000 });
});

test('no id picks the default device of the direction', () => {
  const p = pickDevice(list, 'output', null);
  assert.ok(p.ok);
  assert.equal(p.device.name, 'spk');
});

test('an id that does not exist is a bad device, naming the ids there are', () => {
  assert.deepEqual(pickDevice(list, 'input', 999), { ok: false, kind: 'bad-device', message: 'no audio device 999 (ids are 0–2)' });
});

test('a device without channels in the direction is a bad device', () => {
  const p = pickDevice(list, 'input', 0);
  assert.equal(p.ok, false);
  assert.match(!p.ok ? p.message : '', /device 0 \(spk\) has no input channels/);
});

test('no devices at all is no-device, not bad-device, when no id was given', () => {
  const empty = toDeviceList([], { defaultHostAPI: 0, HostAPIs: [] });
  assert.deepEqual(pickDevice(empty, 'output', null), { ok: false, kind: 'no-device', message: 'PortAudio finds no audio devices' });
});

test('a problem line says what failed and what to try', () => {
  assert.equal(
    describeProblem('input', 'no default input device'),
    'microphone unavailable: no default input device — see `streamer devices`, or use --source tone',
  );
  assert.match(describeProblem('output', 'x'), /^speaker unavailable: x — .*--sink null$/);
});

test('the table lists id, name, channels and rate, and marks the defaults', () => {
  const lines = formatDeviceTable(list).split('\n');
  assert.match(lines[0]!, /ID\s+NAME\s+API\s+IN\s+OUT\s+RATE/);
  assert.match(lines[1]!, /^\*\s+0\s+spk\s+ALSA\s+0\s+2\s+48000\s+default output$/);
  assert.match(lines[2]!, /^\s+1\s+mic\s+ALSA\s+1\s+0\s+44100$/);
  assert.match(lines[3]!, /^\*\s+2\s+default\s+ALSA\s+32\s+32\s+44100\s+default input$/);
});

test('an empty table says so and what works without a device', () => {
  const text = formatDeviceTable({ devices: [], defaultInput: null, defaultOutput: null });
  assert.match(text, /No audio devices found/);
  assert.match(text, /--source tone/);
});

test('a device is tried at the stream format first, then at its own rate', () => {
  const spk = list.devices[0]!; // 2 output channels, 48 kHz
  assert.deepEqual(formatsToTry({ rate: 44100, channels: 2 }, spk, 'output'), [
    { rate: 44100, channels: 2 },
    { rate: 48000, channels: 2 },
  ]);
  assert.deepEqual(formatsToTry({ rate: 48000, channels: 1 }, spk, 'output'), [{ rate: 48000, channels: 1 }]);
});

test('a mono microphone is opened mono for a stereo stream (the parent upmixes)', () => {
  const mic = list.devices[1]!;
  assert.deepEqual(formatsToTry({ rate: 44100, channels: 2 }, mic, 'input'), [{ rate: 44100, channels: 1 }]);
});
