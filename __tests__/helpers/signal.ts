// Signal analysis for received audio: frequency by zero crossings.

/** Estimated frequency of channel 0 of interleaved PCM. */
export function zeroCrossingHz(pcm: Int16Array, rate: number, channels = 1): number {
  let crossings = 0;
  let prev = pcm[0] ?? 0;
  const frames = Math.floor(pcm.length / channels);
  for (let i = 1; i < frames; i++) {
    const v = pcm[i * channels]!;
    if ((prev < 0 && v >= 0) || (prev >= 0 && v < 0)) crossings++;
    prev = v;
  }
  return (crossings / 2) * (rate / frames);
}

export function firstDifference(a: Int16Array, b: Int16Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}
