// Records one hour of 44.1 kHz mono through Recorder → WavWriter, faster than
// real time, in 10 ms frames, and reports peak RSS growth (goal: < 5 MB).
// Run: node --import tsx bench/recording-memory.bench.ts   (BENCH_SECONDS=60 for a quick look)
//
// RSS also moves with V8's own heap sizing and malloc arenas, whatever the
// program does; so the same loop runs once without recording (the control)
// and both numbers are printed. A recorder that held its audio would grow by
// the file's size (318 MB here), not by a few MB.
import { once } from 'node:events';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Recorder } from '../src/audio/record/recorder.js';
import { WavReader } from '../src/audio/wav/wav-reader.js';
import type { WavWriterResult } from '../src/audio/wav/wav-writer.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 3600);
const format = { rate: 44100, channels: 1 } as const;
const byteRate = format.rate * 2;

const dir = mkdtempSync(join(tmpdir(), 'streamer-bench-'));
const rec = new Recorder({ format, dir });
let failed: Error | null = null;
rec.on('error', (e) => {
  failed = e;
});

// One 10 ms block of a 440 Hz tone, reused (the writer copies what it keeps).
const frame = Int16Array.from({ length: format.rate / 100 }, (_, i) =>
  Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / format.rate)),
);

/** Feeds `seconds` of audio as fast as the disk takes it; returns peak RSS. */
async function feed(seconds: number, path: string | null): Promise<number> {
  let peak = process.memoryUsage().rss;
  for (let s = 0; s < seconds && !failed; s++) {
    for (let f = 0; f < 100; f++) rec.write(frame); // a no-op when not recording
    // Yield every second of audio; when the disk lags more than 2 s of audio
    // behind, wait for it (a real-time source never gets that far ahead).
    do await sleep(1);
    while (path && !failed && rec.state().recording && rec.state().bytes - statSync(path).size > 2 * byteRate);
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  return peak;
}

async function record(seconds: number, path?: string): Promise<{ peak: number; result: WavWriterResult }> {
  const stopped = once(rec, 'stopped') as Promise<[WavWriterResult]>;
  const started = await rec.start({ path, durationS: seconds });
  let peak = await feed(seconds, started); // the timed recording stops itself at exactly `seconds`
  if (failed) throw failed;
  const [result] = await stopped;
  peak = Math.max(peak, process.memoryUsage().rss);
  return { peak, result };
}

// Warm up (JIT, heap sizing, thread pool) so both baselines are steady state.
await record(300, join(dir, 'warmup.wav'));
rmSync(join(dir, 'warmup.wav'));

let baseline = process.memoryUsage().rss;
const controlGrowth = (await feed(seconds, null)) - baseline;

baseline = process.memoryUsage().rss;
const t0 = performance.now();
const { peak, result } = await record(seconds);
const wallS = (performance.now() - t0) / 1000;

const reader = WavReader.open(result.path);
const fileS = reader.totalFrames / reader.format.rate;
reader.close();
rmSync(dir, { recursive: true, force: true });

const mb = (b: number): string => (b / (1024 * 1024)).toFixed(2);
const growth = peak - baseline;
process.stdout.write(
  [
    `date: ${new Date().toISOString()}`,
    `machine: ${cpus()[0]?.model ?? 'unknown cpu'}, ${cpus().length} cores, node ${process.version}`,
    `recorded: ${fileS.toFixed(3)} s of ${format.rate} Hz mono (${(result.bytes / 1e6).toFixed(1)} MB file) in ${wallS.toFixed(1)} s, ${(fileS / wallS).toFixed(0)}× real time`,
    `peak RSS growth: ${mb(growth)} MB (goal < 5 MB) ${growth < 5 * 1024 * 1024 ? 'OK' : 'OVER'}`,
    `control, same loop without recording: ${mb(controlGrowth)} MB`,
    '',
  ].join('\n'),
);
