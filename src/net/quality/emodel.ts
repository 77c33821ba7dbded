// ITU-T G.107 E-model, simplified (SPEC §4 `mos`). Pure.

export type MosBand = 'excellent' | 'good' | 'fair' | 'poor' | 'bad';

/** Colour band of a MOS for the screen (stub until the E-model lands). */
export function mosBand(mos: number): MosBand {
  if (mos >= 4.3) return 'excellent';
  if (mos >= 4.0) return 'good';
  if (mos >= 3.6) return 'fair';
  if (mos >= 3.1) return 'poor';
  return 'bad';
}
