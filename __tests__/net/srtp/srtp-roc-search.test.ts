// A receiver that joins (or restarts) mid-stream must guess the sender's
// rollover counter. The clock is injected: packets are "sent" by moving it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serializeRtp } from '../../../src/net/rtp/rtp.js';
import { SrtpProtector, SrtpUnprotector } from '../../../src/net/srtp/srtp.js';
import { rocSearchSpan } from '../../../src/net/srtp/roc-search.js';

const KEY = Buffer.alloc(30, 0x5a);
const SSRC = 0x0bad5eed;

function rtp(seq: number, ssrc = SSRC): Buffer {
  return serializeRtp({ marker: false, payloadType: 96, sequenceNumber: seq & 0xffff, timestamp: seq * 120, ssrc }, Buffer.alloc(240));
}

/** How many of the stream's packets go by before one authenticates (and every later one does too). */
function packetsToJoin(opts: { roc: number; intervalMs: number; max: number; between?: (i: number) => Buffer[] }): number {
  const tx = new SrtpProtector(KEY, opts.roc);
  const clock = { now: 0 };
  const rx = new SrtpUnprotector(KEY, () => clock.now);
  let joined = -1;
  for (let i = 0; i < opts.max; i++) {
    for (const junk of opts.between?.(i) ?? []) assert.equal(rx.unprotect(junk).ok, false);
    const r = rx.unprotect(tx.protect(rtp(1000 + i)));
    if (joined >= 0) assert.ok(r.ok && r.roc === opts.roc, `packet ${i} after joining at ${joined}`);
    else if (r.ok) {
      assert.equal(r.roc, opts.roc);
      joined = i;
    }
    clock.now += opts.intervalMs;
  }
  return joined;
}

test('2.5 ms packets, a receiver restarted 3 h in (66 wraps): the search reaches that far', () => {
  // 3 h at 400 packets/s is 4.32 M packets: 65.9 wraps of the 16-bit sequence number.
  const joined = packetsToJoin({ roc: 66, intervalMs: 2.5, max: 1200 });
  assert.ok(joined >= 0, 'never authenticated');
  assert.ok(joined < 800, `joined after ${joined} packets (2 s is 800)`);
});

test('the search covers a day of the stream at its measured packet rate', () => {
  assert.equal(rocSearchSpan(2, 10), 64, 'too soon to measure: the default 64');
  assert.equal(rocSearchSpan(21, 1000), 64, '20/s: a day is 27 wraps, but never fewer than 64');
  assert.equal(rocSearchSpan(101, 1000), Math.ceil((100 * 86_400) / 65_536) + 1);
  assert.equal(rocSearchSpan(401, 1000), Math.ceil((400 * 86_400) / 65_536) + 1);
  assert.equal(rocSearchSpan(1_000_001, 1000), 8192, 'bounded');
});

test('junk from other SSRCs cannot starve the real stream of guesses', () => {
  // 63 junk packets, each from a new SSRC, before each real one: in step with
  // a guess slot that all unknown SSRCs share (one packet in 64), the real
  // stream would never get it.
  let n = 0;
  const junk = (): Buffer => Buffer.concat([rtp(n, 0x7000_0000 + n++), Buffer.alloc(10)]);
  const between = (): Buffer[] => Array.from({ length: 63 }, junk);
  const joined = packetsToJoin({ roc: 30, intervalMs: 10, max: 100, between });
  assert.ok(joined >= 0, 'never authenticated');
  assert.ok(joined < 64, `joined after ${joined} packets`);
});
