// The PortAudio worker: a child process that owns naudiodon, so PortAudio's
// printf chatter lands in a pipe the parent logs at debug (never on the
// dashboard) and a native crash kills only this process. One worker serves
// one device stream (or one device listing); the parent restarts it.
// It runs on its own and never imports the rest of the app.
import { createRequire } from 'node:module';
import { getPriority, setPriority, tmpdir } from 'node:os';
import type { AudioFormat } from '../../shared/audio-format.js';
import { formatsToTry, pickDevice, toDeviceList } from './device-list.js';
import { SampleFifo } from './fifo.js';
import { OutputPump } from './output-pump.js';
import { raisePriority } from './priority.js';
import type { DeviceErrorKind, DeviceList, FromWorker, OpenRequest, ToWorker } from './protocol.js';

type Naudiodon = typeof import('naudiodon');
type IoStreamRead = import('naudiodon').IoStreamRead;
type IoStreamWrite = import('naudiodon').IoStreamWrite;
type IoStream = IoStreamRead | IoStreamWrite;

/** How long quit() may take before we just exit: it can hang on a dead device. */
const QUIT_GRACE_MS = 400;
/**
 * naudiodon's output queue, in device buffers. Its write resolves only once
 * the buffer is queued, and the pump then takes the next one at once, so
 * naudiodon holds one more than this: 20 ms between our FIFO and PortAudio
 * at 1, 30 ms at naudiodon's default 2.
 */
const OUTPUT_QUEUE = 1;
/** The speaker queue's cap: far more than the parent keeps in flight. */
const FIFO_CAP_MS = 500;

// Before naudiodon loads: PortAudio's callback thread inherits it. The line goes to the parent's debug log.
process.stderr.write(`${raisePriority({ get: () => getPriority(), set: (n) => setPriority(n) })}\n`);

// segfault-handler (loaded by naudiodon) writes crash.log into the cwd: not the user's.
process.chdir(tmpdir());

let pa: Naudiodon | undefined;
let loadError = '';
try {
  pa = createRequire(import.meta.url)('naudiodon') as Naudiodon;
} catch (err) {
  loadError = err instanceof Error ? err.message.split('\n')[0]! : String(err);
}

let io: IoStream | undefined;
let closing = false;

function send(m: FromWorker): void {
  if (process.connected) process.send!(m);
}

function fail(kind: DeviceErrorKind, message: string): void {
  send({ t: 'error', kind, message });
  void shutdown(1);
}

function listNow(): DeviceList {
  return toDeviceList(pa!.getDevices(), pa!.getHostAPIs());
}

async function shutdown(code: number): Promise<void> {
  if (closing) return;
  closing = true;
  pump?.stop();
  const stream = io;
  io = undefined;
  // quit() waits for the device to drain and can hang on a lost one: bounded.
  if (stream) await new Promise<void>((resolve) => {
    setTimeout(resolve, QUIT_GRACE_MS);
    stream.quit(() => resolve());
  });
  process.exit(code);
}

function create(req: OpenRequest, id: number, format: AudioFormat, chunkFrames: number): IoStream {
  const options = {
    deviceId: id,
    sampleRate: format.rate,
    channelCount: format.channels,
    sampleFormat: pa!.SampleFormat16Bit,
    // One underflow must not end the stream (naudiodon's default would).
    closeOnError: false,
    framesPerBuffer: chunkFrames,
    // naudiodon's default 16 KiB is 170 ms of mono: one device buffer instead.
    highwaterMark: chunkFrames * format.channels * 2,
    maxQueue: req.direction === 'input' ? 8 : OUTPUT_QUEUE,
  } as const;
  return req.direction === 'input' ? pa!.AudioIO({ inOptions: options }) : pa!.AudioIO({ outOptions: options });
}

function open(req: OpenRequest): void {
  if (!pa) return fail('unavailable', `PortAudio (naudiodon) does not load: ${loadError}`);
  const pick = pickDevice(listNow(), req.direction, req.device);
  if (!pick.ok) return fail(pick.kind, pick.message);
  const dev = pick.device;
  const errors: string[] = [];
  let format: AudioFormat | undefined;
  let chunkFrames = req.chunkFrames;
  for (const f of formatsToTry(req.format, dev, req.direction)) {
    // Device buffers stay as long in time as asked, whatever the rate.
    const frames = Math.max(1, Math.round((req.chunkFrames * f.rate) / req.format.rate));
    try {
      io = create(req, dev.id, f, frames);
      format = f;
      chunkFrames = frames;
      break;
    } catch (err) {
      errors.push(`${errors.length ? `at ${f.rate} Hz: ` : ''}${(err as Error).message}`);
    }
  }
  if (!io || !format) return fail('open-failed', `PortAudio: ${errors.join('; ')}`);
  const stream = io;
  stream.on('error', (err: Error) => fail('open-failed', `device error: ${err.message}`));
  if (req.direction === 'input') {
    (stream as IoStreamRead).on('data', (buf: Buffer) => {
      // Copy out: the Buffer may sit at an odd offset in a shared pool.
      const pcm = new Int16Array(buf.length >> 1);
      new Uint8Array(pcm.buffer).set(buf.subarray(0, pcm.length * 2));
      send({ t: 'pcm', pcm });
    });
  }
  try {
    stream.start();
  } catch (err) {
    return fail('open-failed', `PortAudio: ${(err as Error).message}`);
  }
  send({ t: 'opened', device: dev, format, chunkFrames });
  if (req.direction === 'output') playLoop(stream as IoStreamWrite, format, chunkFrames);
}

let pump: OutputPump | undefined;

/**
 * One buffer written per buffer the device takes: naudiodon's write resolves
 * once its queue has room, so the pump runs at the device's clock. A buffer
 * the parent has not sent yet is waited for, up to two buffers' time (still
 * before the device needs it: naudiodon holds one more, PulseAudio 30 ms),
 * and only then goes out as silence.
 */
function playLoop(stream: IoStreamWrite, format: AudioFormat, chunkFrames: number): void {
  const ch = format.channels;
  pump = new OutputPump({
    fifo: new SampleFifo(Math.round((format.rate * ch * FIFO_CAP_MS) / 1000)),
    samples: chunkFrames * ch,
    graceMs: (2 * chunkFrames * 1000) / format.rate,
    write: (pcm, done) => void stream.write(Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength), () => done()),
    report: (got, starved) => send({ t: 'consumed', frames: got / ch, starved: starved / ch }),
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (h) => clearTimeout(h as NodeJS.Timeout),
  });
  pump.start();
}

process.on('message', (m: ToWorker) => {
  if (closing) return;
  switch (m.t) {
    case 'list':
      if (!pa) return fail('unavailable', `PortAudio (naudiodon) does not load: ${loadError}`);
      send({ t: 'devices', list: listNow() });
      return;
    case 'open':
      if (io) return;
      return open(m);
    case 'pcm':
      pump?.push(m.pcm);
      return;
    case 'close':
      void shutdown(0);
      return;
  }
});

// The parent is gone (or dropped us): nothing left to play for.
process.on('disconnect', () => process.exit(0));
process.on('uncaughtException', (err) => fail('open-failed', `audio worker: ${err.message}`));
