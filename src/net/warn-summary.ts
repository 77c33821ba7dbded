/**
 * Counts noisy events (malformed packets, gaps) so the log gets at most one
 * summary line per period however many arrive.
 */
export class WarnSummary {
  private counts = new Map<string, number>();

  note(kind: string, n = 1): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + n);
  }

  /** Counts since the last drain, or null when nothing happened. */
  drain(): Record<string, number> | null {
    if (this.counts.size === 0) return null;
    const out = Object.fromEntries(this.counts);
    this.counts.clear();
    return out;
  }
}

export function describeCounts(c: Record<string, number>): string {
  return Object.entries(c)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
}
