// Pure parsing and validation of the command line into a session config.
// Every failure is a one-line message the CLI prints with exit code 2.
import { isIP } from 'node:net';
import type { ImpairOptions } from '../net/impair.js';
import type { CodecName } from '../shared/audio-format.js';
import type { JitterSpec, SinkSpec, SourceSpec } from '../session/config.js';

type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(error: string): Parsed<T> => ({ ok: false, error });

/** A bad value as the user typed it, for a message (an empty one as ""). */
export function shown(v: unknown): string {
  return v === '' ? '""' : String(v);
}

/**
 * yargs' coerce for numeric options: a number when the text is one, else the
 * text as typed, so the parsers below can quote it (`type: 'number'` would
 * have made `--port abc` into NaN before they saw it).
 */
export function numberOrText(v: unknown): unknown {
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return v;
}

/**
 * The parsed-argument keys that only a stray environment variable put there:
 * yargs' .env() makes every STREAMER_* an option and .strict() then refuses
 * the ones that are not. A key goes when a `${prefix}*` variable names it, it
 * is no option (or alias) of this command, and no flag on the command line
 * names it — environments carry junk (STREAMER_DEBUG is read outside yargs),
 * but an unknown flag typed by the user stays an error.
 */
export function strayEnvKeys(
  keys: readonly string[],
  known: readonly string[],
  tokens: readonly string[],
  envNames: readonly string[],
  prefix = 'STREAMER_',
): string[] {
  // yargs matches frame-ms, frameMs and FRAME_MS alike.
  const norm = (s: string): string => s.replace(/[-_]/g, '').toLowerCase();
  const fromEnv = new Set(envNames.filter((n) => n.startsWith(prefix)).map((n) => norm(n.slice(prefix.length).split('__')[0] ?? '')));
  const knownSet = new Set(known.map(norm));
  const typed = new Set<string>();
  for (const t of tokens) {
    if (t === '--') break;
    const name = /^--?([^=.]+)/.exec(t)?.[1];
    if (name === undefined) continue;
    typed.add(norm(name));
    if (name.startsWith('no-')) typed.add(norm(name.slice(3)));
    if (!t.startsWith('--')) for (const c of name) typed.add(norm(c)); // -abc is -a -b -c
  }
  return keys.filter((k) => k !== '_' && k !== '$0' && fromEnv.has(norm(k)) && !knownSet.has(norm(k)) && !typed.has(norm(k)));
}

export function parseSource(s: string): Parsed<SourceSpec> {
  if (s === 'mic') return ok({ kind: 'mic' });
  if (s === 'tone') return ok({ kind: 'tone', hz: 440 });
  const tone = /^tone:(\d+(?:\.\d+)?)$/.exec(s);
  if (tone) {
    const hz = Number(tone[1]);
    if (hz > 0 && hz < 48000) return ok({ kind: 'tone', hz });
    return fail(`--source tone:${tone[1]}: the frequency must be between 1 and 47999 Hz`);
  }
  if (s.startsWith('file:') && s.length > 5) return ok({ kind: 'file', path: s.slice(5) });
  return fail(`--source "${s}" is not one of mic, tone[:HZ], file:PATH.wav`);
}

export function parseSink(s: string): Parsed<SinkSpec> {
  if (s === 'speaker') return ok({ kind: 'speaker' });
  if (s === 'null') return ok({ kind: 'null' });
  if (s.startsWith('file:') && s.length > 5) return ok({ kind: 'file', path: s.slice(5) });
  return fail(`--sink "${s}" is not one of speaker, null, file:PATH.wav`);
}

export function parsePort(n: unknown): Parsed<number> {
  const v = Number(n);
  if (Number.isInteger(v) && v >= 1 && v <= 65535) return ok(v);
  return fail(`--port ${shown(n)}: must be a whole number from 1 to 65535`);
}

export function parseRate(n: unknown): Parsed<number> {
  const v = Number(n);
  if (Number.isInteger(v) && v >= 8000 && v <= 96000) return ok(v);
  return fail(`--rate ${shown(n)}: must be a sample rate from 8000 to 96000 Hz`);
}

export function parseChannels(n: unknown): Parsed<1 | 2> {
  const v = Number(n);
  if (v === 1 || v === 2) return ok(v);
  return fail(`--channels ${shown(n)}: must be 1 or 2`);
}

/** 2.5 ms steps from 2.5 to 150 ms (2.5, 5, 10, 20, 40 … 150). */
export function parseFrameMs(n: unknown): Parsed<number> {
  const v = Number(n);
  if (Number.isFinite(v) && v >= 2.5 && v <= 150 && Number.isInteger(v / 2.5)) return ok(v);
  return fail(`--frame-ms ${shown(n)}: must be a multiple of 2.5 from 2.5 to 150 (e.g. 2.5, 5, 10, 20, 40)`);
}

export function parseCodec(v: unknown): Parsed<CodecName> {
  if (v === 'l16' || v === 'l24' || v === 'opus') return ok(v);
  return fail(`--codec ${shown(v)}: must be l16, l24 or opus`);
}

/**
 * --frame-ms for the codec: Opus frames are 10, 20, 40 or 60 ms (FEC needs
 * 10 or more); L24 also takes 1 ms (the AES67 profile); L16 any 2.5 ms step.
 * Undefined: 20 ms for Opus, 10 for PCM.
 */
