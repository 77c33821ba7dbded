// Saves a replay ring's audio as replay_YYYYMMDD_HHMMSS.wav in the recording
// folder: the copy is taken at once, the encoding and the write happen in a
// worker thread (replay-encode-worker.ts), so the audio never waits on it.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AudioFormat } from '../../shared/audio-format.js';
import { describeSystemError } from '../../shared/errors.js';
import { defaultRecordingName } from './recording-name.js';
import type { ReplaySaved } from './replay.js';
import type { ReplayRing } from './replay-ring.js';

/** What the encoding worker is given (the samples are transferred, not copied). */
export interface EncodeJob {
  pcm: Int16Array;
  rate: number;
  channels: number;
  path: string;
}

export type EncodeDone = { ok: true; bytes: number } | { ok: false; error: string; code?: string };

/** replay_YYYYMMDD_HHMMSS.wav, as recordings are named (local time). */
export function replayName(d: Date): string {
  return defaultRecordingName(d).replace(/^recording_/, 'replay_');
}

/** `dir/replay_….wav`, or with _1, _2 … when that name is taken. */
export function uniqueReplayPath(dir: string, d: Date): string {
  const base = replayName(d).slice(0, -'.wav'.length);
  let path = join(dir, `${base}.wav`);
  for (let i = 1; existsSync(path); i++) path = join(dir, `${base}_${i}.wav`);
  return path;
}

// Built, the worker is replay-encode-worker.js beside this file. Under tsx (the unit tests) it is the
// .ts source, and a worker thread does not inherit tsx's loader in Node 20: a two-line entry registers it first.
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(FROM_SOURCE ? './replay-encode-worker.ts' : './replay-encode-worker.js', import.meta.url);

function startWorker(job: EncodeJob): Worker {
  const opts = { workerData: job, transferList: [job.pcm.buffer as ArrayBuffer] };
  if (!FROM_SOURCE) return new Worker(WORKER_URL, opts);
  const entry = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(WORKER_URL.href)}); });`;
  return new Worker(entry, { ...opts, eval: true });
}

/** Encodes `pcm` (interleaved, `format`) to a WAV at `path` in a worker thread; resolves with its size. */
export function encodeReplay(pcm: Int16Array, format: AudioFormat, path: string): Promise<number> {
  const job: EncodeJob = { pcm, rate: format.rate, channels: format.channels, path };
  return new Promise((resolve, reject) => {
    const worker = startWorker(job);
    let answered = false;
    worker.once('message', (m: EncodeDone) => {
      answered = true;
      if (m.ok) resolve(m.bytes);
      else reject(Object.assign(new Error(m.error), { code: m.code }));
    });
    worker.once('error', (err) => {
      answered = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`the encoder stopped (exit ${code})`));
    });
  });
}

/**
 * Saves what the ring holds now. Rejects with one line that says what failed
 * (`replay: cannot write DIR/… (permission denied)`).
 */
export async function saveReplay(ring: ReplayRing, dir: string, now: Date = new Date()): Promise<ReplaySaved> {
  const pcm = ring.snapshot();
  const format = ring.format;
  const durationS = pcm.length / format.channels / format.rate;
  if (pcm.length === 0) throw new Error('replay: nothing has played yet');
  let path = join(dir, replayName(now));
  try {
    await mkdir(dir, { recursive: true });
    path = uniqueReplayPath(dir, now);
    const bytes = await encodeReplay(pcm, format, path);
    return { path, durationS: Math.round(durationS * 1000) / 1000, bytes };
  } catch (err) {
    throw new Error(`replay: cannot write ${path} (${describeSystemError(err)})`);
  }
}
