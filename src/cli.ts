import yargs, { type Argv } from 'yargs';
import type { LogLevel } from './logging/log-line.js';
import { UserError } from './shared/errors.js';
import { userLine } from './commands/remedy.js';
import { buildConfig, type RawArgs } from './commands/build-config.js';
import { runRole } from './commands/send-receive.js';
import { numberOrText, strayEnvKeys, unknownArgumentsMessage } from './commands/options.js';
import { runDemo } from './commands/demo.js';
import { runDevices } from './commands/devices.js';
import { describeStream, playCommands } from './net/sdp.js';
import { sdpText } from './commands/sdp.js';

const EPILOG = `Every option can also be set by an environment variable: STREAMER_PORT=5004, STREAMER_PROTOCOL=tcp, …
Exit codes: 0 normal end, 1 runtime failure (device, socket, disk), 2 bad usage.
${interopHelp()}`;

/** One-line commands that play a stream, or send one, with ffmpeg and GStreamer. */
function interopHelp(): string {
  const play = playCommands(describeStream({ host: '127.0.0.1', port: 5004, protocol: 'udp', format: { rate: 44100, channels: 1 } }));
  return [
    'Play a stream in other tools (the SDP takes the same flags as send):',
    `  streamer sdp --port 5004 > stream.sdp && ${play.ffplay}`,
    // Continuation lines, so the help's wrapping cannot break the command.
    `  ${(play.gstreamer ?? '').replace(' caps=', ' \\\n    caps=').replace('" ! ', '" \\\n    ! ')}`,
    'Receive a stream from ffmpeg:',
    '  ffmpeg -re -i in.wav -ar 44100 -ac 1 -c:a pcm_s16be -f rtp rtp://HOST:12345',
  ].join('\n');
}

/**
 * Numeric options are read as text and made numbers here, so a bad value
 * reaches src/commands/options.ts as typed (`--port abc`, not NaN). requiresArg: a bare
 * `--port` is an error, not `true` (nor silently the default).
 */
const NUMBER = { requiresArg: true, coerce: numberOrText } as const;

