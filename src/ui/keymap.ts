// Keys → commands, pure (Ink's useInput only delivers them). The footer and
// the help overlay are drawn from the same table, so they cannot drift apart.
import type { Overlay } from './state/dashboard-reducer.js';

/** The parts of Ink's Key this module reads. */
export interface KeyPress {
  ctrl: boolean;
  return: boolean;
  escape: boolean;
  backspace: boolean;
  delete: boolean;
}

export type Command =
  | { type: 'toggle-record' }
  | { type: 'timed-record' }
  | { type: 'save-replay' }
  | { type: 'switch-view' }
  | { type: 'cycle-log' }
  | { type: 'help' }
  | { type: 'close' }
  | { type: 'quit' }
  | { type: 'prompt-type'; text: string }
  | { type: 'prompt-backspace' }
  | { type: 'prompt-submit' };

export interface KeyHelp {
  key: string;
  /** How the footer names the key(s), when more than `key` does it. */
  footerKey?: string;
  label: string;
  help: string;
  /** Only where the dashboard shows both ends (the demo). */
  demoOnly?: boolean;
}

export const DASHBOARD_KEYS: readonly KeyHelp[] = [
  { key: 'r', label: 'record', help: 'start / stop recording to the recording folder' },
  { key: 't', label: 'timed rec', help: 'record for a number of seconds (asks how many)' },
  { key: 's', label: 'replay', help: 'save the last 30 s played (sender: captured) as a WAV, at once' },
  { key: 'l', label: 'log level', help: 'cycle the level of the log pane: info, warn, error, trace, debug' },
  { key: 'v', label: 'view', help: 'demo: switch between the receiver’s and the sender’s screen', demoOnly: true },
  { key: '?', label: 'help', help: 'show / hide this help' },
  { key: 'q', footerKey: 'q/^C', label: 'quit', help: 'quit (Ctrl-C too); a recording is closed properly first' },
];

const NORMAL: Record<string, Command> = {
  r: { type: 'toggle-record' },
  t: { type: 'timed-record' },
  s: { type: 'save-replay' },
  v: { type: 'switch-view' },
  l: { type: 'cycle-log' },
  '?': { type: 'help' },
  q: { type: 'quit' },
};

/** The keys a dashboard offers: `v` only where it shows both ends. */
export function keysFor(demo: boolean): readonly KeyHelp[] {
  return demo ? DASHBOARD_KEYS : DASHBOARD_KEYS.filter((k) => !k.demoOnly);
}

export function commandFor(input: string, key: KeyPress, overlay: Overlay): Command | null {
  if (key.ctrl && input === 'c') return { type: 'quit' };
  if (overlay === 'prompt') {
    if (key.return) return { type: 'prompt-submit' };
    if (key.escape) return { type: 'close' };
    if (key.backspace || key.delete) return { type: 'prompt-backspace' };
    return /^[0-9.]+$/.test(input) ? { type: 'prompt-type', text: input } : null;
  }
  if (overlay === 'help') {
    if (input === 'q') return { type: 'quit' };
    return input === '?' || key.escape || key.return ? { type: 'close' } : null;
  }
  if (key.ctrl || key.escape) return null;
  return NORMAL[input.toLowerCase()] ?? null;
}

/** Longest timed recording the prompt accepts: a day. */
const MAX_SECONDS = 24 * 3600;

export function parseSeconds(text: string): { ok: true; value: number } | { ok: false; error: string } {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || v <= 0) return { ok: false, error: 'type a number of seconds greater than 0' };
  if (v > MAX_SECONDS) return { ok: false, error: `at most ${MAX_SECONDS} seconds (a day)` };
  return { ok: true, value: v };
}
