// Follows the current log file by polling (fs.watch misses renames on some systems) and
// keeps the last entries for the dashboard's log pane. No React here.
//
// Classical rotation (file → file.1 → file.2 …) shows as a new device/inode at the path; a
// file truncated in place, as its size shrinking. On rotation the tail finds the file it was
// reading among file.1, file.2, …, finishes it, reads every newer rotated file whole, then the
// new current file: nothing lost or repeated even with several rotations between two polls.
// Not recoverable: lines in a file deleted because more than maxFiles rotations happened
// between two polls (the tail then restarts at the current file), and lines of files created
// and rotated away before the tail first saw the log.
import { EventEmitter } from 'node:events';
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { parseLogLine, type LogEntry } from './log-line.js';

// Not birth time: where the kernel lacks it, Node reports ctime, which a rename changes.
interface Identity {
  dev: number;
  ino: number;
}
interface OpenFile {
  fh: FileHandle;
  id: Identity;
  size: number;
}

const CHUNK_BYTES = 64 * 1024;
// A "line" longer than this is not one of ours: drop it rather than grow without bound.
const MAX_FRAGMENT_BYTES = 1024 * 1024;
// On start, an existing file is read from this far before its end (enough for `keep` lines).
const INITIAL_WINDOW_BYTES = 256 * 1024;
const MAX_ROTATED_SCAN = 64;
const EMPTY = Buffer.alloc(0);

const sameFile = (a: Identity | undefined, b: Identity | undefined): boolean =>
  a !== undefined && b !== undefined && a.dev === b.dev && a.ino === b.ino;

function isNotFound(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'ENOENT';
}

async function openIfExists(file: string): Promise<OpenFile | undefined> {
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
  try {
    const st = await fh.stat();
    return { fh, id: { dev: st.dev, ino: st.ino }, size: st.size };
  } catch (e) {
    await fh.close();
    throw e;
  }
}

export class LogTail extends EventEmitter<{ line: [LogEntry]; error: [Error] }> {
  private readonly file: string;
  private readonly keep: number;
  private readonly pollMs: number;
  private entries: LogEntry[] = [];
  /** The file we last read from, and how far. */
  private current: Identity | undefined;
  private offset = 0;
  /** Bytes after the last newline, kept until the rest of the line arrives. */
  private fragment: Buffer = EMPTY;
  private skipToNewline = false;
  private firstPoll = true;
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private queue: Promise<void> = Promise.resolve();
  private lastError: string | undefined;
  // stop() bumps the epoch; a poll already under way then stops at its next read and emits
  // nothing more, so no 'line' arrives after stop() (a hook's cleanup can rely on that).
  private epoch = 0;
  private pollEpoch = 0;

  constructor(opts: { file: string; keep?: number; pollMs?: number }) {
    super();
    this.file = path.resolve(opts.file);
    this.keep = Math.max(1, opts.keep ?? 200);
    this.pollMs = Math.max(10, opts.pollMs ?? 250);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  stop(): void {
    this.epoch++;
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The last `keep` entries, oldest first (a copy). */
  lines(): readonly LogEntry[] {
    return this.entries.slice();
  }

  /** Reads whatever is new now. The timer calls this; polls never overlap and never reject. */
  poll(): Promise<void> {
    this.queue = this.queue.then(() => this.pollOnce().then(() => (this.lastError = undefined), (e: unknown) => this.report(e)));
    return this.queue;
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.poll().then(() => {
        if (this.running && !this.timer) this.schedule(this.pollMs);
      });
    }, ms);
    this.timer.unref();
  }

  // Reported once per distinct problem, and only if someone listens: an unheard 'error'
  // event would throw from a timer and take the whole process down with it.
  private report(e: unknown): void {
    const err = e instanceof Error ? e : new Error(String(e));
    if (err.message === this.lastError) return;
    this.lastError = err.message;
    if (this.listenerCount('error') > 0) this.emit('error', err);
  }

