// Which audio adapters a session's --source and --sink name: a clockless
// source (tone, WAV file) gets a pacer, a device goes through the PortAudio
// worker.
import { FileSink } from '../audio/sink/file-sink.js';
import { DEVICE_CHUNK_MS, MicSource } from '../audio/source/mic-source.js';
import { NullSink } from '../audio/sink/paced-sink.js';
import type { AudioSink } from '../audio/sink/sink.js';
import type { AudioSource } from '../audio/source/source.js';
import { PacedSource } from '../audio/source/source.js';
import { SpeakerSink } from '../audio/sink/speaker-sink.js';
import { ToneGenerator } from '../audio/source/tone.js';
import { WavReadError, WavReader } from '../audio/wav/wav-reader.js';
import { ConvertingReader } from '../audio/source/converting-reader.js';
import { isDynamic, payloadTypeFor } from '../net/rtp/payload-types.js';
import { describeFormat, formatEquals } from '../shared/audio-format.js';
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
      throw new UserError((err as Error).message, 1, err instanceof WavReadError && err.kind === 'format' ? 'wav-format' : 'source-file');
    }
    return fileSource(cfg, s.path, reader, logger);
  }
  return new MicSource(cfg.format, { frameMs: cfg.frameMs, device: cfg.device, log: logger.child('audio') });
}

/**
 * How often a sink pulls: its own period, not the sender's --frame-ms (a
 * receiver does not know it, and 2.5 ms packets must not mean 400 pulls a
 * second). The device's chunk for the speaker, 10 ms for the clockless sinks.
 */
export const SINK_PULL_MS = DEVICE_CHUNK_MS;

/**
 * How often a sink without a device clock (null, file) wakes on the batch
 * receive path, until the packet rate is known (then see clockless-wake.ts):
 * its SINK_PULL_MS pulls are made in turn at each wake-up, each as of its own
 * due time with the datagrams that had arrived by then (kernel timestamps),
 * so playout and every statistic come out as if pulled on time, for a
 * fraction of the wake-ups (BENCHMARKS.md "Receive CPU").
 */
export const CLOCKLESS_WAKE_MS = 4 * SINK_PULL_MS;

export function openSink(cfg: SessionConfig, logger: AppLogger = silentLogger()): AudioSink {
  const s = cfg.sink;
  if (s.kind === 'null') return new NullSink(SINK_PULL_MS);
  if (s.kind === 'file') return new FileSink(s.path, SINK_PULL_MS);
  return new SpeakerSink({ frameMs: SINK_PULL_MS, device: cfg.device, log: logger.child('audio') });
}

/**
 * A WAV file plays at the stream's --rate/--channels when they were given
 * (converted), else at its own format; a format no static payload type
 * names is then said out loud, because a receiver at its defaults would
 * play it at the wrong speed.
 */
function fileSource(cfg: SessionConfig, path: string, reader: WavReader, logger: AppLogger): AudioSource {
  const paced = { frameMs: cfg.frameMs, driftPpm: cfg.driftPpm };
  const file = reader.format;
  const log = logger.child('audio');
  if (cfg.formatGiven && !formatEquals(file, cfg.format)) {
    log.info({ file: describeFormat(file), stream: describeFormat(cfg.format) }, `file ${path} is ${describeFormat(file)}: converting it to ${describeFormat(cfg.format)}`);
    return new PacedSource(cfg.format, `file ${path}`, new ConvertingReader(reader, file, cfg.format), paced);
  }
  if (!cfg.formatGiven && isDynamic(payloadTypeFor(file))) {
    log.warn(
      { file: describeFormat(file) },
      `file ${path} is ${describeFormat(file)}: sent as it is, so the receiver needs --rate ${file.rate} --channels ${file.channels} ` +
        `(or the SDP of \`streamer sdp --source file:${path}\`); give --rate/--channels here to convert it instead`,
    );
  }
  return new PacedSource(file, `file ${path}`, reader, paced);
}
