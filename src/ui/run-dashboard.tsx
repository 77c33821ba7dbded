// Runs a Session under the dashboard, as runHeadless does without it: until q,
// Ctrl-C, a signal, --duration or the source's end; then closes the recording,
// the session, the final --stats-json line and the screen, in that order.
// While it runs nothing but Ink writes to the terminal: the logger must have
// been created with `stderr: false`, and the log shows through the log tail.
import { render } from 'ink';
import { performance } from 'node:perf_hooks';
import { UserError } from '../errors.js';
import type { AppLogger } from '../logging/logger.js';
import { LogTail } from '../logging/log-tail.js';
import type { Session, Snapshot } from '../session.js';
import type { SessionConfig } from '../session-config.js';
import { StatsJsonWriter } from '../stats-json.js';
import { ServicesProvider, type Services } from './contexts/services-context.js';
import { colorWanted, ThemeProvider } from './contexts/theme-context.js';
import { dashboardInfo } from './dashboard-info.js';
import { Lifecycle } from './lifecycle.js';
import { Dashboard } from './screens/Dashboard.js';
import { enterFullscreen, restoreTerminal } from './terminal.js';

export interface DashboardIo {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

export interface RunDashboardOptions {
  /** Runs once the session has started (the demo starts its sender here). */
  afterStart?: () => Promise<void>;
  /** Pass one to report problems found before the dashboard ran (the logger's onError). */
  lifecycle?: Lifecycle;
  io?: Partial<DashboardIo>;
}

/**
 * Ink's render options for a dashboard that must never hold up the audio: at
 * most 15 frames a second. Not incrementalRendering: in ink 6.8.0 its
 * log-update moves up one row too few when the frame ends in a newline (as
 * every frame shorter than the terminal does), so each frame lands a row lower.
 */
export const INK_OPTIONS = { exitOnCtrlC: false, patchConsole: true, maxFps: 15, incrementalRendering: false } as const;

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export async function runDashboard(session: Session, cfg: SessionConfig, logger: AppLogger, opts: RunDashboardOptions = {}): Promise<number> {
  const io: DashboardIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, ...opts.io };
  const app = logger.child('app');
  const lifecycle = opts.lifecycle ?? new Lifecycle();
  const stats = cfg.statsJson ? new StatsJsonWriter(cfg.statsJson) : undefined;
  const onStats = (s: Snapshot): void => stats?.write(s);
  session.on('stats', onStats);

  let finish: (reason: string, code: number) => void = () => undefined;
  const done = new Promise<{ reason: string; code: number }>((resolve) => {
    finish = (reason, code) => resolve({ reason, code });
  });
  const onSignal = (sig: NodeJS.Signals): void => finish(sig === 'SIGINT' ? 'interrupted (Ctrl-C)' : `stopped by ${sig}`, 0);
  const onEnd = (): void => finish('source ended', 0);
  const onError = (err: Error): void => {
    app.error({ err }, err.message);
    finish(err.message, err instanceof UserError ? err.exitCode : 1);
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  session.on('end', onEnd);
  session.on('error', onError);

  const tail = new LogTail({ file: cfg.log.file, keep: 200, pollMs: 250 });
  tail.on('error', (err) => lifecycle.flash(`log pane: ${err.message}`, 'warn'));
  tail.start();

  const services: Services = {
    session,
    recorder: session.recorder,
    logTail: tail,
    lifecycle,
    info: dashboardInfo(session.role, cfg),
    logLevel: cfg.log.level,
    quit: (reason) => finish(reason, 0),
    log: (level, msg) => logger.child('ui')[level](msg),
    now: () => performance.now(),
  };
  const leave = enterFullscreen(io.stdout);
  const ink = render(
    <ThemeProvider theme={{ color: colorWanted(io.env) }}>
      <ServicesProvider services={services}>
        <Dashboard />
      </ServicesProvider>
    </ThemeProvider>,
    { ...INK_OPTIONS, stdin: io.stdin, stdout: io.stdout, stderr: io.stderr },
  );
  ink.waitUntilExit().catch((err: unknown) => {
    app.error({ err }, 'dashboard failed');
    finish(`dashboard failed: ${(err as Error).message}`, 1);
  });

  // A bug anywhere must not leave the terminal on the alternate screen in raw mode.
  const fatal = (err: unknown): void => {
    try {
      app.error({ err }, 'unexpected failure');
      ink.unmount();
    } catch {
      // Already failing; the terminal comes first.
    }
    restoreTerminal();
    io.stderr.write(`streamer: unexpected failure: ${(err as Error)?.message ?? String(err)}\n`);
    const last = Promise.race([session.recorder.stop().catch(() => null), new Promise((r) => setTimeout(r, 1000))]);
    void last.then(() => logger.close()).finally(() => process.exit(1));
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);

  const cleanup = (): void => {
    ink.unmount();
    leave();
    tail.stop();
    for (const s of SIGNALS) process.off(s, onSignal);
    process.off('uncaughtException', fatal);
    process.off('unhandledRejection', fatal);
    session.off('stats', onStats);
    session.off('end', onEnd);
    session.off('error', onError);
  };

  let timer: NodeJS.Timeout | undefined;
  try {
    await session.start();
    lifecycle.set('running');
    await opts.afterStart?.();
    timer = startRecordingAndTimer(session, cfg, logger, lifecycle, finish);
  } catch (err) {
    if (!(err instanceof UserError)) app.error({ err }, 'start failed');
    await shutdown(session, stats, undefined);
    cleanup();
    throw err;
  }

  const { reason, code } = await done;
  if (timer) clearTimeout(timer);
  lifecycle.set('stopping', reason);
  const final = await shutdown(session, stats, app);
  app.info({ reason, final }, `exit: ${reason}`);
  cleanup();
  await ink.waitUntilExit().catch(() => undefined);
  return code;
}

/** --record and --duration as headless mode reads them; returns the --duration timer if one runs. */
function startRecordingAndTimer(
  session: Session,
  cfg: SessionConfig,
  logger: AppLogger,
  lifecycle: Lifecycle,
  finish: (reason: string, code: number) => void,
): NodeJS.Timeout | undefined {
  const until = (): NodeJS.Timeout | undefined =>
    cfg.durationS === undefined ? undefined : setTimeout(() => finish(`--duration ${cfg.durationS} s reached`, 0), cfg.durationS * 1000);
  if (!cfg.record.atStart) return until();
  // A receiver records once a stream says what format it is; --duration then counts recorded audio.
  if (cfg.durationS !== undefined) session.recorder.once('stopped', () => finish(`recorded ${cfg.durationS} s`, 0));
  void session
    .streamFormat()
    .then((format) => {
      session.recorder.setFormat(format);
      return session.recorder.start({ path: cfg.record.path, durationS: cfg.durationS });
    })
    .catch((err: unknown) => {
      logger.child('record').error({ err }, (err as Error).message);
      lifecycle.flash(`recording: ${(err as Error).message}`, 'error');
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
