import { Text } from 'ink';
import { memo } from 'react';
import type { LogLevel } from '../../logging/log-line.js';
import { useColor } from '../contexts/theme-context.js';
import { keysFor } from '../keymap.js';

/** `r record  t timed rec  s replay  l log level: info  ? help  q/^C quit`, `v view` too in the demo — 80 columns at most. */
export const Footer = memo(function Footer({ logLevel, demo = false }: { logLevel: LogLevel; demo?: boolean }) {
  const c = useColor();
  return (
    <Text wrap="truncate-end">
      {keysFor(demo).map((k) => (
        <Text key={k.key}>
          <Text bold color={c('cyan')}>
            {k.footerKey ?? k.key}
          </Text>
          {` ${k.label}${k.key === 'l' ? `: ${logLevel}` : ''}  `}
        </Text>
      ))}
    </Text>
  );
});
