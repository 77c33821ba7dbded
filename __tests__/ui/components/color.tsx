/** @jsxRuntime automatic */ // tsx applies tsconfig.json (src/ only) to src, so tests name their JSX runtime
// Colour checks: the test runner sets FORCE_COLOR=0, so chalk (Ink's colouring) is turned on here for
// one render and back off, and the theme context says colour is wanted, as it does without NO_COLOR.
import chalk from 'chalk';
import { render } from 'ink-testing-library';
import type { ReactNode } from 'react';
import { ThemeProvider } from '../../../src/ui/contexts/theme-context.js';

/** The frame with ANSI colours as a 16-colour terminal gets them. */
export function colorFrame(node: ReactNode): string {
  const was = chalk.level;
  chalk.level = 1;
  try {
    const r = render(<ThemeProvider theme={{ color: true }}>{node}</ThemeProvider>);
    const f = r.lastFrame() ?? '';
    r.unmount();
    return f;
  } finally {
    chalk.level = was;
  }
}

/** The frame with colour off (NO_COLOR). */
export function plainFrame(node: ReactNode): string {
  const r = render(<ThemeProvider theme={{ color: false }}>{node}</ThemeProvider>);
  const f = r.lastFrame() ?? '';
  r.unmount();
  return f;
}

export const ANSI = { red: '\x1b[31m', green: '\x1b[32m', yellow: '\x1b[33m', blue: '\x1b[34m', magenta: '\x1b[35m', cyan: '\x1b[36m', gray: '\x1b[90m' } as const;

/** The SGR foreground colour in force where `needle` starts in `frame` (null: none). */
export function colorAt(frame: string, needle: string): string | null {
  const at = frame.indexOf(needle);
  if (at < 0) throw new Error(`${JSON.stringify(needle)} not in ${JSON.stringify(frame)}`);
  let color: string | null = null;
  for (const m of frame.slice(0, at).matchAll(/\x1b\[(\d+)m/g)) {
    const n = Number(m[1]);
    if ((n >= 30 && n <= 37) || (n >= 90 && n <= 97)) color = m[0];
    else if (n === 39 || n === 0) color = null;
  }
  return color;
}

export const stripAnsi = (s: string): string => s.replace(/\x1b\[[0-9;]*m/g, '');
