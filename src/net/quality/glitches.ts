// Audible events by cause (SPEC §4 `glitches`). Pure: fed what the playout did, packet by packet.

/** Audible events of the session by cause; total is their sum. */
export interface GlitchCounts {
  /** Runs of packets lost on the network and concealed. */
  network: number;
  /** Runs of packets that came after their playout time. */
  late: number;
  /** Our side: the sink wanted audio the buffer did not have (CPU, device). */
  underrun: number;
  total: number;
}

export const NO_GLITCHES: GlitchCounts = { network: 0, late: 0, underrun: 0, total: 0 };
