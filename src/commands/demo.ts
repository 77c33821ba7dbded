import { buildConfig, openLogger, type RawArgs } from './build-config.js';
import { ReceiveSession, SendSession } from '../session/session.js';
import type { Snapshot } from '../session/session.js';
import { runHeadless } from './headless.js';
import type { SessionConfig } from '../session/config.js';
import { defaultDevices } from './devices.js';
import { dashboardWanted } from './dashboard-wanted.js';
import { checkStart } from './start-checks.js';
import { loopbackPort } from '../net/transport/loopback-port.js';
import { pairDemo } from '../session/demo-pair.js';
import { memoryReducerHeld } from '../session/gc-tuning.js';
import { senderFormat } from './sdp.js';

/** The demo's port when neither --port nor STREAMER_PORT names one (then a taken one is not fatal). */
const DEMO_PORT = 12345;

/**
 * Sender and receiver in one process over loopback, on the default devices
 * when they exist and on a test tone and the null sink when they do not, so
 * it shows the product on any machine. On a terminal the receiver's dashboard
 * shows it; otherwise its numbers go to stderr once a second. Without --port
 * it takes another free loopback port when 12345 is taken.
 */
export async function runDemo(a: RawArgs): Promise<void> {
  // The demo's --port has no yargs default, so undefined means the user named none.
  const named = a.port as number | undefined;
  const base = buildConfig({ ...a, port: named ?? DEMO_PORT }, 'demo');
  checkStart(base, 'demo');
  const port = named === undefined ? await loopbackPort(base.protocol, DEMO_PORT) : base.port;
  const wantsDevice = base.source.kind === 'mic' || base.sink.kind === 'speaker';
  const found = wantsDevice ? await defaultDevices(base.device) : { input: false, output: false };
  const cfg: SessionConfig = {
    ...base,
    port,
    host: '127.0.0.1',
    bind: '127.0.0.1',
    source: base.source.kind === 'mic' && !found.input ? { kind: 'tone', hz: 440 } : base.source,
    sink: base.sink.kind === 'speaker' && !found.output ? { kind: 'null' } : base.sink,
    // A WAV file is sent at its own format unless --rate/--channels convert it: the receiver listens for that format.
    format: senderFormat(base),
  };
  if (dashboardWanted(cfg)) {
    const { runDashboard } = await import('../ui/run-dashboard.js'); // React loads only for a dashboard
    process.exitCode = await runDashboard('demo', cfg, { note: demoLine(base, cfg) });
    return;
  }
  const logger = openLogger({ ...cfg.log, stderr: 'human' });
  logger.child('app').info({ source: cfg.source, sink: cfg.sink, memoryReducerHeld: memoryReducerHeld() }, demoLine(base, cfg));
  const sender = new SendSession(cfg, logger, { replay: false });
  const receiver = new ReceiveSession(cfg, logger, { replay: false });
  pairDemo(sender, receiver);
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

function demoLine(asked: SessionConfig, cfg: SessionConfig): string {
  const src = cfg.source.kind === 'mic' ? 'microphone' : cfg.source.kind === 'tone' ? `${cfg.source.hz} Hz test tone` : cfg.source.path;
  const dst = cfg.sink.kind === 'speaker' ? 'speaker' : cfg.sink.kind === 'null' ? 'null sink' : cfg.sink.path;
  const notes: string[] = [];
  if (asked.source.kind === 'mic' && cfg.source.kind !== 'mic') notes.push('no input device');
  if (asked.sink.kind === 'speaker' && cfg.sink.kind !== 'speaker') notes.push('no output device');
  if (cfg.source.kind === 'mic' && cfg.sink.kind === 'speaker') notes.push('use headphones: a speaker near the microphone howls');
  const moved = cfg.port !== asked.port ? ` (${asked.port} is taken)` : '';
  return `demo: ${src} → ${dst} over loopback${notes.length ? ` (${notes.join('; ')})` : ''} on ${cfg.protocol.toUpperCase()} port ${cfg.port}${moved}`;
}
