import { EventEmitter } from 'node:events';
import type { FlashLevel } from './bridge/types.js';
import type { Phase } from './state/dashboard-reducer.js';

/** The runner's news for the dashboard: the session's phase, and problems worth a line. No React here. */
export class Lifecycle extends EventEmitter<{ phase: [Phase, string]; flash: [string, FlashLevel] }> {
  private current: [Phase, string] = ['starting', ''];

  phase(): [Phase, string] {
    return this.current;
  }

  set(phase: Phase, reason = ''): void {
    this.current = [phase, reason];
    this.emit('phase', phase, reason);
  }

  flash(text: string, level: FlashLevel = 'info'): void {
    this.emit('flash', text, level);
  }
}
