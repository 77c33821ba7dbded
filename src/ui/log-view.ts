// Which log lines the pane shows, and how one reads in it; pure.
import { formatHuman, LOG_LEVELS, type LogEntry, type LogLevel } from '../logging/log-line.js';

const rank = (l: LogLevel): number => LOG_LEVELS.indexOf(l);

/** The last `count` entries at `level` or above, oldest first. */
export function visibleLines(entries: readonly LogEntry[], level: LogLevel, count: number): LogEntry[] {
  if (count <= 0) return [];
  const min = rank(level);
  const out: LogEntry[] = [];
  for (let i = entries.length - 1; i >= 0 && out.length < count; i--) {
    const e = entries[i]!;
    if (rank(e.level) >= min) out.push(e);
  }
  return out.reverse();
}

/** `12:01:02 WARN  net   message key=value` (the pane is narrow: no milliseconds). */
export function logLineText(e: LogEntry): string {
  return formatHuman(e, { ms: false, componentWidth: 6 });
}
