/** @jsxRuntime automatic */ // tsx applies tsconfig.json (src/ only) to src, so tests name their JSX runtime
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { render } from 'ink-testing-library';
import type { LogLevel } from '../../../src/logging/log-line.js';
import { ThemeProvider } from '../../../src/ui/contexts/theme-context.js';
import { Footer } from '../../../src/ui/components/Footer.js';

function footer(logLevel: LogLevel): string {
  const r = render(
    <ThemeProvider theme={{ color: false }}>
      <Footer logLevel={logLevel} />
    </ThemeProvider>,
  );
  const f = r.lastFrame() ?? '';
  r.unmount();
  return f;
}

test('the footer lists every key and the log level shown', () => {
  const f = footer('warn');
  for (const k of ['r record', 't timed rec', 'l log level: warn', '? help', 'q/^C quit']) assert.ok(f.includes(k), `${k} in: ${f}`);
  assert.equal(f.split('\n').length, 1, 'one row at 100 columns');
});

test('the footer says Ctrl-C quits too, as SPEC §7 asks', () => {
  assert.match(footer('info'), /q\/\^C quit/);
});

test('the footer fits an 80-column terminal with the longest log level', () => {
  const f = footer('debug');
  assert.ok(f.trimEnd().length <= 80, `${f.trimEnd().length} columns: ${f}`);
  assert.ok(f.includes('q/^C quit'), 'nothing cut off the end');
});
