// UDP has no disconnect: the receiver says once when the locked sender falls
// silent, and once when it is back (SPEC §6, connection/disconnection).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PT_L16_MONO_44100 } from '../../src/net/rtp/payload-types.js';
import { serializeRtp } from '../../src/net/rtp/rtp.js';
import { freePort, sleep, streamer, tmpDir } from '../helpers/cli.js';

function messages(file: string): { msg: string; peer?: string }[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l)
    .map((l) => JSON.parse(l) as { msg: string; peer?: string });
}

test('a UDP sender that stops (saying so with RTCP BYE) is logged once, with its address, on stderr and in the log file', async () => {
  const dir = tmpDir();
  const port = await freePort();
  const log = join(dir, 'rx.log');
  // 8 s, not 6: room for a slow sender start on a loaded machine, and still ≥ 2 ticks of silence after the line.
  const rx = streamer(['receive', '--headless', '--port', String(port), '--sink', 'null', '--duration', '8', '--log-file', log], { cwd: dir });
  await rx.waitFor('listening on');
  const tx = streamer(['send', '--headless', '--port', String(port), '--source', 'tone', '--duration', '2', '--log-file', join(dir, 'tx.log')], { cwd: dir });
  assert.equal((await tx.exited).code, 0, tx.stderr());
  assert.equal((await rx.exited).code, 0, rx.stderr());

  const lines = messages(log);
  const locked = lines.find((l) => l.msg.startsWith('receiving from '));
  assert.ok(locked?.peer, `a "receiving from" line with the peer: ${JSON.stringify(lines.map((l) => l.msg))}`);
  // streamer's sender says BYE at a clean stop: that is the line, and no "stopped sending" after it
  // (a sender that just falls silent is the next test's).
  const stops = lines.filter((l) => /stopped sending|said goodbye/.test(l.msg));
  assert.equal(stops.length, 1, JSON.stringify(lines.map((l) => l.msg)));
  assert.equal(stops[0]!.peer, locked.peer);
  assert.match(stops[0]!.msg, new RegExp(`^the sender ${locked.peer.replace(/\./g, '\\.')} said goodbye \\(RTCP BYE\\)$`));
  assert.equal(lines.filter((l) => /sending again/.test(l.msg)).length, 0, 'the sender never came back');
  assert.equal(rx.stderr().split('\n').filter((l) => l.includes(`the sender ${locked.peer} said goodbye`)).length, 1, rx.stderr());
});

test('packets from the same SSRC after a silence are logged once as sending again', async () => {
  const dir = tmpDir();
  const port = await freePort();
  const log = join(dir, 'rx.log');
  const rx = streamer(['receive', '--headless', '--port', String(port), '--sink', 'null', '--log-file', log], { cwd: dir });
  await rx.waitFor('listening on');
  const sock = dgram.createSocket('udp4');
  let seq = 0;
  let sending = true;
  // 10 ms of 44.1 kHz mono silence a packet (within the 1500-byte limit), one SSRC throughout: a sender that pauses, not a new one.
  const send = async (until: () => boolean): Promise<void> => {
    for (; sending && !until(); seq++) {
      sock.send(serializeRtp({ marker: false, payloadType: PT_L16_MONO_44100, sequenceNumber: seq & 0xffff, timestamp: seq * 441, ssrc: 0x5e1f }, Buffer.alloc(882)), port, '127.0.0.1');
      await sleep(10);
    }
  };
  try {
    await send(() => seq >= 50);
    await rx.waitFor(/stopped sending/, 15_000);
    // Sent until the receiver is stopped, so no second silence can be seen.
    const resumed = send(() => false);
    await rx.waitFor(/sending again/, 15_000);
    await sleep(2500); // a couple of ticks more: still one line each
    assert.equal((await rx.stop()).code, 0);
    sending = false;
    await resumed;
  } finally {
    sending = false;
    sock.close();
  }
  const msgs = messages(log).map((l) => l.msg);
  assert.equal(msgs.filter((m) => /stopped sending/.test(m)).length, 1, JSON.stringify(msgs));
  assert.equal(msgs.filter((m) => /sending again/.test(m)).length, 1, JSON.stringify(msgs));
  assert.equal(msgs.filter((m) => m.startsWith('receiving from ')).length, 1, 'the same SSRC is not a new stream');
});
