// Multicast and SAP end to end, each test inside a network namespace of its
// own (helpers/netns.ts): the built CLI as senders and receivers on a group,
// an independent SAP listener (helpers/sap-listen.py, none of our code) as
// the judge of what we announce, and PulseAudio's module-rtp-send as the
// other end of SAP in the receiving direction.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ToneGenerator } from '../../src/audio/source/tone.js';
import { WavReader } from '../../src/audio/wav/wav-reader.js';
import { ROOT, finalStats, sleep, streamer, tmpDir, requireTool, type Running } from '../helpers/cli.js';
import { createNetns, type Netns } from '../helpers/netns.js';
import { startPulse } from '../helpers/pulse.js';
import { firstDifference, zeroCrossingHz } from '../helpers/signal.js';

const SAP_LISTEN = join(ROOT, '__tests__', 'helpers', 'sap-listen.py');

async function withNetns(label: string, body: (ns: Netns, dir: string) => Promise<void>): Promise<void> {
  const ns = createNetns(label);
  try {
    await body(ns, tmpDir());
  } finally {
    ns.remove();
  }
}

function readWav(path: string): { format: { rate: number; channels: number }; pcm: Int16Array } {
  const wav = WavReader.open(path);
  const pcm = wav.read(wav.totalFrames) ?? new Int16Array(0);
  const format = wav.format;
  wav.close();
  return { format, pcm };
}

/**
 * The pitch of what a sound server played, judged over its 50 ms blocks that carry sound: a
 * server's own capture or receiver may leave short gaps on a busy box (PulseAudio logs
 * "Discontinuity detected"), which would drag a plain zero-crossing count down.
 */
function loudBlocks(pcm: Int16Array, rate: number, channels: number): { loud: number; total: number; medianHz: number } {
  const size = (rate / 20) * channels;
  const hz: number[] = [];
  let total = 0;
  for (let i = 0; i + size <= pcm.length; i += size, total++) {
    const b = pcm.subarray(i, i + size);
    let sum = 0;
    for (const v of b) sum += v * v;
    if (Math.sqrt(sum / b.length) > 3000) hz.push(zeroCrossingHz(b, rate, channels));
  }
  hz.sort((a, b) => a - b);
  return { loud: hz.length, total, medianHz: hz[hz.length >> 1] ?? 0 };
}

interface Heard {
  version: number;
  deletion: boolean;
  encrypted: boolean;
  compressed: boolean;
  authLen: number;
  hash: number;
  origin: string;
  payloadType?: string;
  sdp: string;
  hasCR: boolean;
  c?: string;
  m?: string;
  rtpmap?: string[];
  s?: string;
  o?: string;
  at: number;
}

/** The independent listener, inside the namespace: every SAP datagram as its own parse of the bytes. */
function sapListener(ns: Netns, seconds: number, untilDeletion: boolean): { ready: Promise<void>; done: Promise<Heard[]> } {
  const child = spawn('ip', ['netns', 'exec', ns.name, 'python3', SAP_LISTEN, String(seconds), ...(untilDeletion ? ['--until-deletion'] : [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const heard: Heard[] = [];
  let buf = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      heard.push({ ...(JSON.parse(buf.slice(0, nl)) as Heard), at: Date.now() });
      buf = buf.slice(nl + 1);
    }
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('ready')) resolve();
    });
    child.on('exit', () => reject(new Error(`SAP listener exited early: ${err}`)));
  });
  const done = new Promise<Heard[]>((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve(heard) : reject(new Error(`SAP listener failed (${code}): ${err}`)))),
  );
  return { ready, done };
}

function run(ns: Netns, dir: string, args: string[], log: string): Running {
  const headless = args[0] === 'streams' ? [] : ['--headless'];
  return streamer([...args, ...headless, '--log-file', join(dir, log)], { cwd: dir, prefix: ns.prefix });
}

