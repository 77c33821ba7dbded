// The launch screen's form, pure: which fields there are for a mode, moving
// between them, toggling the choices, editing the text, and checking it all.
import type { Protocol } from '../bridge/types.js';
import type { Key } from '../key-burst.js';

export type Mode = 'send' | 'receive';
export type LaunchField = 'mode' | 'protocol' | 'host' | 'port' | 'source' | 'sink';

export interface LaunchValues {
  mode: Mode;
  protocol: Protocol;
  host: string;
  port: string;
  source: string;
  sink: string;
}

export interface LaunchState extends LaunchValues {
  focus: LaunchField;
  error: string | null;
  /** The check under way (its id), while the form waits for it; an edit drops it, so a late answer is for other values. */
  checking: number | null;
}

export type LaunchAction =
  | { type: 'next' }
  | { type: 'prev' }
  | { type: 'toggle' }
  | { type: 'set-mode'; mode: Mode }
  | { type: 'set-protocol'; protocol: Protocol }
  | { type: 'type'; text: string }
  | { type: 'backspace' }
  | { type: 'check'; id: number }
  | { type: 'checked'; id: number; error: string | null };

export function fieldsFor(mode: Mode): LaunchField[] {
  return mode === 'send' ? ['mode', 'protocol', 'host', 'port', 'source'] : ['mode', 'protocol', 'port', 'sink'];
}

export function initialLaunchState(values: LaunchValues): LaunchState {
  return { ...values, focus: 'mode', error: null, checking: null };
}

export function valuesOf(s: LaunchState): LaunchValues {
  return { mode: s.mode, protocol: s.protocol, host: s.host, port: s.port, source: s.source, sink: s.sink };
}

/** Whether an answer to check `id` still speaks for the form as it is. */
export function isCurrentCheck(s: LaunchState, id: number): boolean {
  return s.checking === id;
}

const TEXT_MAX = 200;

export function launchReducer(state: LaunchState, action: LaunchAction): LaunchState {
  const fields = fieldsFor(state.mode);
  const at = Math.max(0, fields.indexOf(state.focus));
  switch (action.type) {
    case 'next':
      return { ...state, focus: fields[(at + 1) % fields.length]!, error: null };
    case 'prev':
      return { ...state, focus: fields[(at + fields.length - 1) % fields.length]!, error: null };
    case 'toggle':
      if (state.focus === 'mode') return { ...state, mode: state.mode === 'send' ? 'receive' : 'send', error: null, checking: null };
      if (state.focus === 'protocol') return { ...state, protocol: state.protocol === 'udp' ? 'tcp' : 'udp', error: null, checking: null };
      return state;
    case 'set-mode':
      return { ...state, mode: action.mode, error: null, checking: null };
    case 'set-protocol':
      return { ...state, protocol: action.protocol, error: null, checking: null };
    case 'type': {
      const f = state.focus;
      if (f === 'mode' || f === 'protocol') return state;
      if (f === 'port' && !/^\d+$/.test(action.text)) return state;
      const value = (state[f] + action.text).slice(0, TEXT_MAX);
      return { ...state, [f]: value, error: null, checking: null };
    }
    case 'backspace': {
      const f = state.focus;
      if (f === 'mode' || f === 'protocol') return state;
      return { ...state, [f]: state[f].slice(0, -1), error: null, checking: null };
    }
    case 'check':
      return { ...state, error: null, checking: action.id };
    case 'checked':
      return isCurrentCheck(state, action.id) ? { ...state, error: action.error, checking: null } : state;
  }
}

export type LaunchCommand = LaunchAction | { type: 'submit' } | { type: 'quit' };

/** Keys on the launch screen: letters pick choices on the choice fields and type on the text fields. */
export function launchCommandFor(input: string, key: Key, focus: LaunchField): LaunchCommand | null {
  if ((key.ctrl && input === 'c') || key.escape) return { type: 'quit' };
  if (key.return) return { type: 'submit' };
  if (key.tab) return key.shift ? { type: 'prev' } : { type: 'next' };
  if (key.downArrow) return { type: 'next' };
  if (key.upArrow) return { type: 'prev' };
  if (focus === 'mode' || focus === 'protocol') {
    if (key.leftArrow || key.rightArrow || input === ' ') return { type: 'toggle' };
    const c = input.toLowerCase();
    if (focus === 'mode' && (c === 's' || c === 'r')) return { type: 'set-mode', mode: c === 's' ? 'send' : 'receive' };
    if (focus === 'protocol' && (c === 'u' || c === 't')) return { type: 'set-protocol', protocol: c === 'u' ? 'udp' : 'tcp' };
    return null;
  }
  if (key.backspace || key.delete) return { type: 'backspace' };
  if (key.ctrl || key.meta || input === '' || /[\x00-\x1f\x7f]/.test(input)) return null;
  return { type: 'type', text: input };
}
