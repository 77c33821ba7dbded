// SPEC §4's quality fields through the real CLI: mos, glitches by cause and
// recovered in --stats-json (and the screen-only history left out of it), and
// `s`'s replay save through the worker bridge the dashboard uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SessionConfig } from '../../src/session/config.js';
import { WavReader } from '../../src/audio/wav/wav-reader.js';
import { ROOT, finalStats, freePort, readJsonLines, sleep, streamer, tmpDir } from '../helpers/cli.js';
import { zeroCrossingHz } from '../helpers/signal.js';

interface Quality {
  mos: number | null;
  glitches: { network: number; late: number; underrun: number; total: number };
  recovered: number;
  lost: number;
}

/** A receiver on the null sink, a tone sender for `seconds` with `senderArgs`; both final lines. */
async function stream(seconds: number, senderArgs: string[]): Promise<{ rx: Quality & Record<string, unknown>; tx: Record<string, unknown>; rxLines: Record<string, unknown>[] }> {
  const dir = tmpDir();
  const port = await freePort();
  const rxStats = join(dir, 'rx.jsonl');
  const txStats = join(dir, 'tx.jsonl');
  // A 200 ms playout delay: on a loaded 2-core box our own event loop can stall past 40 ms, which would make a
  // clean link's packets late here (rightly counted) and test the box, not the link. It still scores MOS 4.34.
  const rx = streamer(['receive', '--headless', '--port', String(port), '--sink', 'null', '--jitter-ms', '200', '--stats-json', rxStats, '--log-file', join(dir, 'rx.log')], { cwd: dir });
  await rx.waitFor('listening on');
  const tx = streamer(['send', '--headless', '--source', 'tone', '--duration', String(seconds), '--port', String(port), '--stats-json', txStats, '--log-file', join(dir, 'tx.log'), ...senderArgs], { cwd: dir });
  assert.equal((await tx.exited).code, 0, tx.stderr());
  await sleep(1500); // the last packets play out and a stats second passes
  assert.equal((await rx.stop('SIGINT')).code, 0, rx.stderr());
  return { rx: finalStats(rxStats) as unknown as Quality & Record<string, unknown>, tx: finalStats(txStats), rxLines: readJsonLines(rxStats) };
}

function config(dir: string, port: number, recordDir: string): SessionConfig {
  return {
    protocol: 'udp', host: '127.0.0.1', bind: '127.0.0.1', port, rtcpMux: false, codec: 'l16', bitrateKbps: 0, fec: false,
    format: { rate: 44100, channels: 1 }, formatGiven: false, frameMs: 10,
    source: { kind: 'tone', hz: 440 }, sink: { kind: 'null' }, device: undefined,
    jitter: { mode: 'fixed', ms: 200 }, record: { atStart: false, path: undefined }, recordDir, durationS: undefined,
    key: undefined, log: { file: join(dir, 'session.log'), maxSize: '5M', maxFiles: 3, level: 'info', stderr: false },
    headless: false, statsJson: undefined, impair: { lossPercent: 0, jitterMs: 0, reorderPercent: 0, dupPercent: 0 }, driftPpm: 0,
  };
}

/** The built bridge, as the dashboard runs it: the session in a worker thread (it loads dist/…/session-worker.js). */
async function bridge(): Promise<typeof import('../../src/ui/bridge/remote-session.js')> {
  return (await import(pathToFileURL(join(ROOT, 'dist', 'ui', 'bridge', 'remote-session.js')).href)) as typeof import('../../src/ui/bridge/remote-session.js');
}

let cleanMos = 0;

test('a clean loopback stream: no glitches, nothing recovered, MOS ≥ 4.2; the history stays off --stats-json', async () => {
  const { rx, tx, rxLines } = await stream(4, []);
  assert.equal(rx.lost, 0, 'a loopback loses nothing');
  assert.deepEqual(rx.glitches, { network: 0, late: 0, underrun: 0, total: 0 }, JSON.stringify({ late: rx.late, underruns: rx.underruns, concealedMs: rx.concealedMs, loopDelayP99Ms: rx.loopDelayP99Ms }));
  assert.equal(rx.recovered, 0);
  assert.equal(typeof rx.mos, 'number');
  assert.ok(rx.mos! >= 4.2, `mos ${rx.mos}`);
  cleanMos = rx.mos!;
  // Every line carries the fields, and none the screen-only ones.
  for (const l of rxLines) {
    assert.ok('mos' in l && 'glitches' in l && 'recovered' in l, JSON.stringify(l));
    for (const k of ['gaps', 'jitterHistogram', 'lossBursts']) assert.ok(!(k in l), `${k} in --stats-json`);
  }
  // The sender estimates from the receiver's reports; its history is for the screen.
  assert.equal(typeof tx.mos, 'number', JSON.stringify(tx));
  assert.ok((tx.mos as number) >= 4.2, `sender mos ${String(tx.mos)}`);
  assert.ok(!('remoteHistory' in tx));
});

