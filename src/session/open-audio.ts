// Which audio adapters a session's --source and --sink name: a clockless
// source (tone, WAV file) gets a pacer, a device goes through the PortAudio
// worker.
import { FileSink } from '../audio/sink/file-sink.js';
import { MicSource } from '../audio/source/mic-source.js';
import { NullSink } from '../audio/sink/paced-sink.js';
import type { AudioSink } from '../audio/sink/sink.js';
import type { AudioSource } from '../audio/source/source.js';
import { PacedSource } from '../audio/source/source.js';
import { SpeakerSink } from '../audio/sink/speaker-sink.js';
import { ToneGenerator } from '../audio/source/tone.js';
import { WavReader } from '../audio/wav/wav-reader.js';
import { UserError } from '../shared/errors.js';
import { silentLogger, type AppLogger } from '../logging/logger.js';
import type { SessionConfig } from './config.js';

export function openSource(cfg: SessionConfig, logger: AppLogger = silentLogger()): AudioSource {
  const s = cfg.source;
  const paced = { frameMs: cfg.frameMs, driftPpm: cfg.driftPpm };
  if (s.kind === 'tone') {
    return new PacedSource(cfg.format, `tone ${s.hz} Hz`, new ToneGenerator(cfg.format, s.hz), paced);
  }
  if (s.kind === 'file') {
    let reader: WavReader;
    try {
      reader = WavReader.open(s.path);
    } catch (err) {
      throw new UserError((err as Error).message, 1, 'source-file');
    }
    return new PacedSource(reader.format, `file ${s.path}`, reader, paced);
  }
  return new MicSource(cfg.format, { frameMs: cfg.frameMs, device: cfg.device, log: logger.child('audio') });
}

export function openSink(cfg: SessionConfig, logger: AppLogger = silentLogger()): AudioSink {
  const s = cfg.sink;
  if (s.kind === 'null') return new NullSink(cfg.frameMs);
  if (s.kind === 'file') return new FileSink(s.path, cfg.frameMs);
  return new SpeakerSink({ frameMs: cfg.frameMs, device: cfg.device, log: logger.child('audio') });
}