test('two receivers on one group both play a sender’s tone whole: lost 0, bit for bit, each with its own stats; the sender shows 2 reporting', async () => {
  await withNetns('two', async (ns, dir) => {
    const group = ['--port', '5004'];
    const rxs = ['a', 'b'].map((n) =>
      run(ns, dir, ['receive', '--bind', '239.255.12.34', ...group, '--jitter-ms', '200', '--sink', `file:${join(dir, `${n}.wav`)}`, '--stats-json', join(dir, `${n}.jsonl`)], `${n}.log`),
    );
    for (const rx of rxs) await rx.waitFor('multicast group joined');
    const tx = run(ns, dir, ['send', '--host', '239.255.12.34', ...group, '--source', 'tone:440', '--duration', '3', '--stats-json', join(dir, 'tx.jsonl')], 'tx.log');
    assert.equal((await tx.exited).code, 0, tx.stderr());
    await sleep(600);
    for (const rx of rxs) assert.equal((await rx.stop()).code, 0, rx.stderr());

    const sent = finalStats(join(dir, 'tx.jsonl'));
    assert.ok(sent.sent! >= 290 && sent.sent! <= 310, `sent ${sent.sent}`);
    assert.equal(sent.remoteReceivers, 2, 'both receivers report to the group, and the sender hears each');
    assert.equal(sent.remoteLost, 0, 'the worst receiver lost nothing');
    assert.equal(sent.malformed, 0, 'the group carries the sender’s own SRs and both receivers’ RRs: none is malformed');
    const expected = new ToneGenerator({ rate: 44100, channels: 1 }, 440).read(sent.sent! * 441);
    for (const n of ['a', 'b']) {
      const got = finalStats(join(dir, `${n}.jsonl`));
      assert.equal(got.lost, 0, `${n} lost`);
      assert.equal(got.received, sent.sent, `${n} received every packet`);
      assert.equal(got.malformed, 0, `${n}: the other receiver's reports are RTCP about another source, not malformed`);
      assert.notEqual(got.rttMs, null, `${n}: the sender answered its RRTR (XR DLRR) through the group`);
      const { format, pcm } = readWav(join(dir, `${n}.wav`));
      assert.deepEqual(format, { rate: 44100, channels: 1 });
      assert.equal(pcm.length, expected.length, `${n}: one frame out for every frame sent`);
      assert.equal(firstDifference(pcm, expected), -1, `${n}: the tone bit for bit`);
    }
  });
});

test('the AES67 profile on a group: L24 at 48 kHz stereo in 1 ms packets, announced by SAP, played whole by a receiver on the group and by one that found it with --sap', async () => {
  await withNetns('aes67', async (ns, dir) => {
    const group = ['--port', '5012'];
    const direct = run(ns, dir, ['receive', '--bind', '239.255.12.40', ...group, '--codec', 'l24', '--rate', '48000', '--channels', '2', '--jitter-ms', '200', '--sink', `file:${join(dir, 'direct.wav')}`, '--stats-json', join(dir, 'direct.jsonl')], 'direct.log');
    const found = run(ns, dir, ['receive', '--sap', 'aes67', '--jitter-ms', '200', '--sink', `file:${join(dir, 'found.wav')}`, '--stats-json', join(dir, 'found.jsonl')], 'found.log');
    await direct.waitFor('multicast group joined');
    await found.waitFor('whose name contains "aes67"');
    const tx = run(ns, dir, ['send', '--host', '239.255.12.40', ...group, '--sap', 'aes67 studio', '--codec', 'l24', '--rate', '48000', '--channels', '2', '--frame-ms', '1', '--source', 'tone:440', '--duration', '3', '--stats-json', join(dir, 'tx.jsonl')], 'tx.log');
    await found.waitFor('playing "aes67 studio"');
    assert.equal((await tx.exited).code, 0, tx.stderr());
    await sleep(800);
    for (const r of [direct, found]) assert.equal((await r.stop()).code, 0, r.stderr());

    const sent = finalStats(join(dir, 'tx.jsonl'));
    assert.equal(sent.codec as unknown, 'l24');
    assert.ok(sent.sent! >= 2900 && sent.sent! <= 3100, `1 ms packets: sent ${sent.sent} in 3 s`);
    const expected = new ToneGenerator({ rate: 48000, channels: 2 }, 440).read(sent.sent! * 48);
    const got = finalStats(join(dir, 'direct.jsonl'));
    assert.equal(got.codec as unknown, 'l24');
    assert.equal(got.lost, 0);
    assert.equal(got.received, sent.sent, 'every 1 ms packet arrived');
    const d = readWav(join(dir, 'direct.wav'));
    assert.deepEqual(d.format, { rate: 48000, channels: 2 });
    assert.equal(d.pcm.length, expected.length, 'one frame out for every frame sent');
    assert.equal(firstDifference(d.pcm, expected), -1, 'the 16-bit tone, carried in 24 bits, bit for bit');
    const viaSap = finalStats(join(dir, 'found.jsonl'));
    assert.equal(viaSap.codec as unknown, 'l24', 'the codec came from the announcement (a=rtpmap:96 L24/48000/2)');
    assert.equal(viaSap.lost, 0);
    // It joins once the announcement is in: the first few 1 ms packets may pass before.
    assert.ok(viaSap.received! <= sent.sent! && viaSap.received! >= sent.sent! - 300, `received ${viaSap.received} of ${sent.sent}`);
    const f = readWav(join(dir, 'found.wav'));
    assert.deepEqual(f.format, { rate: 48000, channels: 2 });
    assert.ok(Math.abs(zeroCrossingHz(f.pcm.subarray(0, 96000), 48000, 2) - 440) < 3, 'the tone, at its pitch');
  });
});

