// A session's life, headless or under the dashboard (in its worker): start,
// --record and --duration, then on stop, end or error: close the recording,
// the session and the final --stats-json line, in that order.
import { withoutGaps } from './receiver-snapshot.js';
import type { JitterSpec } from '../audio/playout/jitter-spec.js';
import { UserError } from '../shared/errors.js';
import type { AppLogger } from '../logging/logger.js';
import type { Session, Snapshot } from './session.js';
import type { SessionConfig } from './config.js';
import { StatsJsonWriter } from './stats-json.js';
export type FlashLevel = 'info' | 'warn' | 'error';

export interface RunHooks {
  /** Resolves with a reason when the user asks to stop (q, Ctrl-C, a signal). */
  stop: Promise<string>;
  /** Resolves when the user asks again while it stops: give up on what still closes, once the recording is closed. */
  again?: Promise<void>;
  /** Runs once the session has started (the demo starts its sender here). */
  afterStart?: () => Promise<void>;
  onStarted?: () => void;
  onStopping?: (reason: string) => void;
  onFlash?: (text: string, level: FlashLevel) => void;
}

export interface RunResult {
  code: number;
  reason: string;
  /** Asked twice, it returned with something still closing: the caller exits the process rather than wait. */
  abandoned?: true;
}

/** How long a second stop request still waits for the recording to close (its header is kept valid as it goes). */
const RECORDING_GRACE_MS = 2000;

/** Resolves with the exit code and why; throws (after cleaning up) when the session cannot start. */
export async function runSession(session: Session, cfg: SessionConfig, logger: AppLogger, hooks: RunHooks): Promise<RunResult> {
  const app = logger.child('app');
  let stats: StatsJsonWriter | undefined;
  session.on('stats', (s) => stats?.write(s));
  let finish: (reason: string, code: number) => void = () => undefined;
  const done = new Promise<{ reason: string; code: number }>((resolve) => {
    finish = (reason, code) => resolve({ reason, code });
  });
  void hooks.stop.then((reason) => finish(reason, 0));
  session.on('end', (reason) => finish(reason ?? 'source ended', 0));
  session.on('error', (err) => {
    app.error({ err }, err.message);
    finish(err.message, err instanceof UserError ? err.exitCode : 1);
  });

  let clearTimers: (() => void) | undefined;
  try {
    // Before anything starts: a path that cannot be written is the user's error, not silence.
    if (cfg.statsJson) {
      stats = StatsJsonWriter.open(cfg.statsJson, (line) => {
        app.warn(line);
        hooks.onFlash?.(line, 'warn');
      });
    }
    await session.prepare?.(); // a test's fake session may have none
    // A sender records what it captures from the first frame: its recording opens before the source starts.
    if (session.role === 'sender') clearTimers = recordAndTime(session, cfg, logger, hooks, finish);
    await session.start();
    await hooks.afterStart?.();
    hooks.onStarted?.();
    if (session.role === 'receiver') clearTimers = recordAndTime(session, cfg, logger, hooks, finish);
  } catch (err) {
    if (!(err instanceof UserError)) app.error({ err }, 'start failed');
    clearTimers?.();
    await shutdown(session, stats, undefined);
    throw err;
  }
  const { reason, code } = await done;
  clearTimers?.();
  hooks.onStopping?.(reason);
  let closing = 'the recording';
  const closed = shutdown(session, stats, app, (what) => (closing = what));
  const stuck = await Promise.race([closed.then(() => null), hooks.again ? hooks.again.then(() => recordingClosed(session)).then(() => closing) : never]);
  if (stuck !== null) {
    const why = `stopped without waiting for ${stuck} to close (asked to stop twice)`;
    app.warn({ reason, stuck }, why);
    return { code: 1, reason: why, abandoned: true };
  }
  const final = await closed;
  app.info({ reason, final: final ? withoutGaps(final) : undefined }, `exit: ${reason}`);
  return { code, reason };
}

const never = new Promise<never>(() => undefined);

