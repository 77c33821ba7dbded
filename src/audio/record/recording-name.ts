// Default recording names, as the old tool made them, but never overwriting.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const two = (n: number): string => String(n).padStart(2, '0');

/** recording_YYYYMMDD_HHMMSS.wav in local time. */
export function defaultRecordingName(d: Date): string {
  const day = `${d.getFullYear()}${two(d.getMonth() + 1)}${two(d.getDate())}`;
  const time = `${two(d.getHours())}${two(d.getMinutes())}${two(d.getSeconds())}`;
  return `recording_${day}_${time}.wav`;
}

/** `dir/recording_….wav`, or with _1, _2 … before `.wav` when that name is taken. */
export function uniqueRecordingPath(dir: string, d: Date): string {
  const base = defaultRecordingName(d).slice(0, -'.wav'.length);
  let path = join(dir, `${base}.wav`);
  for (let i = 1; existsSync(path); i++) path = join(dir, `${base}_${i}.wav`);
  return path;
}