test('send --sap: an independent SAP listener reads our announcement (v1, application/sdp, LF only, group/port/rtpmap), again 5 s later, and a deletion at stop; `streams` lists it', async () => {
  await withNetns('sap', async (ns, dir) => {
    const listener = sapListener(ns, 40, true);
    await listener.ready;
    const streams = run(ns, dir, ['streams', '--seconds', '4', '--json'], 'streams.log');
    await streams.waitFor('listening for SAP announcements');
    const tx = run(
      ns,
      dir,
      ['send', '--sap', 'kitchen radio', '--host', '239.255.12.35', '--port', '5006', '--ttl', '3', '--rate', '48000', '--channels', '2', '--source', 'tone:440', '--duration', '7'],
      'tx.log',
    );
    const listed = await streams.exited;
    assert.equal(listed.code, 0, streams.stderr());
    assert.equal((await tx.exited).code, 0, tx.stderr());
    const heard = await listener.done;

    const ann = heard.filter((h) => !h.deletion);
    const del = heard.filter((h) => h.deletion);
    assert.ok(ann.length >= 2, `announced at start and again 5 s later (${ann.length})`);
    assert.equal(del.length, 1, 'one deletion at stop');
    for (const h of heard) {
      assert.equal(h.version, 1);
      assert.equal(h.encrypted, false);
      assert.equal(h.compressed, false);
      assert.equal(h.authLen, 0);
      assert.equal(h.payloadType, 'application/sdp');
      assert.equal(h.hasCR, false, 'LF line endings only (PulseAudio rejects a CR)');
      assert.equal(h.hash, ann[0]!.hash, 'one message id hash for the announcement and its deletion');
      assert.equal(h.origin, '127.0.0.1', 'the address it is sent from');
    }
    const a = ann[0]!;
    assert.equal(a.s, 'kitchen radio');
    assert.equal(a.c, 'IN IP4 239.255.12.35/3', 'the group, with the TTL');
    assert.equal(a.m, 'audio 5006 RTP/AVP 96');
    assert.deepEqual(a.rtpmap, ['96 L16/48000/2']);
    assert.match(a.o ?? '', /^- \d+ \d+ IN IP4 127\.0\.0\.1$/);
    assert.match(a.sdp, /\na=rtcp:5007\n/);
    const gap = ann[1]!.at - ann[0]!.at;
    assert.ok(gap > 4000 && gap < 7000, `re-announced after ${gap} ms (every 5 s)`);
    assert.ok(del[0]!.at >= ann.at(-1)!.at);

    // Our own parser (streams) saw the same, while it was announced.
    const list = JSON.parse(streams.stdout()) as Record<string, unknown>[];
    assert.equal(list.length, 1, streams.stdout());
    assert.deepEqual(
      { name: list[0]!.name, address: list[0]!.address, port: list[0]!.port, ttl: list[0]!.ttl, codec: list[0]!.codec, rate: list[0]!.rate, channels: list[0]!.channels },
      { name: 'kitchen radio', address: '239.255.12.35', port: 5006, ttl: 3, codec: 'L16', rate: 48000, channels: 2 },
    );
  });
});

