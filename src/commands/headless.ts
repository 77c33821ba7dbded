import type { AppLogger } from '../logging/logger.js';
import type { Session } from '../session/session.js';
import type { SessionConfig } from '../session/config.js';
import { runSession } from '../session/runner.js';
import { onStopSignal } from '../shared/stop-signals.js';

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
  const stop = new Promise<string>((resolve) => (off = onStopSignal(resolve)));
  try {
    const { code } = await runSession(session, cfg, logger, { stop, afterStart });
    return code;
  } finally {
    off();
  }
}
