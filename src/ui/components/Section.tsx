import { Text } from 'ink';
import { memo } from 'react';
import { useColor } from '../contexts/theme-context.js';
import { toStandIns } from '../glyph-text.js';
import { GlyphText } from './GlyphText.js';

/** `── Title ─────…`: one row across the whole width, cheaper than a border box; drawn again only when its title or the width changes. */
export const Section = memo(function Section({ title, width }: { title: string; width: number }) {
  const c = useColor();
  const head = `── ${title} `;
  const rule = head + '─'.repeat(Math.max(0, width - head.length));
  const cheap = toStandIns(rule);
  // In stand-ins (see ../glyph-text.ts), unless the title holds one of their characters.
  if (cheap === null) {
    return (
      <Text color={c('blue')} bold wrap="truncate-end">
        {rule}
      </Text>
    );
  }
  return (
    <GlyphText>
      <Text color={c('blue')} bold>
        {cheap}
      </Text>
    </GlyphText>
  );
});
