// Loss bursts by length (screen only). Pure.

/** Bursts longer than this are counted in the last bin. */
export const MAX_BURST_BIN = 32;

export interface LossBursts {
  /** lengths[i]: bursts of i + 1 consecutive lost packets; the last bin holds MAX_BURST_BIN or more. */
  lengths: number[];
}

/** "12 single losses, 3 bursts of 2–4, longest 7" (stub until burst counting lands). */
export function describeBursts(lengths: readonly number[]): string {
  return lengths.some((n) => n > 0) ? 'losses' : 'no losses';
}
