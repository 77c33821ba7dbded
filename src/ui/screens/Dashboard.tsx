import { Box, useInput, useStdin } from 'ink';
import { useCallback, useMemo, useRef } from 'react';
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
import { useSnapshots } from '../hooks/use-snapshots.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { commandFor, parseSeconds, type Command } from '../keymap.js';
import { CHROME_ROWS, frameRows, logRows } from '../layout.js';
import { replaySavedLine } from '../text-format.js';
import { dashboardReducer, initialDashboardState } from '../state/dashboard-reducer.js';
import { receiverBodyRows, ReceiverScreen } from './ReceiverScreen.js';
import { senderBodyRows, SenderScreen } from './SenderScreen.js';

/** Log lines a screen keeps at least before it draws itself compact. */
const MIN_LOG_ROWS = 3;

/** The sender's or receiver's screen with the log pane, the keys and the overlays. */
export function Dashboard() {
  const services = useServices();
  const { info, recorder } = services;
  const initial = useMemo(() => initialDashboardState(services.logLevel), [services.logLevel]);
  const [state, dispatch, latest] = useLatestReducer(dashboardReducer, initial);
  const { columns, rows } = useTerminalSize();
  const flashNotice = useCallback((text: string) => dispatch({ type: 'flash', text, level: 'info' }), [dispatch]);
  const snaps = useSnapshots(flashNotice);
  const demo = snaps.sender !== undefined && snaps.receiver !== undefined;
  const view = state.view ?? info.role;
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
        case 'save-replay': {
          dispatch({ type: 'flash', text: 'saving the last 30 s…', level: 'info' });
          services.session.saveReplay().then(
            (r) => dispatch({ type: 'flash', text: replaySavedLine(r), level: 'info' }),
            (err: unknown) => {
              const msg = `replay: ${(err as Error).message}`;
              services.log('error', msg);
              dispatch({ type: 'flash', text: msg, level: 'error' });
            },
          );
          return;
        }
        case 'switch-view':
          if (latestDemo.current) dispatch({ type: 'switch-view', from: latest.current.view ?? info.role });
          else dispatch({ type: 'flash', text: 'v switches ends in the demo only (this session is one end)', level: 'info' });
          return;
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
    [services, recorder, dispatch, latest, info.role],
  );

  const latestDemo = useRef(demo);
  latestDemo.current = demo;
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

  const wantsRoom = (full: number): boolean => frameRows(rows) - CHROME_ROWS - full < MIN_LOG_ROWS;
  const compact = view === 'sender' ? wantsRoom(senderBodyRows(false)) : wantsRoom(receiverBodyRows(false));
  const body = view === 'sender' ? senderBodyRows(compact) : receiverBodyRows(compact);
  const logLines = logRows(rows, body);
  const other = services.otherInfo;
  const shownInfo = useMemo(() => (view === info.role ? info : (other ?? { ...info, role: view })), [info, other, view]);
  return (
    <Box flexDirection="column" width={columns} height={frameRows(rows)}>
      <Header info={shownInfo} phase={state.phase} uptimeS={(view === 'sender' ? snaps.sender : snaps.receiver)?.uptimeS ?? 0} width={columns} demo={demo} />
      {state.overlay === 'help' ? (
        <HelpOverlay rows={frameRows(rows) - 2} demo={demo} />
      ) : (
        <>
          {view === 'receiver' ? (
            <ReceiverScreen stats={snaps.receiver} width={columns} compact={compact} />
          ) : (
            <SenderScreen stats={snaps.sender} info={shownInfo} width={columns} compact={compact} />
          )}
          <RecordingLine state={rec} />
          <MessageLine state={state} />
          <Section title={`Log (${state.logLevel} and above)`} width={columns} />
          <LiveLogPane level={state.logLevel} rows={logLines} />
        </>
      )}
      <Box flexGrow={1} />
      <Footer logLevel={state.logLevel} demo={demo} />
    </Box>
  );
}
