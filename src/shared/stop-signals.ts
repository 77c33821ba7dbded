// The signals that end a session (Ctrl-C, kill, a closed terminal), and how
// the exit line words them; one place for headless, dashboard and launch screen.
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export function stopReason(sig: NodeJS.Signals): string {
  return sig === 'SIGINT' ? 'interrupted (Ctrl-C)' : `stopped by ${sig}`;
}

/** Calls `fn` with the reason when one of them arrives; returns what removes the handlers. */
export function onStopSignal(fn: (reason: string) => void): () => void {
  const handler = (sig: NodeJS.Signals): void => fn(stopReason(sig));
  for (const s of STOP_SIGNALS) process.on(s, handler);
  return () => {
    for (const s of STOP_SIGNALS) process.off(s, handler);
  };
}
