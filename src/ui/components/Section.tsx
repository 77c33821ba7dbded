import { Text } from 'ink';
import { memo } from 'react';
import { useColor } from '../contexts/theme-context.js';

/** `── Title ─────…`: one row across the whole width, cheaper than a border box; drawn again only when its title or the width changes. */
export const Section = memo(function Section({ title, width }: { title: string; width: number }) {
  const c = useColor();
  const head = `── ${title} `;
  return (
    <Text color={c('blue')} bold wrap="truncate-end">
      {head + '─'.repeat(Math.max(0, width - head.length))}
    </Text>
  );
});
