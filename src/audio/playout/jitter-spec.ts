/** The playout delay the receiver holds: a fixed promise, or one that follows the link within bounds. */
export type JitterSpec = { mode: 'fixed'; ms: number } | { mode: 'auto'; minMs: number; maxMs: number };
