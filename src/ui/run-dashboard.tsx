// Runs a session under the dashboard, as runHeadless does without one, and
// resolves to the exit code; a run that failed rejects, once the screen has
// closed, with a UserError whose one line the CLI prints. The session lives in a worker thread (see
// session-worker.ts): its sockets and audio clock never wait for a frame to
// be drawn. This thread draws, reads keys and signals, and restores the
// terminal on every way out. While it runs nothing but Ink writes to the
// terminal: the worker logs to the file only, and the log pane tails it.
import { render } from 'ink';
import { performance } from 'node:perf_hooks';
import { LogTail } from '../logging/log-tail.js';
import type { SessionConfig } from './bridge/types.js';
import { ServicesProvider, type Services } from './contexts/services-context.js';
import { colorWanted, ThemeProvider } from './contexts/theme-context.js';
import { dashboardInfo } from './dashboard-info.js';
import { RemoteSession } from './bridge/remote-session.js';
import { Dashboard } from './screens/Dashboard.js';
import { enterFullscreen, restoreTerminal } from './terminal.js';
import { dieBy, onStopSignal } from '../shared/stop-signals.js';
import { UserError } from '../shared/errors.js';
import { shareInkFrameCaches } from './ink-frame-cache.js';
import { cacheInkRows } from './ink-row-cache.js';
import type { SessionKind } from './bridge/worker-protocol.js';
import { MeterOverlay } from './meter-overlay.js';

export interface DashboardIo {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

/**
 * Ink's render options for the dashboard: at most 10 frames a second. Not
 * incrementalRendering: in ink 6.8.0 its log-update moves up one row too few
 * when the frame ends in a newline (as every frame shorter than the terminal
 * does), so each frame lands a row lower.
 */
export const INK_OPTIONS = { exitOnCtrlC: false, patchConsole: true, maxFps: 10, incrementalRendering: false } as const;

/** The log pane's fallback poll (the worker's 'log-written' news is the usual way lines arrive). */
export const LOG_POLL_MS = 2000;

export async function runDashboard(kind: SessionKind, cfg: SessionConfig, opts: { io?: Partial<DashboardIo>; note?: string } = {}): Promise<number> {
  const io: DashboardIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, ...opts.io };
  const role = kind === 'send' ? 'sender' : 'receiver';
  const remote = new RemoteSession(role, kind, cfg, opts.note);
  const offSignals = onStopSignal((reason) => remote.quit(reason));

  // The worker says when its lines reach the file (at most once a frame); the poll only catches
  // what it cannot know of (a rotation by hand, another writer), so it need not wake often.
  const tail = new LogTail({ file: cfg.log.file, keep: 200, pollMs: LOG_POLL_MS });
  remote.on('log-written', () => void tail.poll());
  tail.on('error', (err) => remote.lifecycle.flash(`log pane: ${err.message}`, 'warn'));
  tail.start();
  // Ink draws through the overlay, which puts the meter over each of its writes and redraws it alone between frames.
  const overlay = new MeterOverlay(io.stdout, io.stdout.hasColors?.() ?? true);
  const services: Services = {
    session: remote,
    recorder: remote.recorder,
    logTail: tail,
    lifecycle: remote.lifecycle,
    info: dashboardInfo(role, cfg),
    otherInfo: kind === 'demo' ? dashboardInfo('sender', cfg) : undefined,
    logLevel: cfg.log.level,
    quit: (reason) => remote.quit(reason),
    log: (level, msg) => remote.log(level, msg),
    now: () => performance.now(),
    meterOverlay: overlay,
  };
  await cacheInkRows(); // first: the frame caches wrap it
  await shareInkFrameCaches();
  const leave = enterFullscreen(io.stdout);
  const ink = render(
    <ThemeProvider theme={{ color: colorWanted(io.env) }}>
      <ServicesProvider services={services}>
        <Dashboard />
      </ServicesProvider>
    </ThemeProvider>,
    { ...INK_OPTIONS, stdin: io.stdin, stdout: overlay.stream, stderr: io.stderr },
  );
  ink.waitUntilExit().catch((err: unknown) => {
    remote.log('error', `dashboard failed: ${(err as Error).message}`);
    remote.quit(`dashboard failed: ${(err as Error).message}`);
  });

  // A bug here must not leave the terminal on the alternate screen in raw mode,
  // nor the recording open: the worker gets a second to close it.
  // Once: with the terminal gone (tmux killed, an ssh link dropped) every
  // write here fails again, and a failure that re-entered would spin on
  // itself in nextTick and never reach the timer that ends the process.
  let failing = false;
  const fatal = (err: unknown): void => {
    if (failing) return;
    failing = true;
    try {
      ink.unmount();
    } catch {
      // Already failing; the terminal comes first.
    }
    try {
      restoreTerminal();
      io.stderr.write(`streamer: unexpected failure: ${(err as Error)?.message ?? String(err)}\n`);
    } catch {
      // No terminal to tell.
    }
    remote.quit('unexpected failure');
    const grace = new Promise((r) => setTimeout(r, 1000).unref());
    void Promise.race([remote.exited, grace]).finally(() => process.exit(1));
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
  // The terminal went away under us (EIO, EPIPE on its writes): stop drawing and end as a hang-up would, once.
  let ttyGone = false;
  const onTtyError = (err: NodeJS.ErrnoException): void => {
    if (ttyGone) return;
    ttyGone = true;
    remote.log('warn', `the terminal went away (${err.code ?? err.message}): stopping`);
    try {
      ink.unmount();
    } catch {
      // Nothing left to draw on.
    }
    remote.quit('the terminal went away');
  };
  io.stdout.on('error', onTtyError);
  io.stderr.on('error', onTtyError);

  const cleanup = (): void => {
    ink.unmount();
    leave();
    tail.stop();
    offSignals();
    process.off('uncaughtException', fatal);
    process.off('unhandledRejection', fatal);
    ttyGone = true; // its listeners stay: what the screen's last writes hit is not a failure
  };
  try {
    await remote.started;
  } catch (err) {
    await remote.exited;
    cleanup();
    throw err;
  }
  const { code, reason, abandoned } = await remote.exited;
  cleanup();
  await ink.waitUntilExit().catch(() => undefined);
  if (abandoned) {
    // Asked twice: out now, the way an unhandled Ctrl-C goes. process.exit would wait
    // for whatever hangs in the thread pool (a FIFO nobody reads, a dead network disk).
    restoreTerminal();
    io.stderr.write(`streamer: ${reason}\n`);
    dieBy('SIGINT');
  }
  // The screen that showed the failure is gone: the CLI prints it as its one line, on the main screen.
  if (code !== 0) throw new UserError(failureLine(reason, cfg.log.file), code === 2 ? 2 : 1);
  return code;
}

/** What failed, and where to look when the reason does not say what to try. */
function failureLine(reason: string, logFile: string): string {
  return reason.includes(' — ') ? reason : `${reason} — details in ${logFile}`;
}
