/** @jsxRuntime automatic */ // tsx applies tsconfig.json (src/ only) to src, so tests name their JSX runtime
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Text } from 'ink';
import { GlyphText } from '../../src/ui/components/GlyphText.js';
import { Section } from '../../src/ui/components/Section.js';
import { ascii, fromStandIns, toStandIns } from '../../src/ui/glyph-text.js';
import { plainFrame } from './components/color.js';

const ALL = '▁▂▃▄▅▆▇█·▓▒░─│–…≈○';

test('every glyph has a one-column printable ASCII stand-in, and comes back as itself', () => {
  const a = toStandIns(`loss % ${ALL} max 4.0 %`)!;
  assert.match(a, /^[\x20-\x7e]*$/, a);
  assert.equal(a.length, `loss % ${ALL} max 4.0 %`.length);
  assert.equal(fromStandIns(a), `loss % ${ALL} max 4.0 %`);
  assert.equal(fromStandIns(`\x1b[31m${ascii('█')}\x1b[39m`), '\x1b[31m█\x1b[39m', 'colour codes go through untouched');
});

test('text that already holds a stand-in character is refused: it would not come back as itself', () => {
  assert.equal(toStandIns('file #1 & more'), null);
});

test('a GlyphText row shows the glyphs and is cut at the edge like any row', () => {
  assert.equal(plainFrame(<GlyphText><Text>{ascii('peak ███···')}</Text></GlyphText>), 'peak ███···');
  const long = plainFrame(<GlyphText>{ascii('█'.repeat(150))}</GlyphText>);
  assert.equal(long, `${'█'.repeat(99)}…`, 'one row, truncated, not wrapped');
});

test('a rule whose title holds a stand-in character is still drawn as written', () => {
  assert.match(plainFrame(<Section title="Network: #1 & @2" width={60} />), /^── Network: #1 & @2 ─+$/);
});
