// A session's life, headless or under the dashboard (in its worker): start,
// --record and --duration, then on stop, end or error: close the recording,
// the session and the final --stats-json line, in that order.
import { UserError } from './errors.js';
import type { AppLogger } from './logging/logger.js';
import type { Session, Snapshot } from './session.js';
import type { SessionConfig } from './session-config.js';
import { StatsJsonWriter } from './stats-json.js';
export type FlashLevel = 'info' | 'warn' | 'error';

export interface RunHooks {
  /** Resolves with a reason when the user asks to stop (q, Ctrl-C, a signal). */
  stop: Promise<string>;
  /** Runs once the session has started (the demo starts its sender here). */
  afterStart?: () => Promise<void>;
  onStarted?: () => void;
  onStopping?: (reason: string) => void;
  onFlash?: (text: string, level: FlashLevel) => void;
}

/** Resolves with the exit code and why; throws (after cleaning up) when the session cannot start. */
export async function runSession(session: Session, cfg: SessionConfig, logger: AppLogger, hooks: RunHooks): Promise<{ code: number; reason: string }> {
  const app = logger.child('app');
  const stats = cfg.statsJson ? new StatsJsonWriter(cfg.statsJson) : undefined;
  session.on('stats', (s) => stats?.write(s));
  let finish: (reason: string, code: number) => void = () => undefined;
  const done = new Promise<{ reason: string; code: number }>((resolve) => {
    finish = (reason, code) => resolve({ reason, code });
  });
  void hooks.stop.then((reason) => finish(reason, 0));
  session.on('end', () => finish('source ended', 0));
  session.on('error', (err) => {
    app.error({ err }, err.message);
    finish(err.message, err instanceof UserError ? err.exitCode : 1);
  });

  let timer: NodeJS.Timeout | undefined;
  try {
    await session.start();
    await hooks.afterStart?.();
    hooks.onStarted?.();
    timer = recordAndTime(session, cfg, logger, hooks, finish);
  } catch (err) {
    if (!(err instanceof UserError)) app.error({ err }, 'start failed');
    await shutdown(session, stats, undefined);
    throw err;
  }
  const { reason, code } = await done;
  if (timer) clearTimeout(timer);
  hooks.onStopping?.(reason);
  const final = await shutdown(session, stats, app);
  // The gap strip is for the screen; the log keeps the numbers.
  const { gaps: _gaps, ...numbers } = (final ?? {}) as Snapshot & { gaps?: unknown };
  app.info({ reason, final: final ? numbers : undefined }, `exit: ${reason}`);
  return { code, reason };
}

/** --record and --duration; returns the --duration timer if one runs. */
function recordAndTime(
  session: Session,
  cfg: SessionConfig,
  logger: AppLogger,
  hooks: RunHooks,
  finish: (reason: string, code: number) => void,
): NodeJS.Timeout | undefined {
  const until = (): NodeJS.Timeout | undefined =>
    cfg.durationS === undefined ? undefined : setTimeout(() => finish(`--duration ${cfg.durationS} s reached`, 0), cfg.durationS * 1000);
  if (!cfg.record.atStart) return until();
  // A receiver records once a stream says what format it is; --duration then counts recorded audio.
  if (cfg.durationS !== undefined) {
    session.recorder.once('stopped', () => finish(`recorded ${cfg.durationS} s`, 0));
    // A recording that fails mid-way (disk full) must not leave the session running for ever.
    session.recorder.once('error', () => until());
  }
  void session
    .streamFormat()
    .then((format) => {
      session.recorder.setFormat(format);
      return session.recorder.start({ path: cfg.record.path, durationS: cfg.durationS });
    })
    .catch((err: unknown) => {
      logger.child('record').error({ err }, (err as Error).message);
      hooks.onFlash?.(`recording: ${(err as Error).message}`, 'error');
      if (cfg.durationS !== undefined) until();
    });
  return undefined;
}

async function shutdown(session: Session, stats: StatsJsonWriter | undefined, app: ReturnType<AppLogger['child']> | undefined): Promise<Snapshot | undefined> {
  // Recordings first: nothing the user recorded may be lost to a later failure.
  try {
    await session.recorder.stop();
  } catch (err) {
    app?.error({ err }, 'closing the recording failed');
  }
  try {
    await session.stop();
  } catch (err) {
    app?.error({ err }, 'stopping failed');
  }
  let final: Snapshot | undefined;
  try {
    final = session.finalSnapshot();
    stats?.write(final, true);
  } catch {
    // Never started: no numbers to report.
  }
  await stats?.close();
  return final;
}
