// Ink hands useInput a burst of keys that arrived in one read (a fast typist,
// a paste, a slow link) as one string: "\x7f\x7f\x7f", "ab\x7fc\r". Only
// escape sequences (arrows) come apart on their own. Splitting the rest back
// into single keys, named as Ink names a key that came alone, lets a handler
// take every key in order. Pure, so it is tested without React.
import type { KeyPress } from './keymap.js';

/** The parts of Ink's Key the launch screen reads. */
export interface Key extends KeyPress {
  tab: boolean;
  shift: boolean;
  upArrow: boolean;
  downArrow: boolean;
  leftArrow: boolean;
  rightArrow: boolean;
  meta: boolean;
}

const NO_KEY: Key = {
  ctrl: false, return: false, escape: false, backspace: false, delete: false,
  tab: false, shift: false, upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, meta: false,
};

/** One character as Ink's parse-keypress reads it alone; null for what it would not report as a key (\n, \x1c–\x1f). */
function keyOf(ch: string): [string, Key] | null {
  if (ch === '\r') return ['', { ...NO_KEY, return: true }];
  if (ch === '\t') return ['', { ...NO_KEY, tab: true }];
  if (ch === '\b') return ['', { ...NO_KEY, backspace: true }];
  if (ch === '\x7f') return ['', { ...NO_KEY, delete: true }];
  if (ch === '\x1b') return ['', { ...NO_KEY, escape: true, meta: true }];
  const code = ch.codePointAt(0) ?? 0;
  if (code >= 1 && code <= 0x1a) return [String.fromCharCode(code + 96), { ...NO_KEY, ctrl: true }]; // Ctrl-letter, Ctrl-C among them
  if (code < 0x20) return null;
  return [ch, { ...NO_KEY, shift: /^[A-Z]$/.test(ch) }];
}

/** The keys in one useInput call: itself when it is one key, else each character as its own key. */
export function splitBurst(input: string, key: Key): [string, Key][] {
  const chars = Array.from(input);
  if (chars.length <= 1) return [[input, key]];
  return chars.map(keyOf).filter((k): k is [string, Key] => k !== null);
}
