import { createWriteStream, type WriteStream } from 'node:fs';
import { withoutGaps } from './receiver-snapshot.js';

/** `--stats-json F|-`: one JSON object a line, the last with "final": true. */
export class StatsJsonWriter {
  private readonly out: NodeJS.WritableStream;
  private closed = false;

  constructor(private readonly target: string) {
    this.out = target === '-' ? process.stdout : createWriteStream(target, { flags: 'w' });
    (this.out as NodeJS.EventEmitter).on('error', () => {
      // A closed pipe or full disk must not crash the stream; stats are best effort.
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
