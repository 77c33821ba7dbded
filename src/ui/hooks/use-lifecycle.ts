import { useEffect, type Dispatch } from 'react';
import { useServices } from '../contexts/services-context.js';
import type { FlashLevel } from '../bridge/types.js';
import type { DashboardAction, Phase } from '../state/dashboard-reducer.js';

/** The runner's news about the session (started, stopping, a problem) into the reducer. */
export function useLifecycle(dispatch: Dispatch<DashboardAction>): void {
  const { lifecycle } = useServices();
  useEffect(() => {
    const onPhase = (phase: Phase, reason: string): void => {
      if (phase === 'running') dispatch({ type: 'started' });
      else if (phase === 'stopping') dispatch({ type: 'stopping', reason });
    };
    const onFlash = (text: string, level: FlashLevel): void => dispatch({ type: 'flash', text, level });
    lifecycle.on('phase', onPhase);
    lifecycle.on('flash', onFlash);
    onPhase(...lifecycle.phase());
    return () => {
      lifecycle.off('phase', onPhase);
      lifecycle.off('flash', onFlash);
    };
  }, [lifecycle, dispatch]);
}
