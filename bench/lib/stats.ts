import { existsSync, readFileSync } from 'node:fs';

/** The last object a `--stats-json F` file holds (the final one after a clean exit). */
export function lastStats(file: string): Record<string, unknown> | undefined {
  if (!existsSync(file)) return undefined;
  const lines = readFileSync(file, 'utf8').trim().split('\n').filter(Boolean);
  const last = lines[lines.length - 1];
  try {
    return last ? (JSON.parse(last) as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Every object of a `--stats-json F` file, in order. */
export function allStats(file: string): Array<Record<string, unknown>> {
  if (!existsSync(file)) return [];
  const out: Array<Record<string, unknown>> = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    try {
      if (line.trim()) out.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // A line cut short by a kill: skip it.
    }
  }
  return out;
}

export function num(s: Record<string, unknown> | undefined, key: string): number {
  const v = s?.[key];
  return typeof v === 'number' ? v : NaN;
}
