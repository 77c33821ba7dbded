// The entries the CLI calls: `streamer tui` (launch screen, then a dashboard)
// and `send` / `receive` on a terminal. Decides dashboard or headless and
// turns the run into an exit code.
import { render } from 'ink';
import { buildConfig, type RawArgs } from './build-config.js';
import { UserError } from '../shared/errors.js';
import { onStopSignal } from '../shared/stop-signals.js';
import { colorWanted, ThemeProvider } from '../ui/contexts/theme-context.js';
import { dashboardWanted } from './dashboard-wanted.js';
import { INK_OPTIONS, runDashboard } from '../ui/run-dashboard.js';
import { LaunchScreen } from '../ui/screens/LaunchScreen.js';
import type { LaunchValues, Mode } from '../ui/state/launch-reducer.js';
import { checkLaunch } from './launch-check.js';
import { checkStart } from './start-checks.js';
import { clearScreen, enterFullscreen } from '../ui/terminal.js';

export type TuiArgs = RawArgs & { mode?: Mode };
type Streams = { stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream };


/** The launch screen; resolves with what was chosen, or null when the user quit. */
export async function askLaunch(initial: LaunchValues, io: Streams = process): Promise<LaunchValues | null> {
  let resolve: (v: LaunchValues | null) => void = () => undefined;
  const chosen = new Promise<LaunchValues | null>((r) => (resolve = r));
  const offSignals = onStopSignal(() => resolve(null));
  const ink = render(
    <ThemeProvider theme={{ color: colorWanted(process.env) }}>
      <LaunchScreen initial={initial} validate={checkLaunch} onDone={(v) => resolve(v)} />
    </ThemeProvider>,
    { ...INK_OPTIONS, stdin: io.stdin, stdout: io.stdout },
  );
  try {
    return await chosen;
  } finally {
    offSignals();
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
    const cfg = buildConfig(chosen, mode);
    checkStart(cfg, mode);
    process.exitCode = await runDashboard(mode, cfg);
  } finally {
    leave();
  }
}
