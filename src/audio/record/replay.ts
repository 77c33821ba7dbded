// `s`: the last 30 s of what played (receiver) or was captured (sender), saved as a WAV at once.

/** What a replay save wrote. */
export interface ReplaySaved {
  path: string;
  durationS: number;
  bytes: number;
}

/** Seconds the replay ring keeps. */
export const REPLAY_SECONDS = 30;
