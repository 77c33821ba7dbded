import { useEffect, useState } from 'react';
import type { DOMElement } from 'ink';
import type { Level } from '../bridge/types.js';
import { useServices } from '../contexts/services-context.js';
import { nextVu, sameDrawing, SILENT_VU, type VuState } from '../vu-scale.js';

/** How the meter's rows are drawn in place (see ../meter-overlay.ts): its box, and its rows for a state. */
export interface InPlace {
  node: () => DOMElement | null;
  rows: (vu: VuState, cells: number) => string[];
}

/**
 * The meter, as often as the session gives a level (~10 times a second, read from the worker's SharedLevelWindow on the drawing side's timer):
 * applies the ballistics to what the audio path measured since the last
 * one. Does something only when the bar of `width` cells would change, so
 * silence costs nothing, and wakes no timer of its own. With the dashboard's
 * meter overlay and `inPlace`, a change is drawn in place and the state
 * returned (what a frame of Ink's draws underneath) is left as it was;
 * where the overlay cannot draw, the change renders as a state update.
 */
export function useLevels(width: number, inPlace?: InPlace): VuState {
  const { session, now, meterOverlay } = useServices();
  const [vu, setVu] = useState<VuState>(SILENT_VU);
  useEffect(() => {
    const overlay = inPlace ? meterOverlay : undefined;
    const detach = overlay?.attach(inPlace!.node);
    let current = { ...SILENT_VU, atMs: now() };
    const onLevel = (level: Level): void => {
      const next = nextVu(current, level, now());
      const changed = !sameDrawing(current, next, width);
      current = next;
      if (!changed) return;
      if (overlay?.show((cells) => inPlace!.rows(next, cells))) return;
      setVu(next);
    };
    session.on('levels', onLevel);
    return () => {
      session.off('levels', onLevel);
      detach?.();
    };
  }, [session, now, width, meterOverlay, inPlace]);
  return vu;
}
