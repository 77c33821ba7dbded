/**
 * Counts noisy events (malformed packets, gaps) so the log gets at most one
 * summary line per period however many arrive.
 */
export class WarnSummary {
  private counts = new Map<string, number>();

  private readonly labels = new Map<string, Map<string, string>>();

  note(kind: string, n = 1): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + n);
  }

  /** note(`${what} (${kind})`), with the label built once per kind: a flood of bad packets must not build a string each. */
  noteKind(what: string, kind: string): void {
    let byKind = this.labels.get(what);
    if (!byKind) this.labels.set(what, (byKind = new Map()));
    let label = byKind.get(kind);
    if (label === undefined) byKind.set(kind, (label = `${what} (${kind})`));
    this.note(label);
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