test('receive --sap plays the announced stream, says when its sender deletes it, and plays the next; --sap NAME waits for its own', async () => {
  await withNetns('rxsap', async (ns, dir) => {
    const rx = run(ns, dir, ['receive', '--sap', '--jitter-ms', '200', '--sink', `file:${join(dir, 'out.wav')}`, '--stats-json', join(dir, 'rx.jsonl')], 'rx.log');
    const named = run(ns, dir, ['receive', '--sap', 'SECOND', '--sink', 'null', '--stats-json', join(dir, 'named.jsonl')], 'named.log');
    await rx.waitFor('waiting for a SAP announcement on 224.0.0.56:9875');
    await named.waitFor('whose name contains "SECOND"');
    const common = ['--rate', '48000', '--source', 'tone:440', '--duration', '2'];
    const tx1 = run(ns, dir, ['send', '--sap', 'first room', '--host', '239.255.12.36', '--port', '5008', ...common, '--stats-json', join(dir, 'tx1.jsonl')], 'tx1.log');
    await rx.waitFor('playing "first room"');
    assert.equal((await tx1.exited).code, 0, tx1.stderr());
    await rx.waitFor('"first room" ended: its sender withdrew the announcement (SAP deletion)');
    await sleep(300);
    const tx2 = run(ns, dir, ['send', '--sap', 'the second room', '--host', '239.255.12.37', '--port', '5010', ...common, '--stats-json', join(dir, 'tx2.jsonl')], 'tx2.log');
    await rx.waitFor('playing "the second room"');
    await named.waitFor('playing "the second room"');
    assert.equal((await tx2.exited).code, 0, tx2.stderr());
    await rx.waitFor('"the second room" ended');
    await sleep(600); // the 200 ms playout delay still holds the end of the tone
    for (const r of [rx, named]) assert.equal((await r.stop()).code, 0, r.stderr());

    assert.match(rx.stderr(), /ended: its sender withdrew[^\n]*\n[^\n]*waiting for a SAP announcement/, 'one line says so, and then it waits again');
    assert.doesNotMatch(named.stderr(), /playing "first room"/, 'a NAME filter lets other streams by');
    const sent = finalStats(join(dir, 'tx1.jsonl')).sent! + finalStats(join(dir, 'tx2.jsonl')).sent!;
    const got = finalStats(join(dir, 'rx.jsonl'));
    // A receiver that finds a stream by SAP joins its group once the announcement is in: a packet
    // or two may pass before (the sender announces just before its first packet). Past that, nothing is lost.
    assert.ok(got.received! <= sent && got.received! >= sent - 20, `both streams: received ${got.received} of ${sent}`);
    assert.equal(got.lost, 0);
    const tx2Sent = finalStats(join(dir, 'tx2.jsonl')).sent!;
    const namedGot = finalStats(join(dir, 'named.jsonl'));
    assert.ok(namedGot.received! <= tx2Sent && namedGot.received! >= tx2Sent - 10, `the named receiver: ${namedGot.received} of the second stream's ${tx2Sent}`);
    assert.equal(namedGot.lost, 0);
    const { format, pcm } = readWav(join(dir, 'out.wav'));
    assert.deepEqual(format, { rate: 48000, channels: 1 }, 'the format came from the announcement (PT 96 says nothing)');
    // Each stream starts playback from silence: on a busy box its pre-roll may skip the stale head of a
    // burst (README, "Playout delay"), so the file holds most, not necessarily all, of the 4 s.
    assert.ok(pcm.length >= 4 * 48000 * 0.75 && pcm.length <= 4 * 48000, `the file holds both 2 s tones (${pcm.length} frames)`);
    assert.ok(Math.abs(zeroCrossingHz(pcm.subarray(0, 48000), 48000) - 440) < 3);
  });
});

test('receive --sap: a sender that vanishes without a deletion times out after 3× its 5 s interval, said in one line', async () => {
  await withNetns('timeout', async (ns, dir) => {
    const rx = run(ns, dir, ['receive', '--sap', '--sink', 'null'], 'rx.log');
    await rx.waitFor('waiting for a SAP announcement');
    const tx = run(ns, dir, ['send', '--sap', 'gone', '--host', '239.255.12.38', '--port', '5012', '--source', 'tone'], 'tx.log');
    await rx.waitFor('playing "gone"');
    await sleep(6500); // a second announcement: its interval is known
    tx.child.kill('SIGKILL');
    const killed = Date.now();
    await rx.waitFor('"gone" ended: no SAP announcement for 15 s', 30_000);
    const took = Date.now() - killed;
    assert.ok(took > 8000, `not before its time (${took} ms after the last announcement)`);
    await rx.waitFor(/ended: no SAP announcement[^\n]*\n[^\n]*waiting for a SAP announcement/);
    assert.equal((await rx.stop()).code, 0);
  });
});

