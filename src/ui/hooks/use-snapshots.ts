import { useEffect, useState } from 'react';
import type { ReceiverSnapshot, SenderSnapshot, Snapshot } from '../bridge/types.js';
import { useServices } from '../contexts/services-context.js';

export interface Snapshots {
  sender: SenderSnapshot | undefined;
  receiver: ReceiverSnapshot | undefined;
}

function put(prev: Snapshots, s: Snapshot): Snapshots {
  return s.role === 'sender' ? { ...prev, sender: s } : { ...prev, receiver: s };
}

/**
 * The latest stats of each role (once a second each): a session posts its own,
 * the demo its sender's too ('peer-stats'). Each notice goes to
 * `onNotice` as it comes, not into state.
 */
export function useSnapshots(onNotice: (text: string) => void): Snapshots {
  const { session } = useServices();
  const [snaps, setSnaps] = useState<Snapshots>(() =>
    [session.snapshot, session.peerSnapshot].reduce<Snapshots>((acc, s) => (s ? put(acc, s) : acc), { sender: undefined, receiver: undefined }),
  );
  useEffect(() => {
    const onStats = (s: Snapshot): void => setSnaps((prev) => put(prev, s));
    session.on('stats', onStats);
    session.on('peer-stats', onStats);
    session.on('notice', onNotice);
    return () => {
      session.off('stats', onStats);
      session.off('peer-stats', onStats);
      session.off('notice', onNotice);
    };
  }, [session, onNotice]);
  return snaps;
}
