import type { AppLogger } from '../logging/logger.js';
import type { Session } from '../session/session.js';
import type { SessionConfig } from '../session/config.js';
import { runSession } from '../session/runner.js';
import { dieBy, onStopSignal } from '../shared/stop-signals.js';

/**
 * Runs a session without a dashboard until Ctrl-C, SIGTERM, --duration or the
 * source's end; the shared runner closes everything in order and writes the
 * final stats. Resolves to the exit code.
 */
export async function runHeadless(
  session: Session,
  cfg: SessionConfig,
  logger: AppLogger,
  afterStart?: () => Promise<void>,
): Promise<number> {
  let off: () => void = () => undefined;
  let second: NodeJS.Signals | undefined;
  let askAgain: () => void = () => undefined;
  const again = new Promise<void>((resolve) => (askAgain = resolve));
  // The first signal stops in order; a second one, while that hangs, stops waiting.
  const stop = new Promise<string>((resolve) => {
    let asked = false;
    off = onStopSignal((reason, sig) => {
      if (asked) {
        second = sig;
        askAgain();
        return;
      }
      asked = true;
      resolve(reason);
    });
  });
  try {
    const r = await runSession(session, cfg, logger, { stop, again, afterStart });
    if (r.abandoned) {
      // The recording is closed and the runner's log line says what hung; that would hold
      // the process, so it goes the way the signal would have taken it.
      dieBy(second ?? 'SIGINT');
    }
    return r.code;
  } finally {
    off();
  }
}
