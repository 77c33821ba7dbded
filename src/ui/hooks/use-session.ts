import { useEffect, useState } from 'react';
import type { Snapshot } from '../bridge/types.js';
import { useServices } from '../contexts/services-context.js';

/** The session's latest stats (once a second); each notice goes to `onNotice` as it comes, not into state. */
export function useSession(onNotice: (text: string) => void): Snapshot | undefined {
  const { session } = useServices();
  const [stats, setStats] = useState<Snapshot | undefined>(session.snapshot);
  useEffect(() => {
    session.on('stats', setStats);
    session.on('notice', onNotice);
    return () => {
      session.off('stats', setStats);
      session.off('notice', onNotice);
    };
  }, [session, onNotice]);
  return stats;
}