test('PulseAudio’s module-rtp-send is listed by `streams` and played by `receive --sap`; unloading it deletes the stream', async (t) => {
  if (!requireTool(t, 'pulseaudio') || !requireTool(t, 'pactl')) return;
  await withNetns('pulse', async (ns, dir) => {
    const pulse = await startPulse({ prefix: ns.prefix });
    try {
      // PulseAudio announces on its destination group (224.0.0.56 by default, where it and we listen);
      // loop=1: other programs on its own host may hear it.
      const streams = run(ns, dir, ['streams', '--seconds', '7', '--json'], 'streams.log');
      await streams.waitFor('listening for SAP announcements');
      const rx = run(ns, dir, ['receive', '--sap', 'PulseAudio', '--jitter-ms', '200', '--sink', `file:${join(dir, 'pa.wav')}`, '--stats-json', join(dir, 'rx.jsonl')], 'rx.log');
      await rx.waitFor('waiting for a SAP announcement');
      const tone = pulse.playTone(440, 12, 44100, 200); // 200 ms of pacat buffer: the null sink does not run dry on a busy box
      pulse.pactl(['load-module', 'module-rtp-send', 'source=mic.monitor', 'port=46000', 'loop=1']);
      await rx.waitFor(/playing "PulseAudio RTP Stream on [^"]+" from [\d.]+: L16 44100 Hz stereo/, 15_000);
      assert.equal((await streams.exited).code, 0, streams.stderr());
      const list = JSON.parse(streams.stdout()) as Record<string, unknown>[];
      assert.equal(list.length, 1, streams.stdout());
      assert.match(String(list[0]!.name), /^PulseAudio RTP Stream on /);
      assert.deepEqual(
        { address: list[0]!.address, port: list[0]!.port, payloadType: list[0]!.payloadType, codec: list[0]!.codec, rate: list[0]!.rate, channels: list[0]!.channels },
        { address: '224.0.0.56', port: 46000, payloadType: 10, codec: 'L16', rate: 44100, channels: 2 },
      );
      await sleep(4000);
      pulse.pactl(['unload-module', 'module-rtp-send']);
      await rx.waitFor(/"PulseAudio RTP Stream on [^"]+" ended: its sender withdrew/, 10_000);
      assert.equal((await rx.stop()).code, 0, rx.stderr());
      tone.kill();
      const got = finalStats(join(dir, 'rx.jsonl'));
      assert.ok(got.received! > 200, `received ${got.received} packets from PulseAudio`);
      assert.equal(got.malformed, 0);
      const { format, pcm } = readWav(join(dir, 'pa.wav'));
      assert.deepEqual(format, { rate: 44100, channels: 2 });
      assert.equal(got.lost, 0, 'nothing lost between PulseAudio and us');
      const second = pcm.subarray(44100 * 2, 44100 * 2 * 2); // the 2nd second: the tone is flowing by then
      let peak = 0;
      for (const v of second) peak = Math.max(peak, Math.abs(v));
      assert.ok(peak > 8000, `the file holds PulseAudio's audio (peak ${peak})`);
      // We conceal nothing (below): any gap in it is in what PulseAudio captured and sent.
      const how = `concealed ${got.concealedMs} ms, late ${got.late}, underruns ${got.underruns}`;
      assert.equal(got.concealedMs, 0, how);
      const b = loudBlocks(second, 44100, 2);
      assert.ok(b.loud >= 15, `that second is sound (${b.loud} of ${b.total} blocks; ${how})`);
      assert.ok(Math.abs(b.medianHz - 440) < 15, `and it is the 440 Hz tone (median ${b.medianHz} Hz)`);
    } finally {
      await pulse.stop();
    }
  });
});

