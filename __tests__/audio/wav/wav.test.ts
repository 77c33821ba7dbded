import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWavHeader, wavHeader } from '../../../src/audio/wav/wav.js';

/** A RIFF/WAVE file built chunk by chunk, for formats the writer never makes. */
function riff(...chunks: Array<[string, Buffer]>): Buffer {
  const parts = chunks.map(([id, body]) => {
    const head = Buffer.alloc(8);
    head.write(id, 0, 'latin1');
    head.writeUInt32LE(body.length, 4);
    return Buffer.concat([head, body, Buffer.alloc(body.length & 1)]);
  });
  const body = Buffer.concat([Buffer.from('WAVE', 'latin1'), ...parts]);
  const head = Buffer.alloc(8);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
}

function fmt(tag: number, channels: number, rate: number, bits: number, extra?: Buffer): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt16LE(tag, 0);
  b.writeUInt16LE(channels, 2);
  b.writeUInt32LE(rate, 4);
  b.writeUInt32LE((rate * channels * bits) / 8, 8);
  b.writeUInt16LE((channels * bits) / 8, 12);
  b.writeUInt16LE(bits, 14);
  return extra ? Buffer.concat([b, extra]) : b;
}

/** WAVE_FORMAT_EXTENSIBLE tail: cbSize, valid bits, channel mask, subformat GUID. */
function extensible(subTag: number, bits: number): Buffer {
  const b = Buffer.alloc(24);
  b.writeUInt16LE(22, 0);
  b.writeUInt16LE(bits, 2);
  b.writeUInt32LE(0x3, 4);
  b.writeUInt16LE(subTag, 8);
  Buffer.from('000000001000800000aa00389b71', 'hex').copy(b, 10);
  return b;
}

test('wavHeader: 44100 Hz mono with 882 data bytes is the hand-computed 44 bytes', () => {
  const expected = Buffer.from(
    '52494646' + '96030000' + '57415645' + // RIFF, 36 + 882, WAVE
      '666d7420' + '10000000' + '0100' + '0100' + // fmt , 16, PCM, 1 channel
      '44ac0000' + '88580100' + '0200' + '1000' + // 44100 Hz, 88200 B/s, align 2, 16 bits
      '64617461' + '72030000', // data, 882
    'hex',
  );
  assert.deepEqual(wavHeader({ rate: 44100, channels: 1 }, 882), expected);
});

test('wavHeader: stereo sets block align 4 and byte rate rate × 4', () => {
  const h = wavHeader({ rate: 48000, channels: 2 }, 0);
  assert.equal(h.length, 44);
  assert.equal(h.readUInt16LE(22), 2);
  assert.equal(h.readUInt32LE(28), 192000);
  assert.equal(h.readUInt16LE(32), 4);
  assert.equal(h.readUInt32LE(4), 36);
});

test('parseWavHeader round-trips wavHeader', () => {
  const info = parseWavHeader(wavHeader({ rate: 48000, channels: 2 }, 1000));
  assert.deepEqual(info, { format: { rate: 48000, channels: 2 }, dataOffset: 44, dataBytes: 1000 });
});

test('parseWavHeader skips LIST and odd-sized chunks before data', () => {
  const buf = riff(['fmt ', fmt(1, 1, 8000, 16)], ['LIST', Buffer.from('INFOx')], ['data', Buffer.alloc(6)]);
  // 12 + 24 (fmt) + 8 + 5 + 1 pad (LIST) + 8 (data header)
  assert.deepEqual(parseWavHeader(buf), { format: { rate: 8000, channels: 1 }, dataOffset: 58, dataBytes: 6 });
});

test('parseWavHeader accepts WAVE_FORMAT_EXTENSIBLE with a PCM 16-bit subformat', () => {
  const buf = riff(['fmt ', fmt(0xfffe, 2, 44100, 16, extensible(1, 16))], ['data', Buffer.alloc(4)]);
  const info = parseWavHeader(buf);
  assert.ok(!('error' in info));
  assert.deepEqual(info.format, { rate: 44100, channels: 2 });
});

test('parseWavHeader returns the data size as written, even 0 (a crashed writer)', () => {
  const info = parseWavHeader(wavHeader({ rate: 8000, channels: 1 }, 0));
  assert.ok(!('error' in info));
  assert.equal(info.dataBytes, 0);
});

const rejects: Array<[string, Buffer, string]> = [
  ['8-bit', riff(['fmt ', fmt(1, 1, 8000, 8)], ['data', Buffer.alloc(2)]), 'WAV is 8-bit; streamer needs 16-bit PCM'],
  ['24-bit', riff(['fmt ', fmt(1, 2, 48000, 24)], ['data', Buffer.alloc(6)]), 'WAV is 24-bit; streamer needs 16-bit PCM'],
  ['float', riff(['fmt ', fmt(3, 1, 48000, 32)], ['data', Buffer.alloc(4)]), 'WAV is 32-bit float; streamer needs 16-bit PCM'],
  [
    'extensible float',
    riff(['fmt ', fmt(0xfffe, 2, 48000, 32, extensible(3, 32))], ['data', Buffer.alloc(8)]),
    'WAV is 32-bit float; streamer needs 16-bit PCM',
  ],
  ['µ-law', riff(['fmt ', fmt(7, 1, 8000, 8)], ['data', Buffer.alloc(2)]), 'WAV is compressed (format 0x0007); streamer needs 16-bit PCM'],
  ['6 channels', riff(['fmt ', fmt(1, 6, 48000, 16)], ['data', Buffer.alloc(12)]), 'WAV has 6 channels; streamer needs mono or stereo'],
  ['192 kHz', riff(['fmt ', fmt(1, 2, 192000, 16)], ['data', Buffer.alloc(4)]), 'WAV is 192000 Hz; streamer needs 8000–96000 Hz'],
  ['garbage', Buffer.from('this is not audio at all, just text'), 'not a WAV file'],
  ['too short', Buffer.from('RIFF'), 'not a WAV file (too short)'],
  ['no data chunk', riff(['fmt ', fmt(1, 1, 8000, 16)]), 'WAV has no data chunk'],
  ['data before fmt', riff(['data', Buffer.alloc(2)], ['fmt ', fmt(1, 1, 8000, 16)]), 'WAV has no fmt chunk before its data'],
];

for (const [what, buf, error] of rejects) {
  test(`parseWavHeader rejects ${what} with "${error}"`, () => {
    assert.deepEqual(parseWavHeader(buf), { error });
  });
}