test('--sim-loss 5 on the sender: network glitches, each one a run of lost packets, and a lower MOS', async () => {
  const { rx, tx } = await stream(5, ['--sim-loss', '5']);
  assert.ok(rx.lost > 0, 'packets were lost');
  assert.ok(rx.glitches.network > 0, JSON.stringify(rx.glitches));
  // A run of losses is one glitch: never more network glitches than lost packets.
  assert.ok(rx.glitches.network <= rx.lost, `${rx.glitches.network} network glitches for ${rx.lost} lost`);
  const g = rx.glitches;
  assert.equal(g.total, g.network + g.late + g.underrun);
  assert.equal(typeof rx.mos, 'number');
  const clean = cleanMos || 4.41;
  assert.ok(rx.mos! < clean - 0.1, `mos ${rx.mos} at 5 % loss, clean ${clean}`);
  assert.equal(typeof tx.mos, 'number');
  assert.ok((tx.mos as number) < clean, `sender mos ${String(tx.mos)}`);
});

test("the replay key's save through the worker bridge: a WAV of what played, its duration the stream's", async () => {
  const dir = tmpDir();
  const port = await freePort();
  const recordDir = join(dir, 'Recording');
  const cfg = config(dir, port, recordDir);
  const { RemoteSession } = await bridge();
  const remote = new RemoteSession('receiver', 'receive', cfg);
  try {
    await remote.started;
    await assert.rejects(remote.saveReplay(), /replay: nothing has played yet/);
    const tx = streamer(['send', '--headless', '--source', 'tone:440', '--duration', '3', '--port', String(port), '--log-file', join(dir, 'tx.log')], { cwd: dir });
    assert.equal((await tx.exited).code, 0, tx.stderr());
    await sleep(1000); // the buffer plays its last 200 ms out
    const saved = await remote.saveReplay();
    assert.match(saved.path, /Recording\/replay_\d{8}_\d{6}\.wav$/);
    assert.ok(existsSync(saved.path));
    const wav = WavReader.open(saved.path);
    const seconds = wav.totalFrames / wav.format.rate;
    const pcm = wav.read(wav.totalFrames)!;
    wav.close();
    // What played: the sender's 3 s, no more (the buffer's made-up tail after the last packet is not kept), within one 10 ms packet.
    const rx = remote.snapshot as { late: number; overflows: number; concealedMs: number } | undefined;
    assert.ok(Math.abs(seconds - 3) <= 0.011, `${seconds} s saved; receiver ${JSON.stringify({ late: rx?.late, overflows: rx?.overflows, concealedMs: rx?.concealedMs })}`);
    assert.ok(Math.abs(saved.durationS - seconds) < 0.001, `reported ${saved.durationS} s, file ${seconds} s`);
    assert.equal(saved.bytes, 44 + wav.totalFrames * 2);
    assert.ok(Math.abs(zeroCrossingHz(pcm, 44100) - 440) < 5, 'it is the tone that played');
  } finally {
    remote.quit('test over');
    await remote.exited;
  }
});

test("the demo's worker posts both ends' stats: the receiver's as the session's, the sender's as its peer's", async () => {
  const dir = tmpDir();
  const port = await freePort();
  const { RemoteSession } = await bridge();
  const remote = new RemoteSession('receiver', 'demo', config(dir, port, join(dir, 'Recording')));
  const roles = { stats: new Set<string>(), peer: new Set<string>() };
  remote.on('stats', (s) => roles.stats.add(s.role));
  remote.on('peer-stats', (s) => roles.peer.add(s.role));
  try {
    await remote.started;
    for (let i = 0; i < 50 && (roles.stats.size === 0 || roles.peer.size === 0); i++) await sleep(100);
    assert.deepEqual([...roles.stats], ['receiver']);
    assert.deepEqual([...roles.peer], ['sender']);
    assert.equal(remote.snapshot?.role, 'receiver');
    assert.equal(remote.peerSnapshot?.role, 'sender');
  } finally {
    remote.quit('test over');
    await remote.exited;
  }
});
