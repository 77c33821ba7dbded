import { createElement, type ReactNode } from 'react';
import { fromStandIns } from '../glyph-text.js';

const STYLE = { flexGrow: 0, flexShrink: 1, flexDirection: 'row', textWrap: 'truncate-end' } as const;
const expand = (line: string): string => fromStandIns(line);

/**
 * One row whose text (nested <Text>s for colour) is written in the ASCII
 * stand-ins of ../glyph-text.ts: Ink lays it out and truncates it as ASCII,
 * cheaply, and the glyphs are put back as the line is written. Ink's own
 * <Transform> does the same but wraps instead of truncating.
 */
export function GlyphText({ children }: { children: ReactNode }) {
  return createElement('ink-text', { style: STYLE, internal_transform: expand }, children);
}
