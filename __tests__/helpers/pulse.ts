// A private PulseAudio per test: two null sinks, `spk` (the default output)
// and `mic` (whose monitor is the default input), reachable only through a
// socket in a temp dir, and an ALSA config that routes PortAudio's ALSA
// devices to it. Everything is passed by env to the processes a test spawns;
// nothing touches the user's own sound setup.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ToneGenerator } from '../../src/audio/source/tone.js';
import { sleep, tmpDir } from './cli.js';

export interface Capture {
  /** Stops recording and returns what was captured (s16le at the given format). */
  stop(): Promise<Int16Array>;
}

export interface VirtualSound {
  dir: string;
  /** PULSE_SERVER and ALSA_CONFIG_PATH, for every process that should see the virtual devices. */
  env: NodeJS.ProcessEnv;
  /** Plays a tone into the `mic` sink, so the default input hears it. */
  playTone(hz: number, seconds: number, rate?: number, latencyMs?: number): ChildProcess;
  /** Records a sink's monitor (e.g. 'spk'). */
  record(sink: string, rate?: number, channels?: number): Capture;
  /** Suspends a sink (true) or resumes it: a stream on it then takes nothing, like a sound server slow to start one. */
  suspend(sink: string, on: boolean): void;
  /** Runs pactl against it; its stdout (throws on failure). */
  pactl(args: string[]): string;
  /** SIGKILLs the server (a sound server crashing). */
  kill(): Promise<void>;
  /** Starts the server again on the same socket. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const ASOUND = `pcm.!default { type pulse }
ctl.!default { type pulse }
pcm.spk { type pulse; device spk; hint { show on; description "virtual speaker" } }
pcm.mic { type pulse; device mic.monitor; hint { show on; description "virtual microphone" } }
`;

/** `prefix` runs the server inside something, e.g. `ip netns exec NS` (its unix socket is reachable from outside). */
export async function startPulse(opts: { prefix?: readonly string[] } = {}): Promise<VirtualSound> {
  const dir = tmpDir();
  for (const d of ['home', 'runtime', 'config']) mkdirSync(join(dir, d), { mode: 0o700 });
  const socket = join(dir, 'native');
  writeFileSync(join(dir, 'asound.conf'), ASOUND);
  writeFileSync(
    join(dir, 'default.pa'),
    [
      `load-module module-native-protocol-unix socket=${socket} auth-anonymous=1`,
      'load-module module-null-sink sink_name=spk',
      'load-module module-null-sink sink_name=mic',
      'set-default-sink spk',
      'set-default-source mic.monitor',
      '',
    ].join('\n'),
  );
  const env: NodeJS.ProcessEnv = { PULSE_SERVER: `unix:${socket}`, ALSA_CONFIG_PATH: join(dir, 'asound.conf') };
  // Its own HOME and runtime dir: running as root, pulseaudio wants both, and they must not be ours.
  const serverEnv = { ...process.env, HOME: join(dir, 'home'), XDG_RUNTIME_DIR: join(dir, 'runtime'), XDG_CONFIG_HOME: join(dir, 'config') };
  const clientEnv = { ...process.env, ...env, HOME: join(dir, 'home'), XDG_RUNTIME_DIR: join(dir, 'runtime') };
  const helpers = new Set<ChildProcess>();
  let server: ChildProcess | undefined;
  let serverLog = '';

  const launch = async (): Promise<void> => {
    const argv = [
      ...(opts.prefix ?? []),
      'pulseaudio',
      ...['-n', '-F', join(dir, 'default.pa'), '--daemonize=no', '--exit-idle-time=-1', '--system=false', '--use-pid-file=no', '--log-target=stderr'],
    ];
    server = spawn(argv[0]!, argv.slice(1), { env: serverEnv, stdio: ['ignore', 'ignore', 'pipe'] });
    server.stderr!.on('data', (d: Buffer) => (serverLog = (serverLog + d.toString()).slice(-4000)));
    for (let i = 0; i < 100; i++) {
      if (server.exitCode !== null) break;
      if (spawnSync('pactl', ['info'], { env: clientEnv, stdio: 'ignore' }).status === 0) break;
      await sleep(100);
    }
    if (spawnSync('pactl', ['info'], { env: clientEnv, stdio: 'ignore' }).status !== 0) {
      throw new Error(`private pulseaudio did not start:\n${serverLog}`);
    }
    // A monitor nobody reads starts late (up to 2 s): keep both warm.
    for (const sink of ['spk', 'mic']) helper(spawn('parec', ['--latency-msec=10', '-d', `${sink}.monitor`], { env: clientEnv, stdio: ['ignore', 'ignore', 'ignore'] }));
  };
  const helper = (c: ChildProcess): ChildProcess => {
    helpers.add(c);
    c.on('exit', () => helpers.delete(c));
    c.on('error', () => undefined);
    return c;
  };
  const killServer = async (): Promise<void> => {
    const s = server;
    server = undefined;
    if (!s || s.exitCode !== null || s.signalCode !== null) return;
    const gone = new Promise((r) => s.once('exit', r));
    s.kill('SIGKILL');
    await gone;
  };

  await launch();
  return {
    dir,
    env,
    playTone(hz, seconds, rate = 44100, latencyMs = 20) {
      const pcm = new ToneGenerator({ rate, channels: 1 }, hz, 0.5).read(Math.round(rate * seconds));
      const c = helper(
        spawn('pacat', ['--raw', '--format=s16le', `--rate=${rate}`, '--channels=1', `--latency-msec=${latencyMs}`, '-d', 'mic'], {
          env: clientEnv,
          stdio: ['pipe', 'ignore', 'ignore'],
        }),
      );
      c.stdin!.on('error', () => undefined); // the server may be killed under it
      c.stdin!.end(Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength));
      return c;
    },
    record(sink, rate = 44100, channels = 1) {
      const c = helper(
        spawn('parec', ['--raw', '--format=s16le', `--rate=${rate}`, `--channels=${channels}`, '--latency-msec=10', '-d', `${sink}.monitor`], {
          env: clientEnv,
          stdio: ['ignore', 'pipe', 'ignore'],
        }),
      );
      const chunks: Buffer[] = [];
      c.stdout!.on('data', (d: Buffer) => chunks.push(d));
      const ended = new Promise((r) => c.once('exit', r));
      return {
        async stop() {
          c.kill('SIGTERM');
          await ended;
          const all = Buffer.concat(chunks);
          const out = new Int16Array(all.length >> 1);
          new Uint8Array(out.buffer).set(all.subarray(0, out.length * 2));
          return out;
        },
      };
    },
    pactl(args) {
      const r = spawnSync('pactl', args, { env: clientEnv, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`pactl ${args.join(' ')}: ${r.stderr}`);
      return r.stdout;
    },
    suspend(sink, on) {
      const r = spawnSync('pactl', ['suspend-sink', sink, on ? '1' : '0'], { env: clientEnv, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`pactl suspend-sink ${sink}: ${r.stderr}`);
    },
    kill: killServer,
    restart: launch,
    async stop() {
      for (const c of helpers) c.kill('SIGKILL');
      await killServer();
    },
  };
}
