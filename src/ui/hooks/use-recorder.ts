import { useEffect, useState } from 'react';
import type { RecorderState } from '../bridge/types.js';
import { useServices } from '../contexts/services-context.js';
import { createThrottle, UI_INTERVAL_MS } from '../throttle.js';

/** The recorder's state: on start and stop, and once a second of audio while it records. */
export function useRecorder(): RecorderState {
  const { recorder } = useServices();
  const [state, setState] = useState<RecorderState>(() => recorder.state());
  useEffect(() => {
    const t = createThrottle(setState, UI_INTERVAL_MS);
    const onState = (s: RecorderState): void => t.push(s);
    recorder.on('state', onState);
    setState(recorder.state()); // anything that happened before we subscribed
    return () => {
      recorder.off('state', onState);
      t.cancel();
    };
  }, [recorder]);
  return state;
}
