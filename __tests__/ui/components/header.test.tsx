/** @jsxRuntime automatic */ // tsx applies tsconfig.json (src/ only) to src, so tests name their JSX runtime
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Box } from 'ink';
import { render } from 'ink-testing-library';
import { ThemeProvider } from '../../../src/ui/contexts/theme-context.js';
import type { DashboardInfo } from '../../../src/ui/contexts/services-context.js';
import { Header } from '../../../src/ui/components/Header.js';

// What `streamer send --source tone` shows.
const sender: DashboardInfo = { role: 'sender', protocol: 'udp', endpoint: '→ 127.0.0.1:12345', io: 'tone 440 Hz', format: 'L16 44100 Hz mono', frameMs: 10 };

function header(width: number, info = sender): string {
  const r = render(
    <ThemeProvider theme={{ color: false }}>
      <Box width={width}>
        <Header info={info} phase="running" uptimeS={2} width={width} />
      </Box>
    </ThemeProvider>,
  );
  const row = (r.lastFrame() ?? '').split('\n')[0] ?? '';
  r.unmount();
  return row;
}

test('the sender header fits 80 columns whole: what does not fit is left out, not cut', () => {
  const row = header(80);
  assert.ok(row.length <= 80, row);
  assert.doesNotMatch(row, /…/);
  assert.match(row, /^streamer  SENDER   running 0:02  UDP → 127\.0\.0\.1:12345  source tone 440 Hz$/);
});

test('a wider terminal shows the frame size too', () => {
  assert.match(header(100), /source tone 440 Hz  10 ms frames$/);
});
