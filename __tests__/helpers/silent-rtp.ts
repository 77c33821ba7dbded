// RTP packets the receiver unit tests feed it by hand.

/** PT 11 (L16 44.1 kHz mono), 10 ms of silence. */
export function silentRtp(ssrc: number, seq: number): Buffer {
  const p = Buffer.alloc(12 + 882);
  p[0] = 0x80;
  p[1] = 11;
  p.writeUInt16BE(seq & 0xffff, 2);
  p.writeUInt32BE((seq * 441) >>> 0, 4);
  p.writeUInt32BE(ssrc, 8);
  return p;
}
