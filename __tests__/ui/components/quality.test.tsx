/** @jsxRuntime automatic */ // tsx applies tsconfig.json (src/ only) to src, so tests name their JSX runtime
// The MOS badge and the cause line: the quality row of the receiver screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CauseLine as BareCauseLine } from '../../../src/ui/components/CauseLine.js';
import { GlyphText } from '../../../src/ui/components/GlyphText.js';
import { MosBadge as BareMosBadge } from '../../../src/ui/components/MosBadge.js';

// Both are drawn inside a <GlyphText> row, as the screens do (their glyphs are written as stand-ins).
const MosBadge = (p: { mos: number | null }) => (
  <GlyphText>
    <BareMosBadge {...p} />
  </GlyphText>
);
const CauseLine = (p: Parameters<typeof BareCauseLine>[0]) => (
  <GlyphText>
    <BareCauseLine {...p} />
  </GlyphText>
);
import { describeGlitches } from '../../../src/ui/text-format.js';
import { ANSI, colorAt, colorFrame, plainFrame } from './color.js';

test('MOS is shown as `MOS 4.3 (band)`, coloured by band: green, yellow, red', () => {
  const cases: [number, string, string][] = [
    [4.45, 'excellent', ANSI.green],
    [4.15, 'good', ANSI.green],
    [3.8, 'fair', ANSI.yellow],
    [3.3, 'poor', ANSI.red],
    [2.0, 'bad', ANSI.red],
  ];
  for (const [mos, band, color] of cases) {
    const f = colorFrame(<MosBadge mos={mos} />);
    const text = `MOS ${mos.toFixed(1)} (${band})`;
    assert.equal(colorAt(f, text), color, `${text}: ${JSON.stringify(f)}`);
    assert.equal(plainFrame(<MosBadge mos={mos} />), text, 'the band is in words too: it reads without colour');
  }
});

test('no MOS yet is a grey dash, not a number', () => {
  assert.equal(plainFrame(<MosBadge mos={null} />), 'MOS –');
  assert.equal(colorAt(colorFrame(<MosBadge mos={null} />), 'MOS –'), ANSI.gray);
});

const G = { network: 3, late: 1, underrun: 1, total: 5 };

test('the cause line counts glitches by cause, the network apart from our side', () => {
  const f = plainFrame(<CauseLine glitches={G} recovered={0} width={100} />);
  assert.equal(f, 'glitches 5: network 3 (concealed) · late 1 (past playout) · our side 1 (device underrun)');
  assert.doesNotMatch(f, /recovered/, 'nothing recovered: not said');
});

test('packets FEC rebuilt are said when there are some', () => {
  const f = plainFrame(<CauseLine glitches={G} recovered={7} width={100} />);
  assert.match(f, /^glitches 5: network 3 \(concealed\) · late 1 · our side 1 \(device underrun\) {2}recovered 7 by FEC$/);
});

test('a narrow line keeps every number and drops the words in brackets first', () => {
  for (const width of [78, 60, 50]) {
    const parts = describeGlitches({ network: 1234, late: 56, underrun: 7, total: 1297 }, 9, width);
    const text = parts.map((p) => p.text).join('');
    for (const n of ['1297', 'network 1234', 'late 56', 'our side 7', 'recovered 9']) assert.ok(text.includes(n), `${n} at ${width}: ${text}`);
    if (width >= 70) assert.ok(text.length <= width, `${text.length} > ${width}: ${text}`);
  }
});

test('no glitches: says none were heard', () => {
  assert.equal(plainFrame(<CauseLine glitches={{ network: 0, late: 0, underrun: 0, total: 0 }} recovered={0} width={80} />), 'glitches 0: none heard');
});

test('in colour the network is red, late yellow, our side magenta, a zero count plain', () => {
  const f = colorFrame(<CauseLine glitches={{ network: 3, late: 1, underrun: 0, total: 4 }} recovered={2} width={100} />);
  assert.equal(colorAt(f, 'network 3'), ANSI.red);
  assert.equal(colorAt(f, 'late 1'), ANSI.yellow);
  assert.equal(colorAt(f, 'our side 0'), null);
  assert.equal(colorAt(f, 'recovered 2'), ANSI.green);
  const ours = colorFrame(<CauseLine glitches={{ network: 0, late: 0, underrun: 2, total: 2 }} recovered={0} width={100} />);
  assert.equal(colorAt(ours, 'our side 2'), ANSI.magenta);
});

test('underruns after network loss are said apart: `underruns 5` never sits beside a bare `our side 0`', () => {
  // 5 buffer underruns, 4 of them in seconds that lost packets (counted as the network glitch heard), 1 in a clean second.
  const g = { network: 4, late: 0, underrun: 1, total: 5 };
  const f = plainFrame(<CauseLine glitches={g} recovered={0} width={100} underruns={5} />);
  assert.match(f, /our side 1( \(\w+ underrun\)| \(underrun\))? {2}underruns 5: 4 after network loss, 1 our side$/, f);
  const none = plainFrame(<CauseLine glitches={{ network: 3, late: 0, underrun: 0, total: 3 }} recovered={0} width={100} underruns={2} />);
  assert.match(none, /our side 0.*underruns 2: 2 after network loss, 0 our side$/, none);
  // Every underrun ours: nothing to explain, the line stays as it was.
  assert.doesNotMatch(plainFrame(<CauseLine glitches={g} recovered={0} width={100} underruns={1} />), /underruns/);
  assert.doesNotMatch(plainFrame(<CauseLine glitches={g} recovered={0} width={100} />), /underruns/);
});

test('on a narrow line the underrun explanation keeps its numbers', () => {
  const text = describeGlitches({ network: 4, late: 0, underrun: 0, total: 4 }, 0, 50, 4).map((p) => p.text).join('');
  assert.match(text, /underruns 4: 4 after loss/, text);
});
