import { useEffect, useState } from 'react';
import type { Snapshot } from '../../session.js';
import { useServices } from '../contexts/services-context.js';
import { createThrottle, UI_INTERVAL_MS } from '../throttle.js';

export interface Notice {
  text: string;
  /** Counts up, so the same text twice is still news. */
  seq: number;
}

/** The session's latest stats (once a second, throttled all the same) and its latest notice. */
export function useSession(): { stats: Snapshot | undefined; notice: Notice | null } {
  const { session } = useServices();
  const [stats, setStats] = useState<Snapshot | undefined>(session.snapshot);
  const [notice, setNotice] = useState<Notice | null>(null);
  useEffect(() => {
    const statsT = createThrottle(setStats, UI_INTERVAL_MS);
    const noticeT = createThrottle(setNotice, UI_INTERVAL_MS);
    const onStats = (s: Snapshot): void => statsT.push(s);
    let seq = 0;
    const onNotice = (text: string): void => noticeT.push({ text, seq: ++seq });
    session.on('stats', onStats);
    session.on('notice', onNotice);
    return () => {
      session.off('stats', onStats);
      session.off('notice', onNotice);
      statsT.cancel();
      noticeT.cancel();
    };
  }, [session]);
  return { stats, notice };
}
