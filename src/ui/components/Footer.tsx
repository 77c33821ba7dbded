import { Text } from 'ink';
import type { LogLevel } from '../../logging/log-line.js';
import { useColor } from '../contexts/theme-context.js';
import { DASHBOARD_KEYS } from '../keymap.js';

/** `r record  t timed rec  l log level: info  ? help  q/^C quit` — 60 columns at most, so it fits 80. */
export function Footer({ logLevel }: { logLevel: LogLevel }) {
  const c = useColor();
  return (
    <Text wrap="truncate-end">
      {DASHBOARD_KEYS.map((k) => (
        <Text key={k.key}>
          <Text bold color={c('cyan')}>
            {k.footerKey ?? k.key}
          </Text>
          {` ${k.label}${k.key === 'l' ? `: ${logLevel}` : ''}  `}
        </Text>
      ))}
    </Text>
  );
}
