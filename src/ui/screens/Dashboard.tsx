import { Box, useInput, useStdin } from 'ink';
import { useCallback, useMemo } from 'react';
import { useServices } from '../contexts/services-context.js';
import { Footer } from '../components/Footer.js';
import { Header } from '../components/Header.js';
import { HelpOverlay } from '../components/HelpOverlay.js';
import { LiveLogPane } from '../components/LogPane.js';
import { MessageLine } from '../components/MessageLine.js';
import { RecordingLine } from '../components/RecordingLine.js';
import { Section } from '../components/Section.js';
import { useLatestReducer } from '../hooks/use-latest-reducer.js';
import { splitBurst } from '../key-burst.js';
import { useLifecycle } from '../hooks/use-lifecycle.js';
import { useRecorder } from '../hooks/use-recorder.js';
import { useSession } from '../hooks/use-session.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { commandFor, parseSeconds, type Command } from '../keymap.js';
import { frameRows, logRows } from '../layout.js';
import { dashboardReducer, initialDashboardState } from '../state/dashboard-reducer.js';
import { RECEIVER_BODY_ROWS, ReceiverScreen } from './ReceiverScreen.js';
import { SENDER_BODY_ROWS, SenderScreen } from './SenderScreen.js';

/** The sender's or receiver's screen with the log pane, the keys and the overlays. */
export function Dashboard() {
  const services = useServices();
  const { info, recorder } = services;
  const initial = useMemo(() => initialDashboardState(services.logLevel), [services.logLevel]);
  const [state, dispatch, latest] = useLatestReducer(dashboardReducer, initial);
  const { columns, rows } = useTerminalSize();
  const flashNotice = useCallback((text: string) => dispatch({ type: 'flash', text, level: 'info' }), [dispatch]);
  const stats = useSession(flashNotice);
  const rec = useRecorder();
  useLifecycle(dispatch);

  const run = useCallback(
    (cmd: Command): void => {
      const fail = (err: unknown): void => {
        const msg = `recording: ${(err as Error).message}`;
        services.log('error', msg);
        dispatch({ type: 'flash', text: msg, level: 'error' });
      };
      switch (cmd.type) {
        case 'quit':
          dispatch({ type: 'stopping', reason: 'quit' });
          services.quit('quit from the dashboard');
          return;
        case 'toggle-record':
          if (recorder.state().recording) recorder.stop().catch(fail);
          else recorder.start().catch(fail);
          return;
        case 'timed-record':
          if (recorder.state().recording) dispatch({ type: 'flash', text: 'already recording: r stops it first', level: 'warn' });
          else dispatch({ type: 'prompt-open' });
          return;
        case 'prompt-submit': {
          const secs = parseSeconds(latest.current.prompt);
          if (!secs.ok) return dispatch({ type: 'prompt-invalid', error: secs.error });
          dispatch({ type: 'close-overlay' });
          recorder.start({ durationS: secs.value }).catch(fail);
          return;
        }
        case 'cycle-log':
          return dispatch({ type: 'cycle-log-level' });
        case 'help':
          return dispatch({ type: 'toggle-help' });
        case 'close':
          return dispatch({ type: 'close-overlay' });
        case 'prompt-type':
          return dispatch({ type: 'prompt-type', text: cmd.text });
        case 'prompt-backspace':
          return dispatch({ type: 'prompt-backspace' });
      }
    },
    [services, recorder, dispatch, latest],
  );

  const { isRawModeSupported } = useStdin();
  useInput(
    (input, key) => {
      // Keys that arrived in one read come as one string: each is its own key, in order.
      for (const [one, k] of splitBurst(input, key)) {
        const cmd = commandFor(one, k, latest.current.overlay);
        if (latest.current.phase === 'stopping') {
          // Only a second quit counts: it stops waiting for what hangs (the recording is closed first).
          if (cmd?.type === 'quit') services.quit('asked again while stopping');
          continue;
        }
        if (cmd) run(cmd);
      }
    },
    { isActive: isRawModeSupported === true },
  );

  const body = info.role === 'sender' ? SENDER_BODY_ROWS : RECEIVER_BODY_ROWS;
  const logLines = logRows(rows, body);
  return (
    <Box flexDirection="column" width={columns} height={frameRows(rows)}>
      <Header info={info} phase={state.phase} uptimeS={stats?.uptimeS ?? 0} width={columns} />
      {state.overlay === 'help' ? (
        <HelpOverlay rows={frameRows(rows) - 2} />
      ) : (
        <>
          {stats?.role === 'receiver' || (!stats && info.role === 'receiver') ? (
            <ReceiverScreen stats={stats?.role === 'receiver' ? stats : undefined} width={columns} />
          ) : (
            <SenderScreen stats={stats?.role === 'sender' ? stats : undefined} info={info} width={columns} />
          )}
          <RecordingLine state={rec} />
          <MessageLine state={state} />
          <Section title={`Log (${state.logLevel} and above)`} width={columns} />
          <LiveLogPane level={state.logLevel} rows={logLines} />
        </>
      )}
      <Box flexGrow={1} />
      <Footer logLevel={state.logLevel} />
    </Box>
  );
}
