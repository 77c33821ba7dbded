/** @jsxRuntime automatic */ // tsx applies tsconfig.json (src/ only) to src, so tests name their JSX runtime
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { render } from 'ink-testing-library';
import { ThemeProvider } from '../../../src/ui/contexts/theme-context.js';
import { Footer } from '../../../src/ui/components/Footer.js';

test('the footer lists every key and the log level shown', () => {
  const r = render(
    <ThemeProvider theme={{ color: false }}>
      <Footer logLevel="warn" />
    </ThemeProvider>,
  );
  const f = r.lastFrame() ?? '';
  r.unmount();
  for (const k of ['r record', 't timed rec', 'l log level: warn', '? help', 'q quit']) assert.ok(f.includes(k), `${k} in: ${f}`);
  assert.equal(f.split('\n').length, 1, 'one row at 100 columns');
});
