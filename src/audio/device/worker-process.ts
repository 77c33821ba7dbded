// Parent side of the PortAudio worker: fork it, pipe its stdout/stderr (all
// PortAudio and ALSA chatter) into the debug log, pass typed messages.
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { DeviceErrorKind, DeviceList, FromWorker, ToWorker } from './protocol.js';

/** A device problem as a value: what kind, and the one-line detail. */
export class DeviceError extends Error {
  constructor(
    readonly kind: DeviceErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'DeviceError';
  }
}

/**
 * The worker next to this file, in this file's own language: worker.js from
 * dist/ (the product needs nothing else), or worker.ts when this file itself
 * runs from source under a loader (the tests), which the worker then inherits
 * through execArgv like any child of ours.
 */
function workerEntry(): { script: string; execArgv: string[] } {
  const fromSource = import.meta.url.endsWith('.ts');
  const script = fileURLToPath(new URL(fromSource ? './worker.ts' : './worker.js', import.meta.url));
  return { script, execArgv: fromSource ? process.execArgv : [] };
}

export interface WorkerEvents {
  message: [FromWorker];
  /** A line PortAudio or ALSA printed (also logged at debug). */
  chatter: [line: string];
  /** The process is gone; `how` says why ("exit code 1", "signal SIGSEGV"). */
  exit: [how: string];
}

export class WorkerProcess extends EventEmitter<WorkerEvents> {
  private readonly child: ChildProcess;
  private gone = false;
  readonly exited: Promise<string>;

  constructor(private readonly log: Logger) {
    super();
    const { script, execArgv } = workerEntry();
    this.child = fork(script, [], {
      execArgv,
      // Never inherited: PortAudio writes to the C stdout, which would tear the dashboard.
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
      // A process group of its own: a Ctrl-C in the terminal signals the whole
      // foreground group, and the worker must not die before we close it (it
      // still exits when we do: see its 'disconnect' handler).
      detached: true,
    });
    const pid = this.child.pid;
    for (const s of [this.child.stdout, this.child.stderr]) {
      if (!s) continue;
      createInterface({ input: s }).on('line', (line) => {
        if (!line.trim()) return;
        log.debug({ pid }, `portaudio: ${line}`);
        this.emit('chatter', line);
      });
    }
    this.child.on('message', (m: FromWorker) => this.emit('message', m));
    // Sending to a worker that just died is expected; the exit handler reports it.
    this.child.on('error', (err) => log.debug({ err, pid }, 'audio worker: channel error'));
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.gone = true;
        const how = signal ? `signal ${signal}` : `exit code ${code}`;
        log.debug({ pid, code, signal }, `audio worker exited (${how})`);
        resolve(how);
        this.emit('exit', how);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return !this.gone;
  }

  send(m: ToWorker): void {
    if (this.gone || !this.child.connected) return;
    this.child.send(m, (err) => {
      if (err) this.log.debug({ err }, 'audio worker: send failed');
    });
  }

  /** Ask it to close the device and exit; past `graceMs`, kill it. */
  async close(graceMs = 1000): Promise<void> {
    if (this.gone) return;
    this.send({ t: 'close' });
    const timer = setTimeout(() => this.kill(), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  kill(): void {
    if (!this.gone) this.child.kill('SIGKILL');
  }
}

/** Asks a short-lived worker for PortAudio's device list. */
export async function listDevices(log: Logger, timeoutMs = 15_000): Promise<DeviceList> {
  const w = new WorkerProcess(log);
  try {
    return await new Promise<DeviceList>((resolve, reject) => {
      const timer = setTimeout(() => reject(new DeviceError('open-failed', 'PortAudio did not answer')), timeoutMs);
      w.on('message', (m) => {
        if (m.t === 'devices') resolve(m.list);
        else if (m.t === 'error') reject(new DeviceError(m.kind, m.message));
        else return;
        clearTimeout(timer);
      });
      w.on('exit', (how) => {
        clearTimeout(timer);
        reject(new DeviceError('open-failed', `the audio worker died while listing devices (${how})`));
      });
      w.send({ t: 'list' });
    });
  } finally {
    await w.close(500);
  }
}
