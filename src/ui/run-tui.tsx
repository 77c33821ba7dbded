// The entries the CLI calls: `streamer tui` (launch screen, then a dashboard)
// and `send` / `receive` on a terminal. Decides dashboard or headless, makes
// the logger quiet on the terminal, and turns the run into an exit code.
import { render } from 'ink';
import { buildConfig, type RawArgs } from '../cli-config.js';
import { UserError } from '../errors.js';
import { createLogger, LogFileError, LogOptionsError, type AppLogger } from '../logging/logger.js';
import { ReceiveSession, SendSession, type Session } from '../session.js';
import type { SessionConfig } from '../session-config.js';
import { colorWanted, ThemeProvider } from './contexts/theme-context.js';
import { dashboardWanted } from './dashboard-wanted.js';
import { Lifecycle } from './lifecycle.js';
import { INK_OPTIONS, runDashboard, type RunDashboardOptions } from './run-dashboard.js';
import { LaunchScreen } from './screens/LaunchScreen.js';
import type { LaunchValues, Mode } from './state/launch-reducer.js';
import { clearScreen, enterFullscreen } from './terminal.js';

export type TuiArgs = RawArgs & { mode?: Mode };
type Streams = { stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream };

/** The logger for a dashboard run: the file only, never the terminal Ink draws on. */
export function quietLogger(cfg: SessionConfig, lifecycle: Lifecycle): AppLogger {
  try {
    return createLogger({ ...cfg.log, stderr: false, onError: (err) => lifecycle.flash(`log file: ${err.message} (logging stopped)`, 'error') });
  } catch (err) {
    if (err instanceof LogOptionsError) throw new UserError(err.message, 2);
    if (err instanceof LogFileError) throw new UserError(err.message, 1);
    throw err;
  }
}

/** `send` / `receive` under the dashboard; resolves to the exit code. */
export async function runRoleDashboard(role: Mode, cfg: SessionConfig, opts: RunDashboardOptions = {}): Promise<number> {
  const lifecycle = opts.lifecycle ?? new Lifecycle();
  const logger = quietLogger(cfg, lifecycle);
  logger.child('app').info({ role, dashboard: true, options: { ...cfg, key: cfg.key ? '(set)' : undefined } }, `streamer ${role} starting`);
  try {
    const session: Session = role === 'send' ? new SendSession(cfg, logger) : new ReceiveSession(cfg, logger);
    return await runDashboard(session, cfg, logger, { ...opts, lifecycle });
  } finally {
    await logger.close();
  }
}

/** The launch screen; resolves with what was chosen, or null when the user quit. */
export async function askLaunch(initial: LaunchValues, io: Streams = process): Promise<LaunchValues | null> {
  let resolve: (v: LaunchValues | null) => void = () => undefined;
  const chosen = new Promise<LaunchValues | null>((r) => (resolve = r));
  const onSignal = (): void => resolve(null);
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, onSignal);
  const ink = render(
    <ThemeProvider theme={{ color: colorWanted(process.env) }}>
      <LaunchScreen initial={initial} onDone={(v) => resolve(v)} />
    </ThemeProvider>,
    { ...INK_OPTIONS, stdin: io.stdin, stdout: io.stdout },
  );
  try {
    return await chosen;
  } finally {
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(s, onSignal);
    ink.unmount();
    await ink.waitUntilExit().catch(() => undefined);
    clearScreen(io.stdout);
  }
}

/**
 * `streamer tui`: with --mode straight to that dashboard, else the launch
 * screen first. Without a terminal, --mode runs headless (`headless` is the
 * CLI's own send/receive) and no --mode is a usage error.
 */
export async function runTui(args: TuiArgs, headless: (role: Mode, args: RawArgs) => Promise<void>): Promise<void> {
  const probe = buildConfig(args, args.mode ?? 'receive'); // bad flags fail here, before the screen changes
  if (!dashboardWanted(probe)) {
    if (!args.mode) throw new UserError('streamer tui needs a terminal for its launch screen: give --mode send|receive to run without one', 2);
    return headless(args.mode, args);
  }
  const leave = enterFullscreen(process.stdout);
  try {
    let mode = args.mode;
    let chosen: TuiArgs = args;
    if (!mode) {
      const v = await askLaunch({ mode: 'send', protocol: args.protocol, host: args.host, port: String(args.port), source: args.source, sink: args.sink });
      if (!v) {
        process.exitCode = 0;
        return;
      }
      mode = v.mode;
      chosen = { ...args, protocol: v.protocol, host: v.host, port: Number(v.port), source: v.source, sink: v.sink };
    }
    process.exitCode = await runRoleDashboard(mode, buildConfig(chosen, mode));
  } finally {
    leave();
  }
}
