// Spawning the programs under test, and tearing them down whatever happens.
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { cpuSeconds, udpBound } from './proc.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const STREAMER = join(ROOT, 'bin', 'streamer.js');

export interface Peer {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  /** Last lines of stderr and stdout, for telling why a peer failed. */
  tail(): string;
  /** CPU seconds so far (all threads); NaN once the process is gone. */
  cpu(): number;
  readonly exited: Promise<number | null>;
  /** Sends `signal`, then SIGKILL if it has not exited after `graceMs`. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number | null>;
}

const live = new Set<Peer>();

/** Starts `cmd args` directly (no shell, so the pid is the program's own). */
export function startPeer(name: string, cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Peer {
  const child = spawn(cmd, args, {
    cwd: opts.cwd ?? ROOT,
    env: opts.env ?? { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`${name}: could not start ${cmd}`);
  let tail = '';
  const keep = (b: Buffer): void => {
    tail = (tail + b.toString('utf8')).slice(-4000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, sig) => resolve(code ?? (sig ? -1 : null)));
    child.once('error', (err) => {
      keep(Buffer.from(`\n${err.message}\n`));
      resolve(null);
    });
  });
  const pid = child.pid;
  const peer: Peer = {
    name,
    child,
    pid,
    tail: () => tail,
    cpu: () => {
      try {
        return cpuSeconds(pid);
      } catch {
        return NaN;
      }
    },
    exited,
    async stop(signal = 'SIGINT', graceMs = 3000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      live.delete(peer);
      return exited;
    },
  };
  live.add(peer);
  void exited.then(() => live.delete(peer));
  return peer;
}

/** Stops every peer still running (on error, Ctrl-C, or at the end). */
export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((p) => p.stop('SIGKILL', 1000)));
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    for (const p of live) p.child.kill('SIGKILL');
    process.exit(130);
  });
}
process.once('exit', () => {
  for (const p of live) p.child.kill('SIGKILL');
});

/** A UDP port nobody uses right now (bound, read, released). */
export async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  const port = s.address().port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** Waits until each peer listens on its UDP port; throws with the peer's output if it dies or takes too long. */
export async function waitBound(pairs: Array<[Peer, number]>, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const [peer, port] of pairs) {
    while (!udpBound(port)) {
      if (peer.child.exitCode !== null || peer.child.signalCode !== null) {
        throw new Error(`${peer.name} exited before listening on ${port}:\n${peer.tail()}`);
      }
      if (Date.now() > deadline) throw new Error(`${peer.name} did not listen on UDP ${port} within ${timeoutMs} ms:\n${peer.tail()}`);
      await sleep(50);
    }
  }
}

/** A scratch directory removed at exit. */
export function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'streamer-bench-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** `node bin/streamer.js <args>` with its log kept out of the working tree. */
export function startStreamer(name: string, args: string[], dir: string, nodeFlags: string[] = []): Peer {
  // BENCH_STREAMER_NODE_FLAGS: node flags for every streamer a bench starts (A/B of V8 settings).
  const extra = (process.env.BENCH_STREAMER_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  return startPeer(name, process.execPath, [...extra, ...nodeFlags, STREAMER, ...args, '--log-file', join(dir, `${name}.log`)]);
}

/**
 * Runs a benchmark's main: a failure is one stack on stderr and exit code 1,
 * and every peer started is stopped (after `cleanup`) however it ends.
 */
export async function runBench(name: string, main: () => Promise<void>, cleanup?: () => void): Promise<void> {
  try {
    await main();
  } catch (err) {
    process.stderr.write(`${name}: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  } finally {
    cleanup?.();
    await stopAll();
  }
}
