// When to try a lost device again: quickly at first (a sound server
// restarting takes a second or two), then every few seconds. Pure.

export const RETRY_MIN_MS = 250;
export const RETRY_MAX_MS = 4000;

/** Delay before retry number `attempt` (0-based): 250, 500, 1000, 2000, 4000, 4000 … ms. */
export function retryDelayMs(attempt: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** Math.max(0, attempt));
}