function commonOptions(y: Argv): Argv<RawArgs> {
  return y
    .option('protocol', { choices: ['udp', 'tcp'] as const, default: 'udp', describe: 'transport' , group: 'Network:'})
    .option('host', { type: 'string', default: '127.0.0.1', describe: 'sender: where to send (a multicast group, 224–239.x, sends multicast)', group: 'Network:' })
    .option('bind', { type: 'string', default: '0.0.0.0', describe: 'receiver: address to listen on (a multicast group joins it)', group: 'Network:' })
    .option('ttl', { ...NUMBER, default: 1, describe: 'multicast: hop limit (1: this network only)', group: 'Network:' })
    .option('iface', { type: 'string', requiresArg: true, describe: 'multicast: address of the interface to send from / join on (default: the system\'s choice)', group: 'Network:' })
    .option('sap', { type: 'string', describe: 'sender: announce the stream by SAP, named NAME (optional); receiver: play the announced stream (the first, or the first whose name contains NAME)', group: 'Network:' })
    .option('port', { ...NUMBER, default: 12345, describe: 'UDP/TCP port', group: 'Network:' })
    .option('rtcp-mux', { type: 'boolean', default: false, describe: 'RTCP on the RTP port (RFC 5761) instead of port + 1', group: 'Network:' })
    // No yargs default: a WAV source is converted to --rate/--channels only when they are given.
    .option('rate', { ...NUMBER, defaultDescription: '44100', describe: 'sample rate, 8000–96000 Hz (a WAV source: its own unless given)', group: 'Audio:' })
    .option('channels', { ...NUMBER, defaultDescription: '1', describe: '1 or 2 (a WAV source: its own unless given)', group: 'Audio:' })
    .option('frame-ms', { alias: 'size', ...NUMBER, defaultDescription: '10 (Opus: 20)', describe: 'audio per packet: 2.5, 5, 10, 20, 40 … 150 (Opus: 10/20/40/60; L24 also 1)', group: 'Audio:' })
    .option('codec', { type: 'string', defaultDescription: 'l16', describe: 'payload: l16 | l24 (RFC 3190) | opus (RFC 7587, 48 kHz)', group: 'Audio:' })
    .option('bitrate', { ...NUMBER, defaultDescription: '64 mono, 96 stereo', describe: 'Opus: target bitrate in kbit/s', group: 'Audio:' })
    .option('fec', { type: 'boolean', defaultDescription: 'on', describe: 'Opus: in-band FEC (the receiver rebuilds a lost packet from the next); --no-fec turns it off', group: 'Audio:' })
    .option('source', { type: 'string', default: 'mic', describe: 'sender input: mic | tone[:HZ] | file:PATH.wav', group: 'Audio:' })
    .option('sink', { type: 'string', default: 'speaker', describe: 'receiver output: speaker | null | file:PATH.wav', group: 'Audio:' })
    .option('device', { ...NUMBER, describe: 'PortAudio device id (see `streamer devices`)', group: 'Audio:' })
    .option('jitter-ms', { type: 'string', default: '40', describe: 'receiver playout delay in ms, or auto: follow the link\'s jitter (clock drift is compensated either way)', group: 'Audio:' })
    .option('jitter-min-ms', { ...NUMBER, default: 5, describe: 'lower bound for --jitter-ms auto', group: 'Audio:' })
    .option('jitter-max-ms', { ...NUMBER, default: 500, describe: 'upper bound for --jitter-ms auto', group: 'Audio:' })
    .option('record', { type: 'string', describe: 'record from the start (optional PATH)', group: 'Recording:' })
    .option('record-dir', { type: 'string', default: 'Recording', describe: 'where recordings go', group: 'Recording:' })
    .option('duration', { ...NUMBER, describe: 'stop (and end the recording) after S seconds', group: 'Recording:' })
    .option('key', { type: 'string', describe: 'SRTP master key+salt, base64 of 30 bytes', group: 'Security:' })
    .option('key-file', { type: 'string', describe: 'file holding the --key', group: 'Security:' })
    .option('sdp', { type: 'string', describe: 'receiver: take the stream format (and key) from an SDP file', group: 'Security:' })
    .option('log-file', { type: 'string', default: 'audio_stream.log', describe: 'rotating log file', group: 'Log:' })
    .option('log-max-size', { type: 'string', default: '5M', describe: 'rotate at this size (500K, 5M, …)', group: 'Log:' })
    .option('log-max-files', { ...NUMBER, default: 3, describe: 'rotated files kept', group: 'Log:' })
    .option('log-level', { choices: ['trace', 'debug', 'info', 'warn', 'error'] as const, default: 'info', group: 'Log:' })
    .option('headless', { type: 'boolean', default: false, describe: 'no dashboard: log lines on stderr', group: 'Output:' })
    // requiresArg: yargs then takes a lone `-` (stdout) as the value instead of a stray positional.
    .option('stats-json', { type: 'string', requiresArg: true, describe: 'one JSON stats object per second to F (or - for stdout)', group: 'Output:' })
    .option('sim-loss', { ...NUMBER, default: 0, describe: 'sender: drop P % of packets on purpose', group: 'Simulation:' })
    .option('sim-jitter', { ...NUMBER, default: 0, describe: 'sender: delay packets randomly by up to MS', group: 'Simulation:' })
    .option('sim-reorder', { ...NUMBER, default: 0, describe: 'sender: swap P % of packets with the next', group: 'Simulation:' })
    .option('sim-dup', { ...NUMBER, default: 0, describe: 'sender: send P % of packets twice', group: 'Simulation:' })
    .option('sim-seed', { ...NUMBER, describe: 'sender: seed the --sim-* dice (the same losses on every run)', group: 'Simulation:' })
    .option('sim-drift-ppm', { ...NUMBER, default: 0, describe: 'sender: run the clock N ppm fast (or slow)', group: 'Simulation:' })
    // Internal (tests): how long a TCP peer may go without a whole packet before it is dropped.
    .option('tcp-idle-ms', { ...NUMBER, hidden: true }) as unknown as Argv<RawArgs>;
}

/** Every name (and alias) of the running command's options; yargs has it, its typings do not. */
function knownOptions(y: Argv): string[] {
  const o = (y as unknown as { getOptions(): { key: Record<string, unknown>; alias: Record<string, string[]> } }).getOptions();
  return [...Object.keys(o.key), ...Object.keys(o.alias), ...Object.values(o.alias).flat()];
}

