// Number formatting for the dashboard, pure.
import { DBFS_FLOOR } from '../audio/meter.js';

/** `-6.0`, or `-inf` for digital silence. */
export function fmtDb(dbfs: number): string {
  if (!Number.isFinite(dbfs) || dbfs <= DBFS_FLOOR) return '-inf';
  return dbfs.toFixed(1);
}

/** Seconds as `m:ss`, or `h:mm:ss` from an hour on. */
export function fmtClock(totalS: number): string {
  const s = Math.max(0, Math.floor(totalS));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export function fmtKbps(kbps: number): string {
  return kbps >= 1000 ? `${(kbps / 1000).toFixed(2)} Mbit/s` : `${kbps.toFixed(1)} kbit/s`;
}

/** Fits `text` into `width` columns, ending in … when cut. */
export function clip(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}
