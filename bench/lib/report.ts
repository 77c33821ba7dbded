// Headers, options and tables every benchmark prints the same way.
import { cpus } from 'node:os';
import { execFileSync } from 'node:child_process';

/** Seconds a benchmark runs (its main phase): --seconds N, else BENCH_SECONDS, else the default. */
export function benchSeconds(defaultS: number): number {
  const i = process.argv.indexOf('--seconds');
  const raw = i >= 0 ? process.argv[i + 1] : process.env.BENCH_SECONDS;
  const n = Number(raw);
  return raw !== undefined && Number.isFinite(n) && n > 0 ? n : defaultS;
}

/** Lines that say when and where a figure was measured. */
export function header(title: string): string {
  const cpu = cpus();
  return [
    `# ${title}`,
    `date: ${new Date().toISOString()}`,
    `machine: ${cpu[0]?.model.trim() ?? 'unknown cpu'}, ${cpu.length} cores, node ${process.version}, ${loadavg()}`,
    `peers: ${toolVersion('ffmpeg', ['-version'])}; ${toolVersion('gst-launch-1.0', ['--version'])}`,
  ].join('\n');
}

function loadavg(): string {
  try {
    return `load ${execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).split(' ').slice(0, 3).join(' ')}`;
  } catch {
    return 'load ?';
  }
}

function toolVersion(cmd: string, args: string[]): string {
  try {
    const first = execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n');
    const line = first.find((l) => /version/i.test(l)) ?? first[0] ?? '';
    return line.replace(/Copyright.*$/, '').trim();
  } catch {
    return `${cmd} missing`;
  }
}

/** A plain aligned table (first row is the heading). */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  const line = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/**
 * The one line bench/run.mjs puts in its summary table. Printed last; a
 * benchmark that never prints it shows its last output line instead.
 */
export function summary(text: string): void {
  process.stdout.write(`summary: ${text}\n`);
}

export function fixed(x: number, digits: number): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '—';
}