export async function main(argv: string[]): Promise<void> {
  const parser = yargs(argv)
    .scriptName('streamer')
    .usage('streamer <command> [options]\n\nReal-time audio over RTP (UDP or TCP), with a live dashboard.')
    .command('send', 'capture and stream (dashboard on a TTY, headless otherwise)', commonOptions, (a) => runRole('send', a as RawArgs))
    .command('receive', 'receive and play (dashboard on a TTY, headless otherwise)', commonOptions, (a) => runRole('receive', a as RawArgs))
    .command(
      'demo',
      'sender and receiver in one process over loopback',
      // No default port: without one the demo may move off a taken 12345, a named port it may not.
      (y) => commonOptions(y).option('port', { ...NUMBER, default: undefined, describe: 'UDP/TCP port (default 12345, or a free one when that is taken)', group: 'Network:' }),
      (a) => runDemo(a as RawArgs),
    )
    .command(
      'devices',
      'list audio devices (id, name, in/out channels, default rate; * marks the defaults)',
      (y) =>
        y
          .option('json', { type: 'boolean', default: false, describe: 'print the list as JSON' })
          // PortAudio's and ALSA's own output goes to the log at debug: `streamer devices --log-level debug` shows why a device is missing.
          .option('log-file', { type: 'string', default: 'audio_stream.log', describe: 'log file (PortAudio and ALSA messages at debug)' })
          .option('log-level', { choices: ['trace', 'debug', 'info', 'warn', 'error'] as const, default: 'info' }),
      (a) => runDevices({ json: a.json, logFile: a.logFile, logLevel: a.logLevel as LogLevel }),
    )
    .command(
      'streams',
      'list the streams announced on the LAN (SAP, 224.0.0.56:9875)',
      (y) =>
        y
          .option('seconds', { ...NUMBER, default: 6, describe: 'listen this long, then print the list' })
          .option('json', { type: 'boolean', default: false, describe: 'print the list as JSON' })
          .option('iface', { type: 'string', requiresArg: true, describe: 'address of the interface to listen on (default: the system\'s choice)' })
          .option('log-file', { type: 'string', default: 'audio_stream.log', describe: 'log file' })
          .option('log-level', { choices: ['trace', 'debug', 'info', 'warn', 'error'] as const, default: 'info' }),
      async (a) => {
        const { runStreams } = await import('./commands/streams.js');
        await runStreams({ seconds: a.seconds, json: a.json, iface: a.iface, logFile: a.logFile, logLevel: a.logLevel as LogLevel });
      },
    )
    .command('sdp', 'print the SDP that describes the stream (for ffplay / VLC / GStreamer)', commonOptions, (a) => {
      process.stdout.write(sdpText(buildConfig(a as RawArgs, 'send')));
    })
    .command(
      'tui',
      'full-screen dashboard; a launch screen asks what the flags do not say',
      (y) => commonOptions(y).option('mode', { choices: ['send', 'receive'] as const, describe: 'skip the launch screen: be the sender or the receiver' }),
      async (a) => {
        const { runTui } = await import('./commands/tui.js');
        await runTui(a as Parameters<typeof runTui>[0], runRole);
      },
    )
    .demandCommand(1, 'Say which command: send, receive, demo, devices, sdp, streams or tui.')
    // Before .strict() looks: a STREAMER_* variable that names no option of this command is ignored.
    .middleware((parsed) => {
      const bag = parsed as Record<string, unknown>;
      for (const k of strayEnvKeys(Object.keys(bag), knownOptions(parser), argv, Object.keys(process.env))) delete bag[k];
    }, true)
    .env('STREAMER')
    .strict()
    .help()
    .alias('h', 'help')
    .version()
    .epilog(EPILOG)
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      // yargs' own errors (e.g. "Not enough arguments following: port") are bad usage too.
      if (err?.name === 'YError') throw new UserError(err.message, 2);
      throw err ?? new UserError(unknownArgumentsMessage(msg), 2);
    });
  try {
    await parser.parseAsync();
  } catch (err) {
    if (err instanceof UserError) {
      process.stderr.write(`streamer: ${userLine(err)}\n`);
      if (err.exitCode === 2) process.stderr.write('Run `streamer --help` for the options.\n');
      process.exitCode = err.exitCode;
      return;
    }
    // A bug, not the user's doing: one line here, the stack only when asked for.
    process.stderr.write(`streamer: unexpected failure: ${(err as Error)?.message ?? String(err)}\n`);
    if (process.env.STREAMER_DEBUG) process.stderr.write(`${(err as Error)?.stack}\n`);
    process.exitCode = 1;
  }
}
