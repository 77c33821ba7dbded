// The receiver's own stall is not network jitter (issue 19). A clean loopback
// stream (GStreamer's live test source, paced by its clock) into `streamer
// receive`; the receiver process is stopped for 200 ms (SIGSTOP/SIGCONT: a
// real stall, no hook) just before a stats second ends. With the batch reader
// every datagram carries the kernel's receive time, so `jitterMs` stays under
// 2 ms; with Node's dgram (STREAMER_RECV=dgram) the arrival is when JavaScript
// got to it, and the same stall shows as jitter.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, readJsonLines, requireTool, sleep, streamer, tmpDir } from '../helpers/cli.js';
import { tool } from '../helpers/interop.js';
import { NATIVE_RECV_PATH } from '../../src/net/transport/native-recv.js';

const STALL_MS = 200;

function statsLines(file: string): Record<string, unknown>[] {
  return existsSync(file) ? readJsonLines(file) : [];
}

async function stalledRun(t: TestContext, path: 'native' | 'dgram', jitterMs = '300'): Promise<{ before: number[]; after: number; log: string; late: number; whole: Record<string, unknown> }> {
  const dir = tmpDir();
  const port = await freePort();
  const stats = join(dir, 'rx.jsonl');
  const log = join(dir, 'rx.log');
  const rx = streamer(
    ['receive', '--headless', '--port', String(port), '--sink', 'null', '--jitter-ms', jitterMs, '--stats-json', stats, '--log-file', log, '--log-level', 'debug'],
    { cwd: dir, env: { STREAMER_RECV: path } },
  );
  await rx.waitFor('listening on');
  const gst = tool(
    'gst-launch-1.0',
    ['-q', 'audiotestsrc', 'is-live=true', 'samplesperbuffer=441', 'num-buffers=800', '!', 'audio/x-raw,format=S16BE,rate=44100,channels=1', '!', 'rtpL16pay', 'pt=11', '!', 'udpsink', 'host=127.0.0.1', `port=${port}`],
    { cwd: dir, timeoutMs: 30_000 },
  );
  t.after(() => void gst.stop('SIGKILL'));
  // Three clean seconds of stats, then stop the receiver so that it resumes ~100 ms before the next second's line.
  const deadline = Date.now() + 15_000;
  while (statsLines(stats).filter((l) => (l.received as number) > 0).length < 3 && Date.now() < deadline) await sleep(10);
  const seen = statsLines(stats).length;
  while (statsLines(stats).length === seen && Date.now() < deadline) await sleep(5);
  const cleanSeconds = statsLines(stats).filter((l) => (l.received as number) > 0).slice(1);
  await sleep(1000 - STALL_MS - 150);
  process.kill(rx.child.pid!, 'SIGSTOP');
  await sleep(STALL_MS);
  process.kill(rx.child.pid!, 'SIGCONT');
  const stalledAt = statsLines(stats).length;
  while (statsLines(stats).length === stalledAt && Date.now() < deadline) await sleep(5);
  const after = statsLines(stats)[stalledAt]!;
  await gst.stop('SIGINT');
  assert.equal((await rx.stop('SIGTERM')).code, 0, rx.stderr());
  return { before: cleanSeconds.map((l) => l.jitterMs as number), after: after.jitterMs as number, log: readFileSync(log, 'utf8'), late: after.late as number, whole: after };
}

/** gst-launch-1.0 and the batch reader are both here (CI must have the reader: npm ci builds it). */
function canRun(t: TestContext): boolean {
  if (!requireTool(t, 'gst-launch-1.0')) return false;
  if (process.platform !== 'linux' || !existsSync(NATIVE_RECV_PATH)) {
    if (process.env.CI === 'true' && process.platform === 'linux') throw new Error('native/recv is not built, and CI must run this test (npm ci builds it)');
    t.skip('the batch reader (native/recv) is not built here');
    return false;
  }
  return true;
}

test('a 200 ms stall of the receiver: jitterMs stays under 2 ms with kernel receive times, and jumps with JS arrival times', async (t) => {
  if (!canRun(t)) return;
  // The claim needs a clean stream around the stall: a sender disturbed by a loaded box (CI runs two test
  // files at once) shows as jitter in kernel times too, rightly. Such a run is measured again, up to twice.
  let native = await stalledRun(t, 'native');
  for (let again = 0; again < 2 && !native.before.every((j) => j < 2); again++) {
    t.diagnostic(`the sender was not clean before the stall (jitterMs ${native.before.join(', ')}): once more`);
    native = await stalledRun(t, 'native');
  }
  assert.match(native.log, /receive path: recvmmsg/, 'the log names the batch path');
  assert.ok(native.before.every((j) => j < 2), `clean seconds before the stall: ${native.before.join(', ')} ms`);
  assert.ok(native.after < 2, `kernel receive times: jitterMs ${native.after} ms the second the receiver stalled ${STALL_MS} ms`);

  t.diagnostic(`kernel times: before ${native.before.join(', ')} ms, stalled second ${native.after} ms`);
  const js = await stalledRun(t, 'dgram');
  t.diagnostic(`JS times: before ${js.before.join(', ')} ms, stalled second ${js.after} ms`);
  assert.match(js.log, /receive path: Node dgram/, 'the log names the dgram path');
  // (No bound on its clean seconds: JS arrival times carry the loop's own lateness even without a stall.)
  // A.8's J after 200 ms of arrivals bunched into one read: ~12 ms, decaying with 1/16 a packet.
  assert.ok(js.after > 3, `JS arrival times: jitterMs ${js.after} ms the second the receiver stalled (the stall counted as network jitter)`);
  assert.ok(js.after > 2 * native.after, `dgram ${js.after} ms against kernel ${native.after} ms`);
});

test('a 200 ms stall of a null-sink receiver at --jitter-ms 40: its replayed pulls lose nothing (late, underruns, concealment all 0)', async (t) => {
  if (!canRun(t)) return;
  // The null sink wakes every 40 ms and makes each 10 ms pull as of its due time, with the
  // datagrams that had arrived by then: a stall of our own loop delays the pulls, not what they play.
  const run = await stalledRun(t, 'native', '40');
  assert.match(run.log, /replays its 10 ms pulls at their due times/, 'the log names the replayed pulls');
  const w = run.whole;
  t.diagnostic(`stalled second: late ${w.late}, underruns ${w.underruns}, concealedMs ${w.concealedMs}, jitterMs ${w.jitterMs}, bufferMs ${w.bufferMs}`);
  assert.equal(w.late, 0);
  assert.equal(w.underruns, 0);
  assert.equal(w.concealedMs, 0);
  assert.ok((w.jitterMs as number) < 2, `jitterMs ${w.jitterMs}`);
});
