import { useEffect, useState } from 'react';
import { useServices } from '../contexts/services-context.js';
import { UI_INTERVAL_MS } from '../throttle.js';
import { nextVu, sameDrawing, SILENT_VU, type VuState } from '../vu-scale.js';

/**
 * The meter, ~10 times a second: takes the level the audio path measured since
 * the last look and applies the ballistics. Renders only when the bar of
 * `width` cells would change, so silence costs nothing.
 */
export function useLevels(width: number, intervalMs = UI_INTERVAL_MS): VuState {
  const { session, now } = useServices();
  const [vu, setVu] = useState<VuState>(SILENT_VU);
  useEffect(() => {
    let current = { ...SILENT_VU, atMs: now() };
    const timer = setInterval(() => {
      const next = nextVu(current, session.levels(), now());
      const changed = !sameDrawing(current, next, width);
      current = next;
      if (changed) setVu(next);
    }, intervalMs);
    return () => clearInterval(timer);
  }, [session, now, width, intervalMs]);
  return vu;
}
