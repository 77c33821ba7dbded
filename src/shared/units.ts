// How figures are shown to a user, in log lines, stats and the dashboard alike.

/** One decimal: what the stats show of a millisecond or a dBFS value. */
export function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

/** `512 B`, `1.5 KiB`, `3.2 MiB`. */
export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
