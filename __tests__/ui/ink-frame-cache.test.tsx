/** @jsxRuntime automatic */ // tsx applies tsconfig.json (src/ only) to src, so tests name their JSX runtime
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Box, Text } from 'ink';
import { render } from 'ink-testing-library';
import { shareInkFrameCaches } from '../../src/ui/ink-frame-cache.js';

function Screen({ level, note }: { level: number; note: string }) {
  return (
    <Box flexDirection="column" width={40}>
      <Text color="green">{'█'.repeat(level).padEnd(30, '·')}</Text>
      <Text>{note}</Text>
      <Text wrap="truncate-end">{'a long line that is cut at the edge of the box '.repeat(3)}</Text>
    </Box>
  );
}

test('Ink still has the frame caches this shares (else the dashboard silently draws at the old cost)', async () => {
  assert.equal(await shareInkFrameCaches(), true);
});

test('with shared caches every frame still shows what changed, and what did not', async () => {
  await shareInkFrameCaches();
  const r = render(<Screen level={3} note="first" />);
  const frames = [r.lastFrame() ?? ''];
  for (const [level, note] of [[10, 'second'], [3, 'first'], [0, 'second']] as const) {
    r.rerender(<Screen level={level} note={note} />);
    frames.push(r.lastFrame() ?? '');
  }
  r.unmount();
  const rows = frames.map((f) => f.split('\n'));
  assert.equal(rows[0]![0], '███' + '·'.repeat(27));
  assert.equal(rows[1]![0], '█'.repeat(10) + '·'.repeat(20));
  assert.equal(rows[3]![0], '·'.repeat(30));
  assert.deepEqual(rows.map((r) => r[1]), ['first', 'second', 'first', 'second']);
  assert.equal(frames[2], frames[0], 'the same state draws the same frame');
  assert.ok(rows.every((r) => r[2]!.endsWith('…') && r[2]!.length === 40), rows.map((r) => r[2]).join('\n'));
});
