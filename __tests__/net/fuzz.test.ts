// Seeded, repeatable fuzzing of everything that parses bytes from the network:
// the RTP decoder, the RFC 4571 splitter, SRTP unprotect and the receiver's
// packet path. Nothing may throw; every result is ok or a typed error.
// FUZZ_SEED=n picks another sequence; a failure message names the seed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { Receiver } from '../../src/session/receiver.js';
import { frame, split } from '../../src/net/transport/rfc4571.js';
import { deserializeRtp, serializeRtp } from '../../src/net/rtp/rtp.js';
import { SrtpProtector, SrtpUnprotector } from '../../src/net/srtp/srtp.js';
import { prng } from '../helpers/playout-sim.js';
import { QuietSink } from '../helpers/quiet-sink.js';

const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed);
let inputs = 0;


class Gen {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = prng(seed);
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  bytes(n: number): Buffer {
    const b = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) b[i] = this.int(0, 255);
    return b;
  }
  /** A well-formed RTP packet, sometimes with CSRCs, an extension, padding. */
  rtp(): Buffer {
    const cc = this.next() < 0.2 ? this.int(1, 15) : 0;
    const ext = this.next() < 0.2 ? this.int(0, 8) : -1;
    const pad = this.next() < 0.2 ? this.int(1, 16) : 0;
    const payload = this.bytes(this.int(0, 300) * 2);
    const header = Buffer.alloc(12 + cc * 4 + (ext >= 0 ? 4 + ext * 4 : 0));
    header[0] = 0x80 | (pad ? 0x20 : 0) | (ext >= 0 ? 0x10 : 0) | cc;
    header[1] = (this.next() < 0.5 ? 0x80 : 0) | this.pick([10, 11, 96, 0, 127]);
    header.writeUInt16BE(this.int(0, 0xffff), 2);
    header.writeUInt32BE(this.int(0, 0xffffffff), 4);
    header.writeUInt32BE(this.int(0, 0xffffffff), 8);
    if (ext >= 0) header.writeUInt16BE(ext, 12 + cc * 4 + 2);
    const padding = Buffer.alloc(pad);
    if (pad) padding[pad - 1] = pad;
    return Buffer.concat([header, payload, padding]);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(0, xs.length - 1)]!;
  }
  /** Flips, truncates, extends or overwrites a copy of `p`; always changes it. */
  mutate(p: Buffer): Buffer {
    for (;;) {
      let out = Buffer.from(p);
      const n = this.int(1, 4);
      for (let i = 0; i < n; i++) {
        const op = this.int(0, 4);
        if (op === 0 && out.length) out[this.int(0, out.length - 1)]! ^= 1 << this.int(0, 7);
        else if (op === 1 && out.length) out[this.int(0, Math.min(15, out.length - 1))] = this.int(0, 255);
        else if (op === 2) out = out.subarray(0, this.int(0, out.length));
        else if (op === 3) out = Buffer.concat([out, this.bytes(this.int(1, 40))]);
        else if (out.length) out[out.length - 1] = this.int(0, 255); // the padding count
      }
      if (!out.equals(p)) return out;
    }
  }
}

const RTP_ERRORS = new Set(['short', 'version', 'csrc-overrun', 'extension-overrun', 'padding-overrun']);
const SRTP_ERRORS = new Set(['short', 'version', 'header-overrun', 'auth', 'replay']);

function checkDecode(buf: Buffer, why: string): void {
  inputs++;
  const r = deserializeRtp(buf);
  if (!r.ok) {
    assert.ok(RTP_ERRORS.has(r.error), `${why}: untyped error ${String(r.error)} (seed ${SEED})`);
    return;
  }
  const p = r.packet;
  // The payload is a view inside the datagram, after the header and before the padding.
  assert.equal(p.payload.buffer, buf.buffer, `${why}: payload is a view (seed ${SEED})`);
  const start = p.payload.byteOffset - buf.byteOffset;
  assert.ok(start >= 12 + p.csrcs.length * 4 && start + p.payload.length + p.padding === buf.length, `${why}: payload bounds (seed ${SEED})`);
  assert.ok(p.payloadType >= 0 && p.payloadType <= 127 && p.sequenceNumber <= 0xffff);
}

