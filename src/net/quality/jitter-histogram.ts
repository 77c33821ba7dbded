// Interarrival jitter as a histogram (screen only). Pure.

export interface JitterHistogram {
  /** Lower edges of the bins in ms; the last bin is open-ended. */
  edgesMs: number[];
  /** Packets per bin over the window. */
  counts: number[];
}

/** 0–1, 1–2, 2–5, 5–10, 10–20, 20–50, 50+ ms. */
export const JITTER_EDGES_MS: readonly number[] = [0, 1, 2, 5, 10, 20, 50];
