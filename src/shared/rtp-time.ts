// Wrap-aware arithmetic for RTP's 16-bit sequence numbers and 32-bit
// timestamps (RFC 3550 §A.1): comparisons use half the number space.

export const SEQ_MOD = 0x10000;
export const TS_MOD = 0x100000000;

export function uint16Add(a: number, b: number): number {
  return (a + b) & 0xffff;
}

/** Signed distance b − a in (−32768, 32768]. */
export function uint16Diff(a: number, b: number): number {
  const d = (b - a) & 0xffff;
  return d > 0x8000 ? d - SEQ_MOD : d;
}

export function uint16Gt(a: number, b: number): boolean {
  return uint16Diff(b, a) > 0;
}

export function uint32Add(a: number, b: number): number {
  return (a + b) % TS_MOD >>> 0;
}

/** Any integer (an unwrapped timestamp, a negative offset) back into 0 … 2³²−1. */
export function wrapUint32(v: number): number {
  return ((v % TS_MOD) + TS_MOD) % TS_MOD;
}

/** Signed distance b − a for 32-bit timestamps. */
export function uint32Diff(a: number, b: number): number {
  const d = wrapUint32(b - a);
  return d > 0x80000000 ? d - TS_MOD : d;
}

/**
 * Extends wrapping counters to a monotonic number line: feed it each
 * received value and it returns the value plus the cycles it has seen.
 */
export class Unwrapper {
  private last: number | undefined;
  private ext = 0;
  constructor(private readonly modulus: number) {}

  unwrap(value: number): number {
    if (this.last === undefined) {
      this.last = value;
      this.ext = value;
      return value;
    }
    const half = this.modulus / 2;
    let d = (value - this.last) % this.modulus;
    if (d < 0) d += this.modulus;
    if (d >= half) d -= this.modulus;
    const ext = this.ext + d;
    // Track the highest value so a late packet does not drag the cycle back.
    if (d > 0) {
      this.ext = ext;
      this.last = value;
    }
    return ext;
  }

  reset(): void {
    this.last = undefined;
    this.ext = 0;
  }
}
