// Loads streamer's optional native batch reader (native/recv, built at
// install by scripts/build-native.mjs): recvmmsg with kernel receive
// timestamps, Linux only. Absent, unbuildable or refused (STREAMER_RECV=dgram),
// the receiver reads with Node's dgram instead; why is kept for the debug log.
import { createRequire } from 'node:module';

export interface NativeRecv {
  open(family: 4 | 6, address: string, port: number, rcvbufBytes: number): number;
  localPort(fd: number): number;
  /** The receive buffer the kernel granted (bytes it charges datagrams against), or -errno; absent in a build older than it. */
  rcvbuf?(fd: number): number;
  recv(fd: number, data: Uint8Array, slotBytes: number, meta: Int32Array, ageMs: Float64Array, addr: Uint8Array): number;
  address(family: 4 | 6, bytes: Uint8Array, offset: number): string | undefined;
  sendTo(fd: number, data: Uint8Array, family: 4 | 6, address: string, port: number): number;
  close(fd: number): number;
  readonly maxBatch: number;
}

/** Where the built module lies, from src/net/transport or dist/net/transport alike. */
export const NATIVE_RECV_PATH = new URL('../../../native/recv/build/Release/streamer_recv.node', import.meta.url);

export type RecvChoice = 'auto' | 'native' | 'dgram';

/** STREAMER_RECV: `dgram` forces Node's sockets, `native` insists on the batch reader, anything else is auto. */
export function recvChoice(env: NodeJS.ProcessEnv = process.env): RecvChoice {
  const v = env.STREAMER_RECV?.trim().toLowerCase();
  return v === 'dgram' || v === 'native' ? v : 'auto';
}

let loaded: { mod: NativeRecv } | { why: string } | undefined;

/** The native module, or why it cannot be used here. Loaded once. */
export function loadNativeRecv(choice: RecvChoice = recvChoice()): { mod: NativeRecv } | { why: string } {
  if (choice === 'dgram') return { why: 'STREAMER_RECV=dgram' };
  if (loaded) return loaded;
  if (process.platform !== 'linux') {
    loaded = { why: `no batch reader on ${process.platform}` };
    return loaded;
  }
  try {
    const req = createRequire(import.meta.url);
    loaded = { mod: req(NATIVE_RECV_PATH.pathname) as NativeRecv };
  } catch (err) {
    const msg = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    loaded = { why: `native module not loaded (${msg.includes('Cannot find module') ? 'not built at install' : msg})` };
  }
  return loaded;
}
