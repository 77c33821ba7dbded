import { Text } from 'ink';
import { useColor } from '../contexts/theme-context.js';

/** Longest rule drawn: Ink redraws every character of every frame, so a rule is not free. */
const RULE_MAX = 48;

/** `── Title ────────`: one row, cheaper than a border box. */
export function Section({ title, width }: { title: string; width: number }) {
  const c = useColor();
  const head = `── ${title} `;
  return (
    <Text color={c('blue')} bold wrap="truncate-end">
      {head + '─'.repeat(Math.max(0, Math.min(width, RULE_MAX) - head.length))}
    </Text>
  );
}
