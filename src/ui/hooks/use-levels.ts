import { useEffect, useState } from 'react';
import type { Level } from '../bridge/types.js';
import { useServices } from '../contexts/services-context.js';
import { nextVu, sameDrawing, SILENT_VU, type VuState } from '../vu-scale.js';

/**
 * The meter, as often as the session gives a level (~10 times a second, read from the worker's SharedLevelWindow on the drawing side's timer):
 * applies the ballistics to what the audio path measured since the last
 * one. Renders only when the bar of `width` cells would change, so silence
 * costs nothing, and wakes no timer of its own.
 */
export function useLevels(width: number): VuState {
  const { session, now } = useServices();
  const [vu, setVu] = useState<VuState>(SILENT_VU);
  useEffect(() => {
    let current = { ...SILENT_VU, atMs: now() };
    const onLevel = (level: Level): void => {
      const next = nextVu(current, level, now());
      const changed = !sameDrawing(current, next, width);
      current = next;
      if (changed) setVu(next);
    };
    session.on('levels', onLevel);
    return () => void session.off('levels', onLevel);
  }, [session, now, width]);
  return vu;
}
