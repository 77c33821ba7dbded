import { buildConfig, openLogger, type RawArgs } from './cli-config.js';
import { ReceiveSession, SendSession } from './session.js';
import type { Snapshot } from './session.js';
import { runHeadless } from './headless.js';
import type { SessionConfig } from './session-config.js';

/**
 * Sender and receiver in one process over loopback. Until audio devices are
 * supported it always plays a test tone into the null sink, and shows the
 * receiver's numbers once a second on stderr.
 */
export async function runDemo(a: RawArgs): Promise<void> {
  const base = buildConfig(a, 'demo');
  const cfg: SessionConfig = {
    ...base,
    host: '127.0.0.1',
    bind: '127.0.0.1',
    source: base.source.kind === 'mic' ? { kind: 'tone', hz: 440 } : base.source,
    sink: base.sink.kind === 'speaker' ? { kind: 'null' } : base.sink,
  };
  const logger = openLogger({ ...cfg.log, stderr: 'human' });
  const sender = new SendSession(cfg, logger);
  const receiver = new ReceiveSession(cfg, logger);
  receiver.on('stats', (s: Snapshot) => {
    if (s.role !== 'receiver') return;
    process.stderr.write(
      `demo: ${s.received} packets, lost ${s.lost} (${s.lossPercent}%), jitter ${s.jitterMs} ms, ` +
        `buffer ${s.bufferMs} ms, level ${s.peakDbfs} dBFS peak — Ctrl-C to stop\n`,
    );
  });
  let code = 1;
  try {
    code = await runHeadless(receiver, cfg, logger, () => sender.start());
  } finally {
    await sender.stop();
    await logger.close();
  }
  process.exitCode = code;
}
