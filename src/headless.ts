import type { AppLogger } from './logging/logger.js';
import type { Session, Snapshot } from './session.js';
import type { SessionConfig } from './session-config.js';
import { StatsJsonWriter } from './stats-json.js';
import { UserError } from './errors.js';

/**
 * Runs a session without a dashboard until Ctrl-C, SIGTERM, --duration or the
 * source's end, then closes everything in order and writes the final stats.
 * Resolves to the exit code.
 */
export async function runHeadless(
  session: Session,
  cfg: SessionConfig,
  logger: AppLogger,
  afterStart?: () => Promise<void>,
): Promise<number> {
  const app = logger.child('app');
  const stats = cfg.statsJson ? new StatsJsonWriter(cfg.statsJson) : undefined;
  session.on('stats', (s) => stats?.write(s));

  let finish: (reason: string, code: number) => void = () => undefined;
  const done = new Promise<{ reason: string; code: number }>((resolve) => {
    finish = (reason, code) => resolve({ reason, code });
  });
  const onSignal = (sig: NodeJS.Signals): void => finish(sig === 'SIGINT' ? 'interrupted (Ctrl-C)' : `stopped by ${sig}`, 0);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  session.on('end', () => finish('source ended', 0));
  session.on('error', (err) => {
    app.error({ err }, err.message);
    finish(err.message, err instanceof UserError ? err.exitCode : 1);
  });

  let timer: NodeJS.Timeout | undefined;
  try {
    await session.start();
    await afterStart?.();
    if (cfg.record.atStart) {
      // A receiver records once a stream says what format it is; --duration then
      // means S seconds of recorded audio, and the session ends with the recording.
      void session.streamFormat().then(async (format) => {
        session.recorder.setFormat(format);
        try {
          await session.recorder.start({ path: cfg.record.path, durationS: cfg.durationS });
        } catch (err) {
          // The stream goes on without the recording.
          logger.child('record').error({ err }, (err as Error).message);
          recordingFailed();
        }
      });
      const recordingFailed = (): void => {
        if (cfg.durationS === undefined || timer) return;
        timer = setTimeout(() => finish(`--duration ${cfg.durationS} s reached`, 0), cfg.durationS * 1000);
      };
      if (cfg.durationS !== undefined) {
        session.recorder.once('stopped', () => finish(`recorded ${cfg.durationS} s`, 0));
        session.recorder.once('error', recordingFailed);
      }
    } else if (cfg.durationS !== undefined) {
      timer = setTimeout(() => finish(`--duration ${cfg.durationS} s reached`, 0), cfg.durationS * 1000);
    }
  } catch (err) {
    finish((err as Error).message, err instanceof UserError ? err.exitCode : 1);
    if (!(err instanceof UserError)) app.error({ err }, 'start failed');
    await shutdown(session, stats, undefined);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    throw err;
  }

  const { reason, code } = await done;
  if (timer) clearTimeout(timer);
  const final = await shutdown(session, stats, app);
  app.info({ reason, final }, `exit: ${reason}`);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  process.off('SIGHUP', onSignal);
  return code;
}

async function shutdown(
  session: Session,
  stats: StatsJsonWriter | undefined,
  app: ReturnType<AppLogger['child']> | undefined,
): Promise<Snapshot | undefined> {
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
