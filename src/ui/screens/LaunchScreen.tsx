import { Box, Text, useInput, useStdin } from 'ink';
import { useMemo, useRef } from 'react';
import { useLatestReducer } from '../hooks/use-latest-reducer.js';
import { useColor } from '../contexts/theme-context.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { frameRows } from '../layout.js';
import { splitBurst } from '../key-burst.js';
import {
  fieldsFor,
  initialLaunchState,
  isCurrentCheck,
  launchCommandFor,
  launchReducer,
  valuesOf,
  type LaunchField,
  type LaunchState,
  type LaunchValues,
} from '../state/launch-reducer.js';

const LABEL: Record<LaunchField, string> = { mode: 'Mode', protocol: 'Protocol', host: 'Host', port: 'Port', source: 'Source', sink: 'Sink' };
const HINT: Record<LaunchField, string> = {
  mode: 's send · r receive · ←/→ toggle',
  protocol: 'u UDP · t TCP · ←/→ toggle',
  host: 'where to send: an address or a name',
  port: '1–65535',
  source: 'mic | tone[:HZ] | file:PATH.wav',
  sink: 'speaker | null | file:PATH.wav',
};

function Choice({ options, value }: { options: [string, string][]; value: string }) {
  const c = useColor();
  return (
    <Text>
      {options.map(([v, label]) => (
        <Text key={v} inverse={v === value} bold={v === value} color={v === value ? c('cyan') : c('gray')}>
          {v === value ? `[${label}]` : ` ${label} `}
        </Text>
      ))}
    </Text>
  );
}

function valueOf(s: LaunchState, f: LaunchField, focused: boolean) {
  if (f === 'mode') return <Choice options={[['send', 'send'], ['receive', 'receive']]} value={s.mode} />;
  if (f === 'protocol') return <Choice options={[['udp', 'UDP'], ['tcp', 'TCP']]} value={s.protocol} />;
  return <Text>{` ${s[f]}${focused ? '▏' : ''}`}</Text>;
}

/** Asks for what the flags did not say; calls onDone with the values, or null to quit. */
export function LaunchScreen({
  initial,
  validate,
  onDone,
}: {
  initial: LaunchValues;
  /** What is wrong with the form, in one line, or null when it can start (the command layer knows the rules; a host lookup makes it async). */
  validate: (v: LaunchValues) => Promise<string | null> | string | null;
  onDone: (v: LaunchValues | null) => void;
}) {
  const c = useColor();
  const { rows, columns } = useTerminalSize();
  const first = useMemo(() => initialLaunchState(initial), [initial]);
  const [state, dispatch, latest] = useLatestReducer(launchReducer, first);
  const { isRawModeSupported } = useStdin();
  const lastCheck = useRef(0);
  const ended = useRef(false);
  // Once: a check answering after Esc must not start what the user quit.
  const end = (v: LaunchValues | null) => {
    if (ended.current) return;
    ended.current = true;
    onDone(v);
  };
  const submit = async () => {
    if (latest.current.checking !== null) return; // Enter again while it runs: that check answers
    const id = ++lastCheck.current;
    const values = valuesOf(latest.current);
    dispatch({ type: 'check', id });
    const problem = await validate(values);
    if (!isCurrentCheck(latest.current, id)) return; // edited meanwhile: the answer is for other values
    dispatch({ type: 'checked', id, error: problem });
    if (problem === null) end(values);
  };
  useInput(
    (input, key) => {
      for (const [one, k] of splitBurst(input, key)) {
        const cmd = launchCommandFor(one, k, latest.current.focus); // a key earlier in the burst may have moved the focus
        if (!cmd) continue;
        if (cmd.type === 'quit') return end(null);
        if (cmd.type === 'submit') void submit();
        else dispatch(cmd);
      }
    },
    { isActive: isRawModeSupported === true },
  );
  return (
    <Box flexDirection="column" width={columns} height={frameRows(rows)} overflow="hidden">
      <Text>
        <Text bold>streamer </Text>
        <Text bold inverse>
          {' LAUNCH '}
        </Text>
        {'  what should this terminal do?'}
      </Text>
      <Text> </Text>
      {fieldsFor(state.mode).map((f) => {
        const focused = f === state.focus;
        return (
          <Box key={f}>
            <Text color={focused ? c('cyan') : undefined} bold={focused}>{`${focused ? '›' : ' '} ${LABEL[f].padEnd(10)}`}</Text>
            <Box width={36}>{valueOf(state, f, focused)}</Box>
            <Text color={c('gray')} wrap="truncate-end">
              {focused ? HINT[f] : ''}
            </Text>
          </Box>
        );
      })}
      <Text> </Text>
      <Text color={state.checking !== null ? c('gray') : c('red')} wrap="truncate-end">
        {state.checking !== null ? 'checking…' : (state.error ?? ' ')}
      </Text>
      <Box flexGrow={1} />
      <Text wrap="truncate-end">
        <Text bold color={c('cyan')}>Tab/↓</Text> next  <Text bold color={c('cyan')}>↑</Text> previous  <Text bold color={c('cyan')}>Space</Text> toggle  <Text bold color={c('cyan')}>Enter</Text> start  <Text bold color={c('cyan')}>Esc</Text> quit
      </Text>
    </Box>
  );
}