test('hostile SAP: truncated, v2, encrypted, compressed and garbage packets are counted and dropped; a flood of 10 000 distinct announcements leaves 256', async () => {
  await withNetns('hostile', async (ns, dir) => {
    const streams = run(ns, dir, ['streams', '--seconds', '6', '--json'], 'streams.log');
    await streams.waitFor('listening for SAP announcements');
    const script = `
import socket, struct, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
dst = ('224.0.0.56', 9875)
def sdp(name, port):
    return ('v=0\\no=- %d 1 IN IP4 127.0.0.1\\ns=%s\\nc=IN IP4 239.255.9.9\\nt=0 0\\nm=audio %d RTP/AVP 11\\n' % (port, name, port)).encode()
def sap(flags, h, body, origin=b'\\x7f\\x00\\x00\\x01'):
    return bytes([flags, 0]) + struct.pack('!H', h) + origin + b'application/sdp\\x00' + body
s.sendto(b'\\x20\\x00\\x01', dst)                      # truncated
s.sendto(sap(0x40, 1, sdp('v2', 1)), dst)               # version 2
s.sendto(sap(0x22, 2, sdp('enc', 2)), dst)              # encrypted
s.sendto(sap(0x21, 3, sdp('zip', 3)), dst)              # compressed
s.sendto(sap(0x20, 4, b'v=0\\nthis is not an SDP'), dst) # garbage SDP (no o=, no m=)
for i in range(10000):
    s.sendto(sap(0x20, i & 0xffff, sdp('flood %d' % i, 10000 + i), struct.pack('!I', 0x0a000000 + i)), dst)
    if i % 200 == 0: time.sleep(0.005)
time.sleep(0.2)
s.sendto(sap(0x20, 9, sdp('survivor', 5000), b'\\x7f\\x00\\x00\\x02'), dst)
`;
    const sent = ns.run('python3', ['-c', script]);
    assert.equal(sent.code, 0, sent.stderr);
    const r = await streams.exited;
    assert.equal(r.code, 0, streams.stderr());
    const list = JSON.parse(streams.stdout()) as { name: string }[];
    assert.equal(list.length, 256, 'the table is capped at 256 entries, the oldest heard leaving first');
    assert.equal(list.at(-1)!.name, 'survivor', 'the newest stays');
    assert.ok(!list.some((s) => ['v2', 'enc', 'zip'].includes(s.name)), 'no refused packet made an entry');
    const tally = /(\d+) announcements, (\d+) deletions, (\d+) malformed SAP packets dropped/.exec(streams.stderr());
    assert.ok(tally, streams.stderr());
    assert.equal(Number(tally[3]), 5, 'each hostile packet counted once');
    assert.ok(Number(tally[1]) > 9000, `the flood was taken (${tally[1]}), not fatal`);
  });
});

test('PulseAudio’s module-rtp-recv plays streamer’s announced stream (44.1 kHz stereo, PT 10) and drops it at the SAP deletion', async (t) => {
  if (!requireTool(t, 'pulseaudio') || !requireTool(t, 'pactl')) return;
  await withNetns('pulserx', async (ns, dir) => {
    const pulse = await startPulse({ prefix: ns.prefix });
    try {
      pulse.pactl(['load-module', 'module-rtp-recv', 'sap_address=224.0.0.56']); // its default 500 ms latency
      const cap = pulse.record('spk', 44100, 2);
      const tx = run(ns, dir, ['send', '--sap', 'to pulse', '--host', '239.255.12.40', '--port', '5014', '--channels', '2', '--source', 'tone:440', '--duration', '5'], 'tx.log');
      await sleep(3500);
      const playing = pulse.pactl(['list', 'sink-inputs']);
      assert.match(playing, /rtp\.session = "to pulse"/, 'PulseAudio made a session from our announcement');
      assert.equal((await tx.exited).code, 0, tx.stderr());
      let after = '';
      for (let i = 0; i < 30 && /rtp\.session = "to pulse"/.test((after = pulse.pactl(['list', 'sink-inputs']))); i++) await sleep(100);
      assert.doesNotMatch(after, /rtp\.session = "to pulse"/, 'the deletion ended its session at once (not after a timeout)');
      const pcm = await cap.stop();
      // Find the loud part (PulseAudio's session starts a moment after ours), then judge one second of it.
      let start = 0;
      while (start < pcm.length && Math.abs(pcm[start]!) < 4000) start++;
      const second = pcm.subarray(start + 44100 * 2 * 0.5, start + 44100 * 2 * 1.5);
      assert.equal(second.length, 44100 * 2, `PulseAudio played at least 1.5 s of it (${pcm.length / 2} frames recorded)`);
      let peak = 0;
      for (const v of second) peak = Math.max(peak, Math.abs(v));
      assert.ok(peak > 8000, `PulseAudio's output holds the tone (peak ${peak})`);
      const b = loudBlocks(second, 44100, 2);
      assert.ok(b.loud >= 10, `most of that second is sound (${b.loud} of ${b.total} blocks)`);
      assert.ok(Math.abs(b.medianHz - 440) < 15, `at 440 Hz (median ${b.medianHz} Hz over ${b.loud} blocks)`);
    } finally {
      await pulse.stop();
    }
  });
});
