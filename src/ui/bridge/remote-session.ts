// The main thread's side of a session running in a worker (session-worker.ts):
// the SessionService and RecorderService the dashboard's hooks subscribe to.
// No React here.
import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import { SharedLevelWindow, type Level } from '../../audio/meter.js';
import { UI_INTERVAL_MS } from '../throttle.js';
import type { RecorderState } from '../../audio/record/recorder.js';
import type { ReplaySaved } from '../../audio/record/replay.js';
import { UserError } from '../../shared/errors.js';
import type { Snapshot } from '../../session/session.js';
import type { SessionConfig } from '../../session/config.js';
import { memoryReducerHeld } from '../../session/gc-tuning.js';
import type { RecorderService, SessionService } from '../contexts/services-context.js';
import { Lifecycle } from '../lifecycle.js';
import type { SessionKind, ToMain, ToWorker, WireError } from './worker-protocol.js';

/** After q, how long the session may take to close before it is stopped hard. */
const STUCK_MS = 10_000;
const IDLE: RecorderState = { recording: false, path: null, elapsedS: 0, bytes: 0, untilS: null };

class RemoteRecorder extends EventEmitter<{ state: [RecorderState] }> implements RecorderService {
  private current: RecorderState = IDLE;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: string | ReplaySaved | undefined) => void; reject: (e: Error) => void }>();

  constructor(private readonly send: (m: ToWorker) => void) {
    super();
  }

  start(opts: { durationS?: number } = {}): Promise<string> {
    return this.request((id) => ({ t: 'record-start', id, durationS: opts.durationS })).then((p) => (typeof p === 'string' ? p : ''));
  }

  stop(): Promise<unknown> {
    return this.request((id) => ({ t: 'record-stop', id }));
  }

  state(): RecorderState {
    return this.current;
  }

  /** From the worker. */
  update(s: RecorderState): void {
    this.current = s;
    this.emit('state', s);
  }

  settle(m: Extract<ToMain, { t: 'reply' }>): void {
    const p = this.pending.get(m.id);
    this.pending.delete(m.id);
    if (m.ok) p?.resolve(m.value);
    else p?.reject(new Error(m.error ?? 'failed'));
  }

  /** The worker is gone: nobody will answer. */
  abandon(why: string): void {
    for (const p of this.pending.values()) p.reject(new Error(why));
    this.pending.clear();
  }

  /** `s`: the worker saves its replay ring; answered by a 'reply' like the recording keys. */
  saveReplay(): Promise<ReplaySaved> {
    return this.request((id) => ({ t: 'replay-save', id })).then((v) => {
      if (typeof v !== 'object') throw new Error('replay: no result from the session');
      return v;
    });
  }

  request(make: (id: number) => ToWorker): Promise<string | ReplaySaved | undefined> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.send(make(id));
    });
  }
}

function unwire(e: WireError): Error {
  return e.user ? new UserError(e.message, e.exitCode, e.remedy) : new Error(e.message);
}