export function parseFrameMsFor(codec: CodecName, n: unknown): Parsed<number> {
  if (n === undefined) return ok(codec === 'opus' ? 20 : 10);
  const v = Number(n);
  if (codec === 'opus') {
    if (v === 10 || v === 20 || v === 40 || v === 60) return ok(v);
    return fail(`--frame-ms ${shown(n)}: Opus frames are 10, 20, 40 or 60 ms`);
  }
  if (codec === 'l24' && v === 1) return ok(v);
  const r = parseFrameMs(n);
  if (!r.ok && v === 1) return fail(`--frame-ms 1: 1 ms packets are for --codec l24 (the AES67 profile); L16 takes multiples of 2.5 from 2.5 to 150`);
  return r;
}

/** Opus's target bitrate; any other codec's bitrate is its format's, so the flag is refused there. */
export function parseBitrate(codec: CodecName, n: unknown, channels: 1 | 2): Parsed<number> {
  if (n === undefined) return ok(channels === 2 ? 96 : 64);
  if (codec !== 'opus') return fail(`--bitrate ${shown(n)}: only --codec opus has a bitrate to choose (${codec.toUpperCase()} is its rate × channels × bits)`);
  const v = Number(n);
  if (Number.isFinite(v) && v >= 6 && v <= 510) return ok(v);
  return fail(`--bitrate ${shown(n)}: must be kbit/s from 6 to 510`);
}

export function parseJitter(ms: unknown, minMs: unknown, maxMs: unknown): Parsed<JitterSpec> {
  const lo = Number(minMs);
  const hi = Number(maxMs);
  if (!(lo >= 0 && hi >= lo && hi <= 5000)) {
    return fail(`--jitter-min-ms ${shown(minMs)} / --jitter-max-ms ${shown(maxMs)}: need 0 ≤ min ≤ max ≤ 5000`);
  }
  if (ms === 'auto') return ok({ mode: 'auto', minMs: lo, maxMs: hi });
  const v = Number(ms);
  if (Number.isFinite(v) && v >= 0 && v <= 5000) return ok({ mode: 'fixed', ms: v });
  return fail(`--jitter-ms ${shown(ms)}: must be milliseconds from 0 to 5000, or auto`);
}

export function parseDuration(n: unknown): Parsed<number | undefined> {
  if (n === undefined) return ok(undefined);
  const v = Number(n);
  if (Number.isFinite(v) && v > 0) return ok(v);
  return fail(`--duration ${shown(n)}: must be a positive number of seconds`);
}

export function parsePercent(name: string, n: unknown): Parsed<number> {
  const v = Number(n ?? 0);
  if (Number.isFinite(v) && v >= 0 && v <= 100) return ok(v);
  return fail(`--${name} ${shown(n)}: must be a percentage from 0 to 100`);
}

export function parseImpair(a: {
  simLoss?: unknown;
  simJitter?: unknown;
  simReorder?: unknown;
  simDup?: unknown;
}): Parsed<ImpairOptions> {
  const loss = parsePercent('sim-loss', a.simLoss);
  if (!loss.ok) return loss;
  const reorder = parsePercent('sim-reorder', a.simReorder);
  if (!reorder.ok) return reorder;
  const dup = parsePercent('sim-dup', a.simDup);
  if (!dup.ok) return dup;
  const jitter = Number(a.simJitter ?? 0);
  if (!(Number.isFinite(jitter) && jitter >= 0 && jitter <= 5000)) {
    return fail(`--sim-jitter ${shown(a.simJitter)}: must be milliseconds from 0 to 5000`);
  }
  return ok({ lossPercent: loss.value, jitterMs: jitter, reorderPercent: reorder.value, dupPercent: dup.value });
}

export function parseDriftPpm(n: unknown): Parsed<number> {
  const v = Number(n ?? 0);
  if (Number.isFinite(v) && Math.abs(v) <= 10000) return ok(v);
  return fail(`--sim-drift-ppm ${shown(n)}: must be from -10000 to 10000`);
}

/**
 * yargs names an unknown flag twice, as typed and camel-cased ("bogus-flag,
 * bogusFlag"): keep the spelling the user typed.
 */
export function unknownArgumentsMessage(msg: string): string {
  const m = /^Unknown arguments?: (.*)$/.exec(msg);
  if (!m) return msg;
  const names = m[1]!.split(', ');
  const camel = (s: string): string => s.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  const typed = names.filter((n) => !names.some((o) => o !== n && o.includes('-') && camel(o) === n));
  return `Unknown argument${typed.length === 1 ? '' : 's'}: ${typed.join(', ')}`;
}

export function parseTtl(n: unknown): Parsed<number> {
  const v = Number(n);
  if (Number.isInteger(v) && v >= 0 && v <= 255) return ok(v);
  return fail(`--ttl ${shown(n)}: must be a whole number of hops from 0 to 255 (1: this network only)`);
}

/** --iface: the address of a local interface (Node joins and sends by address). */
export function parseIface(s: unknown): Parsed<string | undefined> {
  if (s === undefined) return ok(undefined);
  if (typeof s === 'string' && isIP(s) === 4) return ok(s);
  return fail(`--iface ${shown(s)}: give the IPv4 address of the interface to use (see \`ip -4 addr\`), e.g. 192.168.1.20`);
}
