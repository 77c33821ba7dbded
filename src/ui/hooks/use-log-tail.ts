import { useEffect, useState } from 'react';
import type { LogEntry } from '../../logging/log-line.js';
import { useServices } from '../contexts/services-context.js';
import { createThrottle, UI_INTERVAL_MS } from '../throttle.js';

/** The log tail's kept lines, re-read at most ~10 times a second however many arrive. */
export function useLogTail(): readonly LogEntry[] {
  const { logTail } = useServices();
  const [lines, setLines] = useState<readonly LogEntry[]>(() => logTail.lines());
  useEffect(() => {
    const t = createThrottle<null>(() => setLines(logTail.lines()), UI_INTERVAL_MS);
    const onLine = (): void => t.push(null);
    logTail.on('line', onLine);
    setLines(logTail.lines());
    return () => {
      logTail.off('line', onLine);
      t.cancel();
    };
  }, [logTail]);
  return lines;
}