/** The recording closed (it is closed first), or the grace is over: a stuck disk must not hold the exit for ever. */
function recordingClosed(session: Session): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise((resolve) => (timer = setTimeout(resolve, RECORDING_GRACE_MS)));
  return Promise.race([session.recorder.stop().catch(() => null), grace]).finally(() => clearTimeout(timer));
}

/** A second without new audio, past the deadline, ends a timed recording whose stream stopped. */
const STALL_MS = 1000;

/** --record and --duration; returns what clears their timers. */
function recordAndTime(
  session: Session,
  cfg: SessionConfig,
  logger: AppLogger,
  hooks: RunHooks,
  finish: (reason: string, code: number) => void,
): () => void {
  const timers = new Set<NodeJS.Timeout>();
  const after = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  const clear = (): void => timers.forEach((t) => clearTimeout(t));
  const durationS = cfg.durationS;
  const reached = `--duration ${durationS} s reached`;
  const until = (ms: number): void => after(ms, () => finish(reached, 0));
  if (durationS !== undefined && !cfg.record.atStart) {
    // A sender ends itself after exactly S s of audio; the clock only backs that up (a stalled microphone).
    until(durationS * 1000 + (session.role === 'sender' ? STALL_MS : 0));
  }
  if (!cfg.record.atStart) return clear;
  // A receiver records once a stream says what format it is; --duration then counts recorded audio.
  if (durationS !== undefined) {
    session.recorder.once('stopped', () => finish(`recorded ${durationS} s`, 0));
    // The receiver records only while it plays: a stream that stops or pauses short of S s
    // would leave it waiting for ever. S s after the start, plus the playout delay and a
    // second, a recording that got no new audio for a second ends the run (saved as usual).
    const slackMs = (session.role === 'sender' ? 0 : playoutDelayMs(cfg.jitter)) + STALL_MS;
    session.recorder.once('started', () => watchRecording(session, durationS * 1000 + slackMs, after, (s) => finish(`${reached}: the stream stopped after ${s.toFixed(2)} s of audio`, 0)));
    // A recording that fails mid-way (disk full) must not leave the session running for ever.
    session.recorder.once('error', () => until(durationS * 1000));
  }
  void session
    .streamFormat()
    .then((format) => {
      session.recorder.setFormat(format);
      return session.recorder.start({ path: cfg.record.path, durationS });
    })
    .catch((err: unknown) => {
      logger.child('record').error({ err }, (err as Error).message);
      hooks.onFlash?.(`recording: ${(err as Error).message}`, 'error');
      if (durationS !== undefined) until(durationS * 1000);
    });
  return clear;
}

/** From `deadlineMs` on, once a second: ends the run when the recording has not grown since the last look. */
function watchRecording(session: Session, deadlineMs: number, after: (ms: number, fn: () => void) => void, end: (elapsedS: number) => void): void {
  let last = -1;
  const look = (): void => {
    const state = session.recorder.state();
    if (!state.recording) return; // stopped or failed: its own events end the run
    if (state.elapsedS === last) return end(state.elapsedS);
    last = state.elapsedS;
    after(STALL_MS, look);
  };
  after(Math.max(0, deadlineMs - STALL_MS), look);
}

/** The most the jitter buffer may hold back before it plays (auto may grow to its bound). */
function playoutDelayMs(j: JitterSpec): number {
  return j.mode === 'auto' ? j.maxMs : j.ms;
}

async function shutdown(
  session: Session,
  stats: StatsJsonWriter | undefined,
  app: ReturnType<AppLogger['child']> | undefined,
  step: (what: string) => void = () => undefined,
): Promise<Snapshot | undefined> {
  // Recordings first: nothing the user recorded may be lost to a later failure.
  try {
    await session.recorder.stop();
  } catch (err) {
    app?.error({ err }, 'closing the recording failed');
  }
  step(`the ${session.role}'s network and audio`);
  try {
    await session.stop();
  } catch (err) {
    app?.error({ err }, 'stopping failed');
  }
  let final: Snapshot | undefined;
  try {
    final = session.finalSnapshot();
    stats?.write(final, true);
  } catch {
    // Never started: no numbers to report.
  }
  step('the --stats-json output');
  await stats?.close();
  return final;
}
