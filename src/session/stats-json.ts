import { createWriteStream, openSync, statSync, type WriteStream } from 'node:fs';
import { UserError, describeSystemError } from '../shared/errors.js';
import { withoutGaps } from './receiver-snapshot.js';

/** `--stats-json F|-`: one JSON object a line, the last with "final": true. */
export class StatsJsonWriter {
  private readonly out: NodeJS.WritableStream;
  private closed = false;

  /**
   * Opens the file at once, so a path that cannot be written is the user's error before anything runs.
   * A write that fails later (a full disk, a reader that went away) stops the output, not the stream:
   * `onFail` hears it once, in one line.
   */
  static open(target: string, onFail?: (line: string) => void): StatsJsonWriter {
    if (target === '-') return new StatsJsonWriter(target, process.stdout, onFail);
    // A FIFO opens only once a reader does: never wait for that on the main thread (the session would not start).
    if (isFifo(target)) return new StatsJsonWriter(target, createWriteStream(target), onFail);
    let fd: number;
    try {
      fd = openSync(target, 'w');
    } catch (err) {
      throw new UserError(`--stats-json ${target}: cannot write it (${describeSystemError(err)}) — choose another path`, 1);
    }
    return new StatsJsonWriter(target, createWriteStream(target, { fd }), onFail);
  }

  private constructor(
    private readonly target: string,
    out: NodeJS.WritableStream,
    onFail?: (line: string) => void,
  ) {
    this.out = out;
    (this.out as NodeJS.EventEmitter).on('error', (err: unknown) => {
      // A closed pipe or full disk must not crash the stream; stats are best effort, and say so once.
      if (!this.closed) onFail?.(`--stats-json ${target === '-' ? 'stdout' : target}: stopped writing (${describeSystemError(err)}); the stream goes on`);
      this.closed = true;
    });
  }

  write(snapshot: object, final = false): void {
    if (this.closed) return;
    const rest = withoutGaps(snapshot);
    this.out.write(JSON.stringify(final ? { ...rest, final: true } : rest) + '\n');
  }

  close(): Promise<void> {
    if (this.closed || this.target === '-') return Promise.resolve();
    this.closed = true;
    return new Promise((resolve) => (this.out as WriteStream).end(() => resolve()));
  }
}

function isFifo(path: string): boolean {
  try {
    return statSync(path).isFIFO();
  } catch {
    return false;
  }
}
