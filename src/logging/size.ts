/** Binary multipliers, as rotating-file-stream and the old tool use them (5M = 5 MiB). */
const UNITS: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

// A number (decimals allowed) and an optional unit: 1000, 1000B, 500K, 500k, 5M, 5MB, 5MiB, 1.5G.
const SIZE_RE = /^(\d+(?:\.\d+)?)\s*(?:([kmg])(?:i?b)?|(b))?$/i;

/**
 * Parses a size such as `500K` (512000), `5M`, `1G` or plain bytes `1000`.
 * Returns undefined for anything else, zero, or a size too large to count exactly.
 */
export function parseSize(s: string): number | undefined {
  const m = SIZE_RE.exec(s.trim());
  if (!m) return undefined;
  const num = Number(m[1]);
  const unit = (m[2] ?? m[3] ?? 'b').toLowerCase();
  const bytes = Math.round(num * (UNITS[unit] ?? 1));
  if (!Number.isSafeInteger(bytes) || bytes < 1) return undefined;
  return bytes;
}
