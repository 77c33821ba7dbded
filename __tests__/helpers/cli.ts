// Runs the real built CLI (bin/streamer.js → dist/) as a child process.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, type TestContext } from 'node:test';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'streamer.js');

export function tmpDir(): string {
  return mkdtempSync(join(tmpdir(), 'streamer-'));
}

export interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when stderr contains `text` (rejects after timeoutMs). */
  waitFor: (text: string | RegExp, timeoutMs?: number) => Promise<void>;
  stop: (signal?: NodeJS.Signals) => Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

// A failed or timed-out test must not leave its children running: the test
// file's process would then never exit, and the whole run would hang.
const live = new Set<ChildProcess>();
after(() => {
  for (const c of live) c.kill('SIGKILL');
});

/** `prefix`: a command that runs streamer, e.g. `ip netns exec NS` (it execs node, so signals reach streamer itself). */
export function streamer(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; prefix?: readonly string[] } = {}): Running {
  const argv = [...(opts.prefix ?? []), process.execPath, BIN, ...args];
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd: opts.cwd ?? tmpDir(),
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  child.on('exit', () => live.delete(child));
  let out = '';
  let err = '';
  const waiters: (() => void)[] = [];
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    for (const w of waiters) w();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const waitFor = (text: string | RegExp, timeoutMs = 30_000): Promise<void> =>
    new Promise((resolve, reject) => {
      const matches = (): boolean => (typeof text === 'string' ? err.includes(text) : text.test(err));
      if (matches()) return resolve();
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${String(text)}; stderr:\n${err}`)), timeoutMs);
      const check = (): void => {
        if (matches()) {
          clearTimeout(timer);
          resolve();
        }
      };
      waiters.push(check);
      void exited.then(() => {
        if (!matches()) {
          clearTimeout(timer);
          reject(new Error(`exited before ${String(text)}; stderr:\n${err}`));
        }
      });
    });
  const stop = (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  return { child, stdout: () => out, stderr: () => err, exited, waitFor, stop };
}

/** Runs the CLI to completion (for usage errors and short commands). */
export function streamerSync(args: string[], opts: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? tmpDir(),
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 20_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** UDP `port` on 127.0.0.1 can be bound right now. */
function udpFree(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const u = dgram.createSocket('udp4');
    u.once('error', () => resolve(false));
    u.bind(port, '127.0.0.1', () => u.close(() => resolve(true)));
  });
}

/** A port nobody listens on right now, for UDP and TCP alike, with port + 1 free too (RTCP's, by default). */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = net.createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    if (port < 65535 && (await udpFree(port)) && (await udpFree(port + 1))) return port;
  }
}

export function readJsonLines(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

export function finalStats(file: string): Record<string, number> {
  const lines = readJsonLines(file);
  const last = lines.at(-1);
  if (!last || last.final !== true) throw new Error(`no final stats line in ${file}`);
  return last as Record<string, number>;
}

/**
 * An outside program a test needs (ffmpeg, gst-launch-1.0, tmux, pulseaudio).
 * Missing: the test skips and says why — except under CI=true, where a skip
 * for a missing tool is a failure.
 */
export function requireTool(t: TestContext, name: string): boolean {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  if (r.status === 0) return true;
  if (process.env.CI === 'true') throw new Error(`${name} is not installed, and CI must run this test (.ci/run installs it)`);
  t.skip(`${name} is not installed`);
  return false;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
