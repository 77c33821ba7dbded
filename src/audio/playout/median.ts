// The middle of a handful of numbers (the mean of the two middle ones for an
// even count); the input is left as it is.
export function median(values: ArrayLike<number>): number {
  const s = Float64Array.from(values).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
