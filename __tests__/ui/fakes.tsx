/** @jsxRuntime automatic */ // tsx applies tsconfig.json (src/ only) to src, so tests name their JSX runtime
// Fake services for the dashboard's tests: plain emitters with the shape the hooks read.
import { EventEmitter } from 'node:events';
import type { ReactNode } from 'react';
import type { Level } from '../../src/audio/meter.js';
import type { RecorderState } from '../../src/audio/record/recorder.js';
import type { LogEntry } from '../../src/logging/log-line.js';
import type { ReceiverSnapshot } from '../../src/session/receiver-snapshot.js';
import type { SenderSnapshot } from '../../src/session/sender.js';
import type { Snapshot } from '../../src/session/session.js';
import { ServicesProvider, type DashboardInfo, type Services } from '../../src/ui/contexts/services-context.js';
import { ThemeProvider } from '../../src/ui/contexts/theme-context.js';
import type { FlashLevel, ReplaySaved } from '../../src/ui/bridge/types.js';
import type { Phase } from '../../src/ui/state/dashboard-reducer.js';

export class FakeSession extends EventEmitter {
  snapshot: Snapshot | undefined;
  replays = 0;
  replayResult: ReplaySaved | Error = { path: 'Recording/replay_20260101_120000.wav', durationS: 30, bytes: 2_646_044 };
  saveReplay(): Promise<ReplaySaved> {
    this.replays++;
    const r = this.replayResult;
    return r instanceof Error ? Promise.reject(r) : Promise.resolve(r);
  }
  level: Level = { peakDbfs: -120, rmsDbfs: -120 };
  private timer: NodeJS.Timeout | undefined;
  constructor(readonly role: 'sender' | 'receiver') {
    super();
    // As the session worker does: `level` is sent ~10 times a second while anyone listens.
    this.on('newListener', (event) => {
      if (event === 'levels') this.timer ??= setInterval(() => this.emit('levels', this.level), 100).unref();
    });
    this.on('removeListener', (event) => {
      if (event === 'levels' && this.listenerCount('levels') === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    });
  }
}

export class FakeRecorder extends EventEmitter {
  calls: string[] = [];
  current: RecorderState = { recording: false, path: null, elapsedS: 0, bytes: 0, untilS: null };
  start(opts: { path?: string; durationS?: number } = {}): Promise<string> {
    this.calls.push(`start${opts.durationS === undefined ? '' : ` ${opts.durationS}`}`);
    this.current = { recording: true, path: 'Recording/x.wav', elapsedS: 0, bytes: 44, untilS: opts.durationS ?? null };
    this.emit('state', this.current);
    return Promise.resolve('Recording/x.wav');
  }
  stop(): Promise<null> {
    this.calls.push('stop');
    this.current = { recording: false, path: null, elapsedS: 0, bytes: 0, untilS: null };
    this.emit('state', this.current);
    return Promise.resolve(null);
  }
  state(): RecorderState {
    return this.current;
  }
}

export class FakeLogTail extends EventEmitter {
  entries: LogEntry[] = [];
  lines(): readonly LogEntry[] {
    return this.entries.slice();
  }
  add(e: LogEntry): void {
    this.entries.push(e);
    this.emit('line', e);
  }
}

export class FakeLifecycle extends EventEmitter {
  current: [Phase, string] = ['running', ''];
  phase(): [Phase, string] {
    return this.current;
  }
  set(phase: Phase, reason = ''): void {
    this.current = [phase, reason];
    this.emit('phase', phase, reason);
  }
  flash(text: string, level: FlashLevel): void {
    this.emit('flash', text, level);
  }
}

export interface Fakes {
  services: Services;
  session: FakeSession;
  recorder: FakeRecorder;
  logTail: FakeLogTail;
  lifecycle: FakeLifecycle;
  quits: string[];
}

export function fakes(role: 'sender' | 'receiver' = 'receiver'): Fakes {
  const session = new FakeSession(role);
  const recorder = new FakeRecorder();
  const logTail = new FakeLogTail();
  const lifecycle = new FakeLifecycle();
  const quits: string[] = [];
  const info: DashboardInfo = {
    role,
    protocol: 'tcp',
    endpoint: role === 'sender' ? '→ 127.0.0.1:5004' : '0.0.0.0:5004',
    io: role === 'sender' ? 'tone 440 Hz' : 'null',
    format: 'L16 44100 Hz mono',
    frameMs: 10,
  };
  let t = 0;
  const services: Services = {
    session,
    recorder,
    logTail,
    lifecycle,
    info,
    logLevel: 'info',
    quit: (reason) => quits.push(reason),
    log: () => undefined,
    now: () => (t += 66),
  };
  return { services, session, recorder, logTail, lifecycle, quits };
}

export function Wrap({ services, children }: { services: Services; children: ReactNode }) {
  return (
    <ThemeProvider theme={{ color: false }}>
      <ServicesProvider services={services}>{children}</ServicesProvider>
    </ThemeProvider>
  );
}

export function receiverStats(over: Partial<ReceiverSnapshot> = {}): ReceiverSnapshot {
  return {
    role: 'receiver', received: 1000, expected: 1000, lost: 0, lossPercent: 0, jitterMs: 0.4, outOfOrder: 0, duplicates: 0,
    late: 0, concealedMs: 0, bufferMs: 40, targetMs: 40, malformed: 0, rejected: 0, bitrateKbps: 720, peakDbfs: -6,
    rmsDbfs: -9, recording: null, underruns: 0, overflows: 0, skippedMs: 0, uptimeS: 12, driftPpm: null, loopDelayP99Ms: 1,
    rttMs: null, senderSent: null, missedBeforeFirst: null,
    peer: '127.0.0.1:40000', format: 'L16 44100 Hz mono', mos: 4.41, glitches: { network: 0, late: 0, underrun: 0, total: 0 }, recovered: 0, codec: 'l16',
    jitterHistogram: { edgesMs: [0, 1, 2, 5, 10, 20, 50], counts: [0, 0, 0, 0, 0, 0, 0] }, lossBursts: { lengths: [] }, gaps: [], ...over,
  };
}

export function senderStats(over: Partial<SenderSnapshot> = {}): SenderSnapshot {
  return {
    role: 'sender', sent: 500, bytes: 450000, bitrateKbps: 720, peakDbfs: -6, rmsDbfs: -9, recording: null,
    connected: true, connection: 'connected', uptimeS: 5, loopDelayP99Ms: 1, simDropped: 0, simDuplicated: 0, skippedMs: 0, malformed: 0, codec: 'l16',
    remoteLost: null, remoteLossPercent: null, remoteJitterMs: null, rttMs: null, reportAgeS: null, remoteReceivers: null, mos: null, remoteHistory: [], ...over,
  };
}

/** Lets effects, throttles and Ink's render settle. */
export const tick = (ms = 100) => new Promise<void>((r) => setTimeout(r, ms));

/** Resolves once Ink listens to stdin: a key written before that is lost (the fake stdin keeps no buffer). */
export function listening(stdin: { listenerCount(e: string): number }): Promise<string> {
  return until(() => '', () => stdin.listenerCount('readable') > 0);
}

/** Waits until `check` holds (a busy machine may take a while); resolves with its last frame. */
export async function until(frame: () => string, check: (f: string) => boolean, timeoutMs = 5000): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const f = frame();
    if (check(f) || Date.now() > end) return f;
    await tick(20);
  }
}

export const count = (s: string, ch: string): number => s.split(ch).length - 1;
