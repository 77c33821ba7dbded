// Ink measures every line of every frame with string-width, and a line
// outside printable ASCII costs it a grapheme segmentation and an emoji
// regex per character: the block glyphs of the meters, the charts and the
// rules made most of the dashboard's drawing cost. So those rows are laid out
// in ASCII stand-ins of the same width (one column each) and turned into
// their glyphs only when Ink writes the line out. Pure.

/** Each glyph the charts, meters and rules draw, and its one-column ASCII stand-in. */
const STAND_INS: Record<string, string> = {
  '▁': '!',
  '▂': '"',
  '▃': '#',
  '▄': '$',
  '▅': '&',
  '▆': '*',
  '▇': '<',
  '█': '=',
  '·': '>',
  '▓': '?',
  '▒': '@',
  '░': '^',
  '─': '~',
  '│': '|',
  '–': '`',
  '…': '{',
  '≈': '\\',
  '○': '}',
};

const GLYPHS: Record<string, string> = Object.fromEntries(Object.entries(STAND_INS).map(([g, a]) => [a, g]));
const TO_ASCII = new RegExp(`[${Object.keys(STAND_INS).join('')}]`, 'g');
const FROM_ASCII = new RegExp(`[${Object.values(STAND_INS).map((c) => `\\${c}`).join('')}]`, 'g');

/** `s` with its glyphs as stand-ins; null when `s` already holds a stand-in character (it would not come back as itself). */
export function toStandIns(s: string): string | null {
  FROM_ASCII.lastIndex = 0;
  if (FROM_ASCII.test(s)) return null;
  return s.replace(TO_ASCII, (g) => STAND_INS[g]!);
}

/** A line as Ink writes it (ANSI codes and all) with its stand-ins turned back into glyphs. SGR codes use none of them. */
export function fromStandIns(line: string): string {
  return line.replace(FROM_ASCII, (a) => GLYPHS[a]!);
}

/** Text of our own (labels, glyphs, numbers: never a stand-in character) in stand-ins. */
export function ascii(s: string): string {
  return toStandIns(s) ?? s;
}
