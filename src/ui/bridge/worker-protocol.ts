// Messages between the dashboard (main thread) and the session it shows, which
// runs in a worker thread so that drawing a frame never delays a packet.
import type { Remedy } from '../../shared/errors.js';
import type { RecorderState } from '../../audio/record/recorder.js';
import type { ReplaySaved } from '../../audio/record/replay.js';
import type { Snapshot } from '../../session/session.js';
import type { SessionConfig } from '../../session/config.js';
import type { FlashLevel } from '../../session/runner.js';

/** What the worker runs: one session, or the demo's sender and receiver (both post stats; each carries its role). */
export type SessionKind = 'send' | 'receive' | 'demo';

export interface WorkerData {
  kind: SessionKind;
  cfg: SessionConfig;
  /** A line for the log at start (the demo says what it picked). */
  note?: string;
  /** The meter's SharedLevelWindow: the audio path writes it, the drawing side reads it on its own frame timer. */
  levels: SharedArrayBuffer;
  /** Whether the launcher held V8's memory reducer (a process-wide flag; the worker's own module state cannot tell). */
  memoryReducerHeld: boolean;
}

/** An error that crossed the thread boundary: a UserError keeps its exit code. */
export interface WireError {
  message: string;
  user: boolean;
  exitCode: 1 | 2;
  remedy?: Remedy;
}

export type ToMain =
  | { t: 'started' }
  | { t: 'start-failed'; error: WireError }
  | { t: 'stats'; s: Snapshot }
  | { t: 'notice'; text: string }
  /** Lines reached the log file (at most one a frame however many): the log pane reads them now. */
  | { t: 'log-written' }
  | { t: 'recorder'; s: RecorderState }
  | { t: 'flash'; text: string; level: FlashLevel }
  | { t: 'stopping'; reason: string }
  | { t: 'reply'; id: number; ok: boolean; value?: string | ReplaySaved; error?: string }
  /** abandoned: asked twice, it gave up on something still closing (which would keep the worker alive). */
  | { t: 'exit'; code: number; reason: string; abandoned?: boolean };

export type ToWorker =
  | { t: 'quit'; reason: string }
  | { t: 'record-start'; id: number; durationS?: number }
  | { t: 'record-stop'; id: number }
  /** `s`: save the replay ring as a WAV; the reply's value is a ReplaySaved. */
  | { t: 'replay-save'; id: number }
  | { t: 'log'; level: 'info' | 'warn' | 'error'; msg: string };
