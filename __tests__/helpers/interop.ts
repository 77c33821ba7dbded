// Outside programs (ffmpeg, gst-launch-1.0) as the other end of a stream.
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync, readFileSync } from 'node:fs';
import type { AudioFormat } from '../../src/shared/audio-format.js';
import { WavReader } from '../../src/audio/wav/wav-reader.js';
import { freePort, sleep } from './cli.js';
import { zeroCrossingHz } from './signal.js';

export interface Tool {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop: (signal?: NodeJS.Signals) => Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts an outside program; it is killed after `timeoutMs` so a hung tool cannot hang the suite. */
export function tool(cmd: string, args: string[], opts: { cwd: string; timeoutMs?: number; env?: NodeJS.ProcessEnv }): Tool {
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
  void exited.then(() => clearTimeout(timer));
  const stop = (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  return { child, stderr: () => err, exited, stop };
}

function listening(kind: 'udp' | 'tcp', port: number): boolean {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')} `;
  for (const f of [`/proc/net/${kind}`, `/proc/net/${kind}6`]) {
    if (!existsSync(f)) continue;
    for (const line of readFileSync(f, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // local_address is column 1; state 0A is LISTEN (UDP sockets are 07 once bound).
      if (!cols[1] || !`${cols[1]} `.endsWith(hex)) continue;
      if (kind === 'udp' || cols[3] === '0A') return true;
    }
  }
  return false;
}

/** Waits until some process has bound a UDP port / listens on a TCP port (Linux /proc). */
export async function waitForListen(kind: 'udp' | 'tcp', port: number, timeoutMs = 15_000): Promise<void> {
  if (!existsSync('/proc/net/udp')) return sleep(2000);
  const until = Date.now() + timeoutMs;
  while (!listening(kind, port)) {
    if (Date.now() > until) throw new Error(`nothing listens on ${kind} port ${port} after ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** A port P with P+1 free too: ffmpeg's RTP input and output use P+1 for RTCP (freePort gives such a port now). */
export const freePortPair = freePort;

export interface Heard {
  format: AudioFormat;
  seconds: number;
  /** Frequency of channel 0 by zero crossings, over the middle of the file. */
  hz: number;
  /** Largest |sample| of the middle part: proof that audio, not silence, came through. */
  peak: number;
  pcm: Int16Array;
}

export function listen(path: string): Heard {
  const r = WavReader.open(path);
  const pcm = r.read(r.totalFrames) ?? new Int16Array(0);
  const format = r.format;
  r.close();
  const frames = pcm.length / format.channels;
  // The edges can hold a start-up gap or a cut-off tail; the middle is the tone.
  const skip = Math.floor(frames * 0.1);
  const mid = pcm.subarray(skip * format.channels, (frames - skip) * format.channels);
  let peak = 0;
  for (const v of mid) peak = Math.max(peak, Math.abs(v));
  return { format, seconds: frames / format.rate, hz: zeroCrossingHz(mid, format.rate, format.channels), peak, pcm };
}

/** Listens where an RTP sender sends (port and port + 1) and keeps what comes: the RTP SSRCs, and every RTCP datagram. */
export async function captureRtpAndRtcp(port: number): Promise<{ rtpSsrcs: Set<number>; rtcp: Buffer[]; close(): void }> {
  const rtpSock = dgram.createSocket('udp4');
  const rtcpSock = dgram.createSocket('udp4');
  const rtpSsrcs = new Set<number>();
  const rtcp: Buffer[] = [];
  rtpSock.on('message', (m) => rtpSsrcs.add(m.readUInt32BE(8)));
  rtcpSock.on('message', (m) => rtcp.push(m));
  await new Promise<void>((r) => rtpSock.bind(port, '127.0.0.1', () => r()));
  await new Promise<void>((r) => rtcpSock.bind(port + 1, '127.0.0.1', () => r()));
  return {
    rtpSsrcs,
    rtcp,
    close: () => {
      rtpSock.close();
      rtcpSock.close();
    },
  };
}
