import { EventEmitter } from 'node:events';
import type { AudioFormat } from '../../src/shared/audio-format.js';
import type { AudioSink, Pull } from '../../src/audio/sink/sink.js';

/** A sink that never pulls: the Receiver under test runs on packets alone. */
export class QuietSink extends EventEmitter<{ error: [Error] }> implements AudioSink {
  readonly device = undefined;
  readonly underruns = 0;
  constructor(readonly description = 'test') {
    super();
  }
  async start(_f: AudioFormat, _pull: Pull): Promise<void> {}
  async stop(): Promise<void> {}
}
