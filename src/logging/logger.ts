// The only module that writes log output: pino JSON lines into a rotating file, optionally
// echoed on stderr. Adapter only — line formatting lives in log-line.ts.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { pino, type Logger } from 'pino';
import { createStream, type RotatingFileStream } from 'rotating-file-stream';
import { colorWanted } from '../shared/color.js';
import { formatHuman, isLogLevel, parseLogLine, type LogLevel } from './log-line.js';
import { parseSize } from './size.js';

export type { LogLevel } from './log-line.js';

export interface LogOptions {
  /** e.g. 'audio_stream.log'; relative to cwd at creation, missing directories are created. */
  file: string;
  /** Rotate when the current file reaches this size, e.g. '5M' (see parseSize). */
  maxSize: string;
  /** Rotated files kept besides the current one (`file.1` … `file.N`), at least 1. */
  maxFiles: number;
  level: LogLevel;
  /** Headless: human lines or raw JSON on stderr; false when the dashboard owns the terminal. */
  stderr: 'human' | 'json' | false;
  /** Where the stderr copy goes (tests); default process.stderr. */
  stderrStream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Called once if the file cannot be written (disk full, permissions); logging then stops quietly. */
  onError?: (err: Error) => void;
  /** Called as each line reaches the file (the dashboard's log pane reads it then instead of polling fast). */
  onWritten?: () => void;
}

export interface AppLogger {
  readonly root: Logger;
  /** A logger whose lines carry `component`; the same instance for the same name. */
  child(component: string): Logger;
  setLevel(level: LogLevel): void;
  /** Flushes everything and ends the file stream; idempotent, never rejects. */
  close(): Promise<void>;
}

/** A bad --log-* value: a usage error with one message to show the user. */
export class LogOptionsError extends Error {
  override name = 'LogOptionsError';
}

/** The log's directory could not be created: a runtime error with one message to show the user. */
export class LogFileError extends Error {
  override name = 'LogFileError';
}

/** The problem with these options, in one line, or undefined when they are usable. */
export function checkLogOptions(opts: Pick<LogOptions, 'file' | 'maxSize' | 'maxFiles' | 'level'>): string | undefined {
  return logOptionProblem(opts)?.message;
}

/** The problem with these options and which one has it, or undefined when they are usable. */
export function logOptionProblem(
  opts: Pick<LogOptions, 'file' | 'maxSize' | 'maxFiles' | 'level'>,
): { option: 'file' | 'maxSize' | 'maxFiles' | 'level'; message: string } | undefined {
  if (!opts.file) return { option: 'file', message: 'log file name is empty: give a path such as audio_stream.log' };
  if (parseSize(opts.maxSize) === undefined)
    return { option: 'maxSize', message: `invalid log size "${opts.maxSize}": use bytes or a number with K, M or G, e.g. 500K or 5M` };
  if (!Number.isInteger(opts.maxFiles) || opts.maxFiles < 1 || opts.maxFiles > 1000)
    return { option: 'maxFiles', message: `invalid log file count ${opts.maxFiles}: keep between 1 and 1000 rotated files` };
  if (!isLogLevel(opts.level)) return { option: 'level', message: `invalid log level "${String(opts.level)}": use trace, debug, info, warn or error` };
  return undefined;
}

// Above this many bytes queued for a slow disk, lines are dropped (and counted) rather than
// letting memory grow: logging must never become the thing that stalls the process.
const MAX_QUEUED_BYTES = 8 * 1024 * 1024;
// close() gives up waiting after this long, so a fatal-error path always gets to exit.
const CLOSE_TIMEOUT_MS = 5000;

function makeAppLogger(root: Logger, close: () => Promise<void>): AppLogger {
  const children = new Map<string, Logger>();
  return {
    root,
    child(component) {
      let c = children.get(component);
      if (!c) {
        c = root.child({ component });
        children.set(component, c);
      }
      return c;
    },
    // Children follow the root through their prototype until their own level is set once;
    // setting each keeps them all in step either way.
    setLevel(level) {
      root.level = level;
      for (const c of children.values()) c.level = level;
    },
    close,
  };
}

export function createLogger(opts: LogOptions): AppLogger {
  const problem = checkLogOptions(opts);
  if (problem) throw new LogOptionsError(problem);
  const file = path.resolve(opts.file);
  const sizeBytes = parseSize(opts.maxSize) ?? 0; // checked above
  // The directory must exist, as for every file streamer writes (the commands check it at start).
  const dir = path.dirname(file);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new LogFileError(`cannot write the log file ${file}: directory ${dir} does not exist`);

  // Classical rotation like Python's RotatingFileHandler: file → file.1 → … → file.N.
  const stream: RotatingFileStream = createStream(file, {
    size: `${sizeBytes}B`,
    rotate: opts.maxFiles,
  });
  const err = opts.stderrStream ?? process.stderr;
  const color = colorWanted(process.env) && err.isTTY === true;
  let failed = false;
  let closed = false;
  let dropped = 0;

  const toStderr = (line: string): void => {
    if (opts.stderr === 'json') err.write(line);
    else if (opts.stderr === 'human') {
      const entry = parseLogLine(line);
      err.write(entry ? `${formatHuman(entry, { color })}\n` : line);
    }
  };

  stream.on('error', (e: Error) => {
    if (failed) return;
    failed = true;
    if (opts.onError) opts.onError(e);
    else if (opts.stderr) toStderr(`${JSON.stringify({ level: 50, time: Date.now(), component: 'log', msg: `cannot write ${file}: ${e.message}` })}\n`);
  });

  const written = opts.onWritten ? (e?: Error | null): void => void (e ? undefined : opts.onWritten!()) : undefined;
  const toFile = (line: string): void => {
    if (failed || stream.destroyed) return;
    if (stream.writableLength > MAX_QUEUED_BYTES) {
      dropped++;
      return;
    }
    if (dropped > 0 && stream.writableLength < MAX_QUEUED_BYTES / 2) {
      const note = { level: 40, time: Date.now(), component: 'log', msg: 'log lines dropped: disk too slow', dropped };
      stream.write(`${JSON.stringify(note)}\n`);
      dropped = 0;
    }
    stream.write(line, written);
  };

  // pino calls this synchronously per line; both targets only queue (the file is written
  // asynchronously by rotating-file-stream), so a log call never waits on the disk.
  const destination = {
    write(line: string): void {
      if (closed) return;
      toFile(line);
      if (opts.stderr) toStderr(line);
    },
  };
  const root = pino({ level: opts.level, base: { pid: process.pid } }, destination);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      closed = true;
      if (!stream.destroyed && !stream.writableEnded) stream.end();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_TIMEOUT_MS)));
      try {
        await Promise.race([finished(stream).catch(() => undefined), timeout]);
      } finally {
        clearTimeout(timer);
      }
    })());

  return makeAppLogger(root, close);
}

/** A logger that writes nowhere (tests, or logging turned off). */
export function silentLogger(): AppLogger {
  const root = pino({ level: 'silent' }, { write: () => undefined });
  return makeAppLogger(root, () => Promise.resolve());
}
