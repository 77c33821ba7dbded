import { Text } from 'ink';
import { useColor } from '../contexts/theme-context.js';

/** `── Title ────────` across the width: one row, cheaper than a border box. */
export function Section({ title, width }: { title: string; width: number }) {
  const c = useColor();
  const head = `── ${title} `;
  return (
    <Text color={c('blue')} bold wrap="truncate-end">
      {head + '─'.repeat(Math.max(0, width - head.length))}
    </Text>
  );
}
