// A replay's WAV is made here, off the thread the audio runs on: wav-encoder
// encodes a whole buffer at once (≈ 80 ms for 30 s of 48 kHz stereo), which
// on the session's thread would hold packets and pulls back that long.
import { writeFile } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import wavEncoder from 'wav-encoder';
import type { EncodeJob, EncodeDone } from './replay-writer.js';

const job = workerData as EncodeJob;

async function main(): Promise<EncodeDone> {
  const ch = job.channels;
  const frames = job.pcm.length / ch;
  // De-interleave to the floats wav-encoder takes; symmetric scaling (s / 32768, back by × 32768) round-trips every sample exactly.
  const channelData = Array.from({ length: ch }, () => new Float32Array(frames));
  for (let i = 0, k = 0; i < frames; i++) for (let c = 0; c < ch; c++) channelData[c]![i] = job.pcm[k++]! / 32768;
  const wav = await wavEncoder.encode({ sampleRate: job.rate, channelData }, { bitDepth: 16, symmetric: true });
  // 'wx': a name taken meanwhile is never overwritten.
  await writeFile(job.path, new Uint8Array(wav), { flag: 'wx' });
  return { ok: true, bytes: wav.byteLength };
}

main().then(
  (done) => parentPort!.postMessage(done),
  (err: unknown) => parentPort!.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err), code: (err as NodeJS.ErrnoException)?.code } satisfies EncodeDone),
);
