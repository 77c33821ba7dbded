// The services the dashboard shows, injected so tests can pass fakes. They
// know nothing of React; the hooks in ../hooks subscribe to them.
import { createContext, useContext, type ReactNode } from 'react';
import type { FlashLevel, Level, RecorderState, ReplaySaved, Snapshot } from '../bridge/types.js';
import type { LogEntry, LogLevel } from '../../logging/log-line.js';
import type { Phase } from '../state/dashboard-reducer.js';
import type { MeterOverlayService } from '../meter-overlay.js';

type Listener<A extends unknown[]> = (...args: A) => void;

/** A SendSession or ReceiveSession, as far as the dashboard needs one. */
export interface SessionService {
  readonly role: 'sender' | 'receiver';
  readonly snapshot: Snapshot | undefined;
  /** The demo's other end (its sender's stats), which the demo shows beside the receiver; undefined otherwise. */
  readonly peerSnapshot?: Snapshot | undefined;
  on(event: 'stats', fn: Listener<[Snapshot]>): unknown;
  /** The demo only: the other end's stats, once a second. */
  on(event: 'peer-stats', fn: Listener<[Snapshot]>): unknown;
  on(event: 'notice', fn: Listener<[string]>): unknown;
  /** ~10 times a second: the level metered in the audio path since the previous one. */
  on(event: 'levels', fn: Listener<[Level]>): unknown;
  off(event: 'stats', fn: Listener<[Snapshot]>): unknown;
  off(event: 'peer-stats', fn: Listener<[Snapshot]>): unknown;
  off(event: 'notice', fn: Listener<[string]>): unknown;
  off(event: 'levels', fn: Listener<[Level]>): unknown;
  /** `s`: writes the last ≤30 s of what played (receiver) or was captured (sender) to --record-dir; rejects with a one-line reason. */
  saveReplay(): Promise<ReplaySaved>;
}

export interface RecorderService {
  start(opts?: { path?: string; durationS?: number }): Promise<string>;
  stop(): Promise<unknown>;
  state(): RecorderState;
  on(event: 'state', fn: Listener<[RecorderState]>): unknown;
  off(event: 'state', fn: Listener<[RecorderState]>): unknown;
}

export interface LogTailService {
  lines(): readonly LogEntry[];
  on(event: 'line', fn: Listener<[LogEntry]>): unknown;
  off(event: 'line', fn: Listener<[LogEntry]>): unknown;
}

/** What the runner tells the dashboard about the session's life. */
export interface LifecycleService {
  /** The phase now, for a subscriber that arrives after the news. */
  phase(): [Phase, string];
  on(event: 'phase', fn: Listener<[Phase, string]>): unknown;
  on(event: 'flash', fn: Listener<[string, FlashLevel]>): unknown;
  off(event: 'phase', fn: Listener<[Phase, string]>): unknown;
  off(event: 'flash', fn: Listener<[string, FlashLevel]>): unknown;
}

/** Fixed facts for the header. */
export interface DashboardInfo {
  role: 'sender' | 'receiver';
  protocol: 'udp' | 'tcp';
  /** `→ 127.0.0.1:5004` for a sender, `0.0.0.0:5004` for a receiver. */
  endpoint: string;
  /** Source or sink, e.g. `tone 440 Hz`, `null`. */
  io: string;
  format: string;
  frameMs: number;
}

export interface Services {
  session: SessionService;
  recorder: RecorderService;
  logTail: LogTailService;
  lifecycle: LifecycleService;
  info: DashboardInfo;
  /** The demo's other end (its sender), for the screen `v` switches to. */
  otherInfo?: DashboardInfo;
  /** The log level the pane starts at. */
  logLevel: LogLevel;
  /** Ends the session (closing any recording first); the runner does the work. */
  quit(reason: string): void;
  /** Puts a line in the log file (the only place the dashboard may write to). */
  log(level: 'info' | 'warn' | 'error', msg: string): void;
  /** Monotonic ms; tests pass a fake. */
  now(): number;
  /** The terminal's meter drawn in place between frames (the dashboard); without it the meter renders each change. */
  meterOverlay?: MeterOverlayService;
}

const ServicesContext = createContext<Services | null>(null);

export function ServicesProvider({ services, children }: { services: Services; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): Services {
  const s = useContext(ServicesContext);
  if (!s) throw new Error('useServices outside a ServicesProvider');
  return s;
}
