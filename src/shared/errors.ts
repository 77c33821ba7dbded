/**
 * An error the user can cause and fix (bad flag value, port in use, missing
 * file). Its message is one line saying what failed; the CLI prints it
 * without a stack, with what to try, and exits with `exitCode`. The core
 * names no flag: it says which `remedy` applies and commands/remedy.ts words
 * it ("pick another with --port").
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
    /** What the user could change, for the command layer to word with its flags (the core does not know them). */
    readonly remedy?: Remedy,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** What would fix a failure, in the core's terms: the port is taken, the listening address, where to send, the source file. */
export type Remedy = 'port-in-use' | 'listen-address' | 'host' | 'destination' | 'source-file' | 'wav-format' | 'device-id';

/** The one errno table: sockets and files alike. */
const reasons: Record<string, string> = {
  EADDRINUSE: 'address already in use',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EADDRNOTAVAIL: 'address not available on this machine',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by peer',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed by peer',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a parent of the path is not a directory',
  EISDIR: 'is a directory',
  EEXIST: 'file already exists',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
  EFBIG: 'file too large',
};

/** "address already in use" for a system error; else its message without Node's "ECODE: " and ", syscall 'path'". */
export function describeSystemError(err: unknown): string {
  const code = errorCode(err);
  if (code && reasons[code]) return reasons[code];
  const msg = err instanceof Error ? err.message : String(err);
  return msg.replace(/^[A-Z0-9_]+: /, '').replace(/, \w+( '.*')?$/, '');
}

export function errorCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}
