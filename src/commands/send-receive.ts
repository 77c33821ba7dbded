// `streamer send` and `streamer receive`: a dashboard on a terminal, headless
// lines on stderr otherwise; sets the exit code.
import type { SessionConfig } from '../session/config.js';
import { memoryReducerHeld } from '../session/gc-tuning.js';
import { ReceiveSession, SendSession, type Session } from '../session/session.js';
import { buildConfig, openLogger, type RawArgs } from './build-config.js';
import { dashboardWanted } from './dashboard-wanted.js';
import { runHeadless } from './headless.js';
import { checkStart } from './start-checks.js';
import { streamFor } from './sdp.js';

export async function runRole(role: 'send' | 'receive', args: RawArgs): Promise<void> {
  const cfg = buildConfig(args, role);
  checkStart(cfg, role);
  // send --sap announces what `streamer sdp` would print for the same flags (one writer, every codec).
  if (role === 'send' && cfg.sap) cfg.sap.stream = streamFor(cfg);
  if (dashboardWanted(cfg)) {
    const { runDashboard } = await import('../ui/run-dashboard.js'); // React loads only for a dashboard
    process.exitCode = await runDashboard(role, cfg);
    return;
  }
  const logger = openLogger({ ...cfg.log, stderr: 'human' });
  logger.child('app').info({ role, memoryReducerHeld: memoryReducerHeld(), options: loggableOptions(cfg) }, `streamer ${role} starting`);
  let code = 1;
  try {
    // No dashboard, no `s`: no replay ring.
    const session: Session = role === 'send' ? new SendSession(cfg, logger, { replay: false }) : new ReceiveSession(cfg, logger, { replay: false });
    code = await runHeadless(session, cfg, logger);
  } finally {
    await logger.close();
  }
  process.exitCode = code;
}

function loggableOptions(cfg: SessionConfig): object {
  return { ...cfg, key: cfg.key ? '(set)' : undefined };
}
