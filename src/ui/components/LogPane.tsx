import { Box, Text } from 'ink';
import { memo } from 'react';
import type { LogEntry, LogLevel } from '../../logging/log-line.js';
import { useColor, type ColorName } from '../contexts/theme-context.js';
import { useLogTail } from '../hooks/use-log-tail.js';
import { logLineText, visibleLines } from '../log-view.js';

/** SPEC §7: info plain, warn yellow, error red; the detailed levels dim. */
export const LEVEL_COLOR: Record<LogLevel, ColorName | undefined> = {
  trace: 'gray',
  debug: 'gray',
  info: undefined,
  warn: 'yellow',
  error: 'red',
};

/** The last `rows` lines of the log at `level` and above, coloured by level, one row each. */
export const LogPane = memo(function LogPane({ entries, level, rows }: { entries: readonly LogEntry[]; level: LogLevel; rows: number }) {
  const c = useColor();
  const shown = visibleLines(entries, level, rows);
  return (
    <Box flexDirection="column" height={Math.max(0, rows)}>
      {shown.length === 0 && rows > 0 ? <Text color={c('gray')}>{`(no ${level} lines yet)`}</Text> : null}
      {shown.map((e, i) => (
        <Text key={`${e.time}-${i}`} wrap="truncate-end" color={LEVEL_COLOR[e.level] && c(LEVEL_COLOR[e.level]!)}>
          {logLineText(e)}
        </Text>
      ))}
    </Box>
  );
});

/** The pane fed by the log tail: new lines redraw this, not the whole dashboard. */
export function LiveLogPane({ level, rows }: { level: LogLevel; rows: number }) {
  return <LogPane entries={useLogTail()} level={level} rows={rows} />;
}