test('the RTP decoder: 40 000 mutated packets and 20 000 random datagrams', () => {
  const g = new Gen(SEED);
  for (let i = 0; i < 20_000; i++) {
    const p = g.rtp();
    checkDecode(p, 'valid');
    assert.ok(deserializeRtp(p).ok, `a well-formed packet decodes (seed ${SEED}, case ${i})`);
    checkDecode(g.mutate(p), 'mutated');
  }
  for (let i = 0; i < 20_000; i++) checkDecode(g.bytes(g.int(0, 1600)), 'random');
  for (let i = 0; i < 20_000; i++) {
    // Random bytes behind a plausible first byte reach the length checks.
    const b = g.bytes(g.int(12, 200));
    b[0] = 0x80 | g.int(0, 0x3f);
    checkDecode(b, 'v2 random');
  }
});

test('serialize → deserialize round-trips header and payload', () => {
  const g = new Gen(SEED + 1);
  for (let i = 0; i < 5_000; i++) {
    inputs++;
    const h = { marker: g.next() < 0.5, payloadType: g.int(0, 127), sequenceNumber: g.int(0, 0xffff), timestamp: g.int(0, 0xffffffff), ssrc: g.int(0, 0xffffffff) };
    const payload = g.bytes(g.int(0, 1188));
    const r = deserializeRtp(serializeRtp(h, payload));
    assert.ok(r.ok);
    assert.deepEqual({ marker: r.packet.marker, payloadType: r.packet.payloadType, sequenceNumber: r.packet.sequenceNumber, timestamp: r.packet.timestamp, ssrc: r.packet.ssrc }, h);
    assert.deepEqual(r.packet.payload, payload);
  }
});

/** Feeds chunks through split() the way the TCP receiver does, carrying the rest. */
function deframe(chunks: Buffer[]): { frames: Buffer[]; error?: string } {
  const frames: Buffer[] = [];
  let rest = Buffer.alloc(0);
  for (const c of chunks) {
    const r = split(rest.length ? Buffer.concat([rest, c]) : c);
    for (const f of r.frames) frames.push(Buffer.from(f));
    if (r.error) return { frames, error: r.error };
    rest = Buffer.from(r.rest);
  }
  return { frames };
}

function chop(g: Gen, b: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < b.length; ) {
    const n = g.pick([1, 2, 3, g.int(1, 64), g.int(1, 2000)]);
    out.push(b.subarray(at, at + n));
    at += n;
  }
  return out;
}

test('the RFC 4571 splitter: 20 000 random chunkings reassemble exactly what was framed', () => {
  const g = new Gen(SEED + 2);
  for (let i = 0; i < 20_000; i++) {
    inputs++;
    const packets = Array.from({ length: g.int(1, 6) }, () => g.bytes(g.int(12, 1500)));
    const r = deframe(chop(g, Buffer.concat(packets.map(frame))));
    assert.equal(r.error, undefined, `seed ${SEED}, case ${i}`);
    assert.deepEqual(r.frames, packets, `seed ${SEED}, case ${i}`);
  }
});

test('the RFC 4571 splitter: 10 000 random byte streams never throw and never overrun', () => {
  const g = new Gen(SEED + 3);
  for (let i = 0; i < 10_000; i++) {
    inputs++;
    const stream = g.bytes(g.int(0, 3000));
    const r = deframe(chop(g, stream));
    assert.ok(r.error === undefined || r.error === 'bad-length');
    let used = 0;
    for (const f of r.frames) {
      assert.ok(f.length >= 12 && f.length <= 65535);
      used += 2 + f.length;
    }
    assert.ok(used <= stream.length);
  }
});