export class RemoteSession extends EventEmitter<{ stats: [Snapshot]; 'peer-stats': [Snapshot]; notice: [string]; levels: [Level]; 'log-written': [] }> implements SessionService {
  readonly recorder: RemoteRecorder;
  readonly lifecycle = new Lifecycle();
  /** Resolves once the session runs; rejects with its start error (a UserError keeps its exit code). */
  readonly started: Promise<void>;
  /** Resolves when the worker is done, with the exit code and why (abandoned: see ToMain 'exit'). */
  readonly exited: Promise<{ code: number; reason: string; abandoned?: boolean }>;
  snapshot: Snapshot | undefined;
  /** The demo's other end (its sender), once a second; undefined for a single session. */
  peerSnapshot: Snapshot | undefined;
  private readonly worker: Worker;
  private killTimer: NodeJS.Timeout | undefined;
  private levelTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly role: 'sender' | 'receiver',
    kind: SessionKind,
    cfg: SessionConfig,
    note?: string,
  ) {
    super();
    // stdout/stderr piped here, not to the terminal Ink draws on: a stray write there would tear the frame.
    // The meter: the worker's audio path writes this window, the frame timer below reads it; no message per level.
    const levels = new SharedLevelWindow();
    this.worker = new Worker(new URL('./session-worker.js', import.meta.url), { workerData: { kind, cfg, note, levels: levels.buffer, memoryReducerHeld: memoryReducerHeld() }, stdout: true, stderr: true });
    // On the drawing side's own timer (as the worker's used to post it); unref: it never keeps the process up.
    this.levelTimer = setInterval(() => {
      if (this.listenerCount('levels') > 0) this.emit('levels', levels.take());
    }, UI_INTERVAL_MS).unref();
    for (const s of [this.worker.stdout, this.worker.stderr]) {
      s.setEncoding('utf8');
      s.on('data', (d: string) => {
        const line = d.trim().split('\n').at(-1);
        if (line) this.lifecycle.flash(line, 'warn');
      });
    }
    this.recorder = new RemoteRecorder((m) => this.worker.postMessage(m));
    let onStarted: () => void = () => undefined;
    let onFailed: (e: Error) => void = () => undefined;
    this.started = new Promise((resolve, reject) => {
      onStarted = resolve;
      onFailed = reject;
    });
    let onExit: (r: { code: number; reason: string; abandoned?: boolean }) => void = () => undefined;
    this.exited = new Promise((resolve) => (onExit = resolve));
    let said: { code: number; reason: string } | undefined;

    this.worker.on('message', (m: ToMain) => {
      switch (m.t) {
        case 'started':
          this.lifecycle.set('running');
          return onStarted();
        case 'start-failed':
          said = { code: m.error.exitCode, reason: m.error.message };
          return onFailed(unwire(m.error));
        case 'stats':
          // The demo runs both ends: the other role's stats are the peer's, kept apart so the screen shown stays the same.
          if (m.s.role !== role) {
            this.peerSnapshot = m.s;
            return void this.emit('peer-stats', m.s);
          }
          this.snapshot = m.s;
          return void this.emit('stats', m.s);
        case 'notice':
          return void this.emit('notice', m.text);
        case 'log-written':
          return void this.emit('log-written');
        case 'recorder':
          return this.recorder.update(m.s);
        case 'flash':
          return this.lifecycle.flash(m.text, m.level);
        case 'stopping':
          return this.lifecycle.set('stopping', m.reason);
        case 'reply':
          return this.recorder.settle(m);
        case 'exit':
          said = { code: m.code, reason: m.reason };
          if (m.abandoned) {
            // Its recording is closed; what hangs would keep it alive. Not waiting for the terminate either: it may wait on that too.
            void this.worker.terminate();
            onExit({ ...said, abandoned: true });
          }
          return;
      }
    });
    this.worker.on('error', (err) => {
      said ??= { code: 1, reason: `the session failed: ${err.message}` };
      onFailed(err);
    });
    this.worker.on('exit', () => {
      if (this.killTimer) clearTimeout(this.killTimer);
      if (this.levelTimer) clearInterval(this.levelTimer);
      this.levelTimer = undefined;
      const r = said ?? { code: 1, reason: 'the session stopped unexpectedly' };
      this.recorder.abandon(r.reason);
      onFailed(new Error(r.reason)); // no-op once started
      onExit(r);
    });
  }

  saveReplay(): Promise<ReplaySaved> {
    return this.recorder.saveReplay();
  }

  /** Asks the session to end: it closes its recording and writes its final stats first. */
  quit(reason: string): void {
    this.lifecycle.set('stopping', reason);
    this.worker.postMessage({ t: 'quit', reason } satisfies ToWorker);
    // A session that cannot close in this long is stuck; its WAV header is kept valid as it goes.
    this.killTimer ??= setTimeout(() => void this.worker.terminate(), STUCK_MS).unref();
  }

  log(level: 'info' | 'warn' | 'error', msg: string): void {
    this.worker.postMessage({ t: 'log', level, msg } satisfies ToWorker);
  }

  /** Last resort: the worker would not end by itself. */
  kill(): Promise<number> {
    return this.worker.terminate();
  }
}