  private async pollOnce(): Promise<void> {
    const opened: OpenFile[] = [];
    this.pollEpoch = this.epoch;
    try {
      const cur = await openIfExists(this.file);
      if (cur) opened.push(cur);
      const first = this.firstPoll;
      this.firstPoll = false;
      if (cur && this.current === undefined) {
        // An existing file at start: show its recent past, not all of it.
        const from = first ? Math.max(0, cur.size - INITIAL_WINDOW_BYTES) : 0;
        this.skipToNewline = from > 0;
        await this.readFrom(cur, from);
      } else if (cur && sameFile(cur.id, this.current)) {
        if (cur.size < this.offset) this.restartAtZero(); // truncated in place
        await this.readFrom(cur, this.offset);
      } else if (this.current) {
        await this.followRotation(cur, opened);
      }
    } finally {
      await Promise.all(opened.map((o) => o.fh.close().catch(() => undefined)));
    }
  }

  /** `cur` is a new file (or none yet, between the rename and the re-creation). */
  private async followRotation(cur: OpenFile | undefined, opened: OpenFile[]): Promise<void> {
    const newer: OpenFile[] = []; // rotated files newer than ours, newest first
    let ours: OpenFile | undefined;
    let misses = 0;
    // Rotation renames from the oldest down, so one index may be briefly missing: stop at two.
    for (let k = 1; k <= MAX_ROTATED_SCAN && misses < 2; k++) {
      const f = await openIfExists(`${this.file}.${k}`);
      if (!f) {
        misses++;
        continue;
      }
      misses = 0;
      opened.push(f);
      // A rename during the scan can show the same file twice: keep the first sighting.
      if (sameFile(f.id, cur?.id) || newer.some((n) => sameFile(n.id, f.id))) continue;
      if (sameFile(f.id, this.current)) {
        ours = f;
        break;
      }
      newer.push(f);
    }
    if (ours) {
      // Each file is finished before the next one starts; an interrupted poll resumes from
      // `current`/`offset`, which readFrom keeps exact.
      if (!(await this.readFrom(ours, this.offset))) return;
      this.flushFragment();
      for (const f of newer.reverse()) {
        if (!(await this.readFrom(f, 0))) return;
        this.flushFragment();
      }
    } else if (cur) {
      this.restartAtZero(); // our file is gone: nothing left to finish
    } else {
      return; // file missing and ours not found either: wait for the next poll
    }
    if (cur) await this.readFrom(cur, 0);
  }

  private restartAtZero(): void {
    this.offset = 0;
    this.fragment = EMPTY;
    this.skipToNewline = false;
  }

  /** Reads `f` from `from` to its end; false if stop() interrupted it. */
  private async readFrom(f: OpenFile, from: number): Promise<boolean> {
    const buf = Buffer.allocUnsafe(CHUNK_BYTES);
    this.current = f.id;
    this.offset = from;
    while (this.pollEpoch === this.epoch) {
      const { bytesRead } = await f.fh.read(buf, 0, CHUNK_BYTES, this.offset);
      if (bytesRead === 0) return true;
      this.offset += bytesRead;
      this.consume(buf.subarray(0, bytesRead));
    }
    return false;
  }

  private consume(chunk: Buffer): void {
    let start = 0;
    let nl = chunk.indexOf(10);
    if (this.skipToNewline) {
      if (nl < 0) return;
      this.skipToNewline = false;
      start = nl + 1;
      nl = chunk.indexOf(10, start);
    }
    while (nl >= 0) {
      const piece = chunk.subarray(start, nl);
      const line = this.fragment.length > 0 ? Buffer.concat([this.fragment, piece]) : piece;
      this.fragment = EMPTY;
      this.take(line.toString('utf8'));
      start = nl + 1;
      nl = chunk.indexOf(10, start);
    }
    if (start < chunk.length) {
      const rest = Buffer.from(chunk.subarray(start)); // copy: the read buffer is reused
      this.fragment = this.fragment.length > 0 ? Buffer.concat([this.fragment, rest]) : rest;
      if (this.fragment.length > MAX_FRAGMENT_BYTES) {
        this.fragment = EMPTY;
        this.skipToNewline = true;
      }
    }
  }

  /** A rotated file is complete: an unterminated last line is as whole as it will get. */
  private flushFragment(): void {
    if (this.fragment.length > 0) this.take(this.fragment.toString('utf8'));
    this.fragment = EMPTY;
    this.skipToNewline = false;
  }

  private take(text: string): void {
    const entry = parseLogLine(text);
    if (!entry) return;
    this.entries.push(entry);
    if (this.entries.length > this.keep) this.entries.shift();
    if (this.pollEpoch === this.epoch) this.emit('line', entry);
  }
}
