// The dashboard's own state and its transitions, pure. Live numbers (stats,
// levels, recorder, log lines) stay in the hooks that own those services.
import type { LogLevel } from '../../logging/log-line.js';

export type Phase = 'starting' | 'running' | 'stopping';
export type Overlay = 'none' | 'help' | 'prompt';
import type { FlashLevel } from '../bridge/types.js';

export interface DashboardState {
  phase: Phase;
  overlay: Overlay;
  /** What was typed into the timed-recording prompt. */
  prompt: string;
  promptError: string | null;
  /** The log pane shows this level and above. */
  logLevel: LogLevel;
  /** Which end the screen shows where there are both (the demo); null: the session's own role. */
  view: 'sender' | 'receiver' | null;
  /** The latest thing worth telling the user, under the stats. */
  flash: { text: string; level: FlashLevel } | null;
}

export type DashboardAction =
  | { type: 'started' }
  | { type: 'stopping'; reason: string }
  | { type: 'toggle-help' }
  | { type: 'close-overlay' }
  | { type: 'prompt-open' }
  | { type: 'prompt-type'; text: string }
  | { type: 'prompt-backspace' }
  | { type: 'prompt-invalid'; error: string }
  | { type: 'cycle-log-level' }
  | { type: 'switch-view'; from: 'sender' | 'receiver' }
  | { type: 'flash'; text: string; level: FlashLevel };

/** The order `l` walks through: from the default up, then the detailed levels. */
export const LOG_LEVEL_CYCLE: readonly LogLevel[] = ['info', 'warn', 'error', 'trace', 'debug'];

export function initialDashboardState(logLevel: LogLevel = 'info'): DashboardState {
  return { phase: 'starting', overlay: 'none', prompt: '', promptError: null, logLevel, view: null, flash: null };
}

const PROMPT_MAX = 8;

export function dashboardReducer(state: DashboardState, action: DashboardAction): DashboardState {
  // Once stopping, nothing but news may change what is shown: the session is closing.
  if (state.phase === 'stopping' && action.type !== 'flash') return state;
  switch (action.type) {
    case 'started':
      return state.phase === 'starting' ? { ...state, phase: 'running' } : state;
    case 'stopping':
      return { ...state, phase: 'stopping', overlay: 'none', flash: { text: `stopping: ${action.reason}`, level: 'info' } };
    case 'toggle-help':
      return { ...state, overlay: state.overlay === 'help' ? 'none' : 'help' };
    case 'close-overlay':
      return state.overlay === 'none' ? state : { ...state, overlay: 'none', prompt: '', promptError: null };
    case 'prompt-open':
      return { ...state, overlay: 'prompt', prompt: '', promptError: null };
    case 'prompt-type':
      if (state.overlay !== 'prompt' || state.prompt.length + action.text.length > PROMPT_MAX) return state;
      return { ...state, prompt: state.prompt + action.text, promptError: null };
    case 'prompt-backspace':
      return state.overlay === 'prompt' ? { ...state, prompt: state.prompt.slice(0, -1), promptError: null } : state;
    case 'prompt-invalid':
      return state.overlay === 'prompt' ? { ...state, promptError: action.error } : state;
    case 'cycle-log-level': {
      const i = LOG_LEVEL_CYCLE.indexOf(state.logLevel);
      return { ...state, logLevel: LOG_LEVEL_CYCLE[(i + 1) % LOG_LEVEL_CYCLE.length]! };
    }
    case 'switch-view':
      return { ...state, view: action.from === 'sender' ? 'receiver' : 'sender' };
    case 'flash':
      return { ...state, flash: { text: action.text, level: action.level } };
  }
}
