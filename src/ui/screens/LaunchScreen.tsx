import { Box, Text, useInput, useStdin } from 'ink';
import { useMemo } from 'react';
import { useLatestReducer } from '../hooks/use-latest-reducer.js';
import { useColor } from '../contexts/theme-context.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { frameRows } from '../layout.js';
import { splitBurst } from '../key-burst.js';
import {
  fieldsFor,
  initialLaunchState,
  launchCommandFor,
  launchReducer,
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
  /** What is wrong with the form, in one line, or null when it can start (the command layer knows the rules). */
  validate: (v: LaunchValues) => string | null;
  onDone: (v: LaunchValues | null) => void;
}) {
  const c = useColor();
  const { rows, columns } = useTerminalSize();
  const first = useMemo(() => initialLaunchState(initial), [initial]);
  const [state, dispatch, latest] = useLatestReducer(launchReducer, first);
  const { isRawModeSupported } = useStdin();
  useInput(
    (input, key) => {
      for (const [one, k] of splitBurst(input, key)) {
        const now = latest.current; // a key earlier in the burst may have moved the focus
        const cmd = launchCommandFor(one, k, now.focus);
        if (!cmd) continue;
        if (cmd.type === 'quit') return onDone(null);
        if (cmd.type !== 'submit') {
          dispatch(cmd);
          continue;
        }
        const problem = validate(now);
        if (problem) {
          dispatch({ type: 'error', error: problem });
          continue;
        }
        const { focus: _f, error: _e, ...values } = now;
        return onDone(values);
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
      <Text color={c('red')} wrap="truncate-end">
        {state.error ?? ' '}
      </Text>
      <Box flexGrow={1} />
      <Text wrap="truncate-end">
        <Text bold color={c('cyan')}>Tab/↓</Text> next  <Text bold color={c('cyan')}>↑</Text> previous  <Text bold color={c('cyan')}>Space</Text> toggle  <Text bold color={c('cyan')}>Enter</Text> start  <Text bold color={c('cyan')}>Esc</Text> quit
      </Text>
    </Box>
  );
}
