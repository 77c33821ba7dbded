import { Text } from 'ink';
import type { DashboardState } from '../state/dashboard-reducer.js';
import { useColor } from '../contexts/theme-context.js';

/** One row: the timed-recording prompt while it is open, else the latest news. */
export function MessageLine({ state }: { state: DashboardState }) {
  const c = useColor();
  if (state.overlay === 'prompt') {
    return (
      <Text wrap="truncate-end">
        <Text bold color={c('cyan')}>
          Record for how many seconds?{' '}
        </Text>
        <Text inverse>{state.prompt || ' '}</Text>
        {state.promptError ? <Text color={c('red')}>{`  ${state.promptError}`}</Text> : <Text color={c('gray')}>{'  Enter starts, Esc cancels'}</Text>}
      </Text>
    );
  }
  const f = state.flash;
  if (!f) return <Text> </Text>;
  return (
    <Text wrap="truncate-end" color={c(f.level === 'error' ? 'red' : f.level === 'warn' ? 'yellow' : 'gray')}>
      {f.text}
    </Text>
  );
}
