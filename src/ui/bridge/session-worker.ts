// The worker thread a dashboard's session runs in: sockets, audio clock,
// recorder, log file and --stats-json all live here, so the main thread can
// spend as long as it likes drawing a frame. Talks only through ToMain/ToWorker.
import { parentPort, workerData } from 'node:worker_threads';
import { UserError } from '../../shared/errors.js';
import { createLogger, LogFileError, LogOptionsError, type AppLogger } from '../../logging/logger.js';
import { ReceiveSession, SendSession, type Session } from '../../session/session.js';
import type { SessionConfig } from '../../session/config.js';
import type { ReplaySaved } from '../../audio/record/replay.js';
import { SharedLevelWindow } from '../../audio/meter.js';
import { runSession } from '../../session/runner.js';
import { pairDemo } from '../../session/demo-pair.js';
import { createThrottle, UI_INTERVAL_MS } from '../throttle.js';
import type { ToMain, ToWorker, WireError, WorkerData } from './worker-protocol.js';

const port = parentPort!;
const post = (m: ToMain): void => port.postMessage(m);

function wire(err: unknown): WireError {
  if (err instanceof UserError) return { message: err.message, user: true, exitCode: err.exitCode, remedy: err.remedy };
  if (err instanceof LogOptionsError) return { message: err.message, user: true, exitCode: 2 };
  if (err instanceof LogFileError) return { message: err.message, user: true, exitCode: 1 };
  return { message: (err as Error)?.message ?? String(err), user: false, exitCode: 1 };
}

function isReplaySaved(v: unknown): v is ReplaySaved {
  return typeof v === 'object' && v !== null && typeof (v as ReplaySaved).path === 'string';
}

async function main(): Promise<void> {
  const data = workerData as WorkerData;
  // A Buffer arrives as a plain Uint8Array.
  const cfg: SessionConfig = { ...data.cfg, key: data.cfg.key ? Buffer.from(data.cfg.key) : undefined };
  let logger: AppLogger;
  let session: Session;
  let sender: SendSession | undefined;
  // The log pane's news: one message a frame at most, not one per line.
  const logNews = createThrottle<null>(() => post({ t: 'log-written' }), UI_INTERVAL_MS);
  try {
    logger = createLogger({ ...cfg.log, stderr: false, onWritten: () => logNews.push(null), onError: (e) => post({ t: 'flash', text: `log file: ${e.message} (logging stopped)`, level: 'error' }) });
  } catch (err) {
    return post({ t: 'start-failed', error: wire(err) });
  }
  const role = data.kind === 'send' ? 'send' : 'receive';
  logger.child('app').info({ role, kind: data.kind, dashboard: true, memoryReducerHeld: data.memoryReducerHeld, options: { ...cfg, key: cfg.key ? '(set)' : undefined } }, data.note ?? `streamer ${role} starting`);
  try {
    session = data.kind === 'send' ? new SendSession(cfg, logger) : new ReceiveSession(cfg, logger);
    if (data.kind === 'demo') {
      const demoSender = new SendSession(cfg, logger);
      pairDemo(demoSender, session);
      // Its stats go to the screen too (a stats message carries its role); the receiver stays the session shown.
      demoSender.on('stats', (s) => post({ t: 'stats', s }));
      sender = demoSender;
    }
  } catch (err) {
    post({ t: 'start-failed', error: wire(err) });
    return logger.close();
  }

  session.on('stats', (s) => post({ t: 'stats', s }));
  session.on('notice', (text) => post({ t: 'notice', text }));
  session.recorder.on('state', (s) => post({ t: 'recorder', s }));
  session.shareLevels(new SharedLevelWindow(data.levels));
  let stopWith: (reason: string) => void = () => undefined;
  const stop = new Promise<string>((r) => (stopWith = r));
  let askAgain: () => void = () => undefined;
  const again = new Promise<void>((r) => (askAgain = r));
  let quits = 0;
  port.on('message', (m: ToWorker) => {
    const reply = (id: number, p: Promise<unknown>): void => {
      p.then(
        (v) => post({ t: 'reply', id, ok: true, value: typeof v === 'string' || isReplaySaved(v) ? v : undefined }),
        (e: unknown) => post({ t: 'reply', id, ok: false, error: (e as Error)?.message ?? String(e) }),
      );
    };
    if (m.t === 'quit') {
      // The first stops in order; a second, while that hangs, gives up once the recording is closed.
      if (quits++ === 0) stopWith(m.reason);
      else askAgain();
    } else if (m.t === 'record-start') reply(m.id, session.recorder.start(m.durationS === undefined ? {} : { durationS: m.durationS }));
    else if (m.t === 'record-stop') reply(m.id, session.recorder.stop());
    else if (m.t === 'replay-save') reply(m.id, session.saveReplay());
    else if (m.t === 'log') logger.child('ui')[m.level](m.msg);
  });

  try {
    const { code, reason, abandoned } = await runSession(session, cfg, logger, {
      stop,
      again,
      afterStart: sender ? () => sender.start() : undefined,
      onStarted: () => post({ t: 'started' }),
      onStopping: (r) => post({ t: 'stopping', reason: r }),
      onFlash: (text, level) => post({ t: 'flash', text, level }),
    });
    if (abandoned) return post({ t: 'exit', code, reason, abandoned }); // the main thread ends this worker
    await sender?.stop();
    post({ t: 'exit', code, reason });
  } catch (err) {
    await sender?.stop().catch(() => undefined);
    post({ t: 'start-failed', error: wire(err) });
  } finally {
    await logger.close();
    logNews.cancel();
    port.close();
  }
}

void main();