test('SRTP unprotect: 20 000 mutated packets and 10 000 random ones all fail with a typed error', () => {
  const g = new Gen(SEED + 4);
  const key = g.bytes(30);
  const tx = new SrtpProtector(key);
  let rx = new SrtpUnprotector(key);
  for (let i = 0; i < 20_000; i++) {
    inputs++;
    const plain = g.rtp();
    const wire = tx.protect(plain);
    const r = rx.unprotect(g.mutate(wire));
    assert.ok(!r.ok, `a changed packet never authenticates (seed ${SEED}, case ${i})`);
    assert.ok(SRTP_ERRORS.has(r.error));
    if (i % 1000 === 0) rx = new SrtpUnprotector(key);
  }
  for (let i = 0; i < 10_000; i++) {
    inputs++;
    const r = rx.unprotect(g.bytes(g.int(0, 1500)));
    assert.ok(!r.ok && SRTP_ERRORS.has(r.error));
  }
});

test('SRTP: untouched packets in random order inside the window all decrypt once', () => {
  const g = new Gen(SEED + 5);
  const key = g.bytes(30);
  const tx = new SrtpProtector(key);
  const rx = new SrtpUnprotector(key);
  const seq0 = g.int(0, 0xffff);
  const plain = Array.from({ length: 5_000 }, (_, i) => serializeRtp({ marker: false, payloadType: 11, sequenceNumber: (seq0 + i) & 0xffff, timestamp: i, ssrc: 9 }, g.bytes(20)));
  const wire = plain.map((p) => tx.protect(p));
  // Swap neighbours at random: reordering within a few packets, as networks do.
  const order = wire.map((_, i) => i);
  for (let i = 1; i < order.length; i++) if (g.next() < 0.3) [order[i - 1], order[i]] = [order[i]!, order[i - 1]!];
  for (const i of order) {
    inputs++;
    const r = rx.unprotect(wire[i]!);
    assert.ok(r.ok, `packet ${i} (seed ${SEED})`);
    assert.deepEqual(r.packet, plain[i]);
    assert.deepEqual(rx.unprotect(wire[i]!), { ok: false, error: 'replay' });
  }
});

test('the receiver: 20 000 hostile datagrams are all counted and none reaches its error path', async () => {
  const g = new Gen(SEED + 6);
  const errors: string[] = [];
  const log = pino({ level: 'warn' }, { write: (line: string) => void (line.includes('"level":50') && errors.push(line)) });
  let now = 0;
  const rx = new Receiver({ format: { rate: 48000, channels: 2 }, jitter: { mode: 'fixed', ms: 40 }, now: () => now }, new QuietSink('fuzz'), log);
  const peer = { address: '192.0.2.1', port: 9 };
  for (let i = 0; i < 20_000; i++) {
    inputs++;
    now += 0.5;
    const kind = g.int(0, 2);
    const d = kind === 0 ? g.rtp() : kind === 1 ? g.mutate(g.rtp()) : g.bytes(g.int(0, 1600));
    rx.handlePacket(d, peer);
  }
  const s = rx.sample(0);
  assert.deepEqual(errors, [], `seed ${SEED}`);
  // Each datagram lands in exactly one counter: dropped as malformed or rejected, or taken (new or a duplicate).
  assert.equal(s.malformed + s.rejected + s.received + s.duplicates, 20_000, `seed ${SEED}: ${JSON.stringify(s)}`);
  await rx.stop();
});

test('a bug in packet handling is logged once with its stack, then only counted', async () => {
  const lines: string[] = [];
  const log = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
  const unprotect = (): Buffer => {
    throw new Error('boom');
  };
  const rx = new Receiver({ format: { rate: 44100, channels: 1 }, jitter: { mode: 'fixed', ms: 40 }, unprotect }, new QuietSink('fuzz'), log);
  for (let i = 0; i < 1000; i++) rx.handlePacket(Buffer.alloc(100), { address: '192.0.2.1', port: 9 });
  rx.flushWarnings();
  assert.equal(rx.sample(0).malformed, 1000);
  assert.equal(lines.filter((l) => l.includes('"level":50')).length, 1);
  assert.match(lines[0]!, /boom/);
  assert.match(lines.at(-1)!, /999 packet handling failed/);
  await rx.stop();
});

test(`at least 100 000 generated inputs ran (seed ${SEED})`, () => {
  assert.ok(inputs >= 100_000, `${inputs} inputs`);
});
