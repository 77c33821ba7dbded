// The signals that end a session (Ctrl-C, kill, a closed terminal), and how
// the exit line words them; one place for headless, dashboard and launch screen.
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export function stopReason(sig: NodeJS.Signals): string {
  return sig === 'SIGINT' ? 'interrupted (Ctrl-C)' : `stopped by ${sig}`;
}

/** Calls `fn` with the reason (and the signal) when one of them arrives; returns what removes the handlers. */
export function onStopSignal(fn: (reason: string, sig: NodeJS.Signals) => void): () => void {
  const handler = (sig: NodeJS.Signals): void => fn(stopReason(sig), sig);
  for (const s of STOP_SIGNALS) process.on(s, handler);
  return () => {
    for (const s of STOP_SIGNALS) process.off(s, handler);
  };
}

/**
 * Ends the process at once by `sig`'s default action, as if it had never been
 * handled: the way out when asked twice. Not process.exit: libuv joins its
 * thread pool at exit, so a thread stuck in a file system call (a FIFO nobody
 * reads, a dead network disk) would hold the exit for ever.
 */
export function dieBy(sig: NodeJS.Signals): void {
  for (const s of STOP_SIGNALS) process.removeAllListeners(s);
  process.kill(process.pid, sig);
}
