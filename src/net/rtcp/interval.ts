// When to send the next RTCP report. RFC 3550 §6.2 scales the interval with
// the session's bandwidth and membership; for one sender and a few receivers
// at audio rates that is about a second. The interval is randomised over
// [0.5, 1.5] × the base (§6.3.1) so that reports from many receivers do not
// fall into step.

export const RTCP_BASE_INTERVAL_MS = 1000;
/** The first report goes out soon after the start, so a round trip shows within the first second. */
export const RTCP_FIRST_INTERVAL_MS = 250;

export function nextRtcpIntervalMs(random: () => number = Math.random, baseMs = RTCP_BASE_INTERVAL_MS): number {
  const r = Math.min(1, Math.max(0, random()));
  return baseMs * (0.5 + r);
}
