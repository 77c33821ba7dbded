// Wall-clock time as RFC 3550 §4 NTP timestamps: seconds since 1900 in the
// upper 32 bits, the fraction of a second in the lower 32.
import type { Ntp } from './rtcp.js';

/** Seconds between 1900-01-01 (NTP's epoch) and 1970-01-01 (Unix's). */
export const NTP_UNIX_OFFSET_S = 2_208_988_800;

export function ntpFromUnixMs(ms: number): Ntp {
  const seconds = Math.floor(ms / 1000);
  const fraction = (ms - seconds * 1000) / 1000;
  return { msw: (seconds + NTP_UNIX_OFFSET_S) >>> 0, lsw: Math.min(0xffffffff, Math.floor(fraction * 0x100000000)) >>> 0 };
}

/** 1/65536 s units (what DLSR and DLRR count) for a span in ms. */
export function toUnits65536(ms: number): number {
  return Math.max(0, Math.min(0xffffffff, Math.round((ms * 65536) / 1000)));
}

export function fromUnits65536(units: number): number {
  return (units * 1000) / 65536;
}
