// Pure conversions between pino's JSON lines and what people read: no I/O, no clock.

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LogEntry {
  time: number;
  level: LogLevel;
  component: string;
  msg: string;
  /** Any other fields of the line (pino's pid/hostname/v left out), for key=value display. */
  fields?: Record<string, unknown>;
}

export function isLogLevel(s: unknown): s is LogLevel {
  return typeof s === 'string' && (LOG_LEVELS as readonly string[]).includes(s);
}

/** pino's numeric levels; fatal (60) and above shown as error, our highest level. */
function levelFromNumber(n: number): LogLevel {
  if (n >= 50) return 'error';
  if (n >= 40) return 'warn';
  if (n >= 30) return 'info';
  if (n >= 20) return 'debug';
  return 'trace';
}

function levelOf(v: unknown): LogLevel | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return levelFromNumber(v);
  if (typeof v === 'string') {
    const s = v.toLowerCase();
    if (isLogLevel(s)) return s;
    if (s === 'fatal') return 'error';
  }
  return undefined;
}

const KNOWN_KEYS = new Set(['level', 'time', 'msg', 'component', 'pid', 'hostname', 'v']);

/** One pino JSON line → entry; undefined for anything that is not one (junk, partial, foreign). */
export function parseLogLine(line: string): LogEntry | undefined {
  const text = line.trim();
  if (!text.startsWith('{')) return undefined;
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return undefined;
  const rec = obj as Record<string, unknown>;
  const level = levelOf(rec['level']);
  const time = rec['time'];
  if (level === undefined || typeof time !== 'number' || !Number.isFinite(time)) return undefined;
  const msg = rec['msg'];
  const component = rec['component'];
  const entry: LogEntry = {
    time,
    level,
    component: typeof component === 'string' ? component : '',
    msg: typeof msg === 'string' ? msg : msg === undefined ? '' : String(msg),
  };
  let fields: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(rec)) {
    if (KNOWN_KEYS.has(k)) continue;
    (fields ??= {})[k] = v;
  }
  if (fields) entry.fields = fields;
  return entry;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Local wall-clock time as HH:MM:SS.mmm. */
export function formatClock(time: number): string {
  const d = new Date(time);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** pino's error serializer: {type, message, stack}; a reader of stderr needs the message, the stack is in the file. */
function errorMessage(v: unknown): string | undefined {
  const err = v as { message?: unknown; stack?: unknown };
  return typeof err.message === 'string' && typeof err.stack === 'string' ? err.message : undefined;
}

function formatValue(v: unknown): string {
  if (typeof v === 'string') return /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v);
  if (typeof v === 'object' && v !== null) {
    const message = errorMessage(v);
    if (message !== undefined) return JSON.stringify(message);
    return JSON.stringify(v) ?? String(v);
  }
  return String(v);
}

// Longer values (a whole config, a stats object as text) belong in the file, not on a terminal line.
const MAX_HUMAN_VALUE = 48;

const isWordChar = (c: string | undefined): boolean => c !== undefined && /[a-z0-9_]/i.test(c);

/** The character next to a match ends it unless it continues a word, a number or an address ("127.0.0.1"); `:` before a port ends it. */
function continues(c: string | undefined, beyond: string | undefined): boolean {
  return isWordChar(c) || ((c === '.' || c === '-') && isWordChar(beyond));
}

/** Whether `msg` already says `text` as a whole token (case-insensitive): `UDP` says protocol=udp, `127.0.0.1` does not say n=1. */
export function mentions(msg: string, text: string): boolean {
  if (!text) return false;
  const m = msg.toLowerCase();
  const t = text.toLowerCase();
  for (let i = m.indexOf(t); i !== -1; i = m.indexOf(t, i + 1)) {
    const end = i + t.length;
    if (!continues(m[i - 1], m[i - 2]) && !continues(m[end], m[end + 1])) return true;
  }
  return false;
}

/**
 * `key=value key2="two words"` for the extra fields, or '' when there are none.
 * With the line's message, only what a person reading it needs besides the message:
 * short values it does not already say, and an error's message; nested objects
 * (a whole config, final stats) are left to the log file.
 */
export function formatFields(fields: Record<string, unknown> | undefined, msg?: string): string {
  if (!fields) return '';
  return Object.entries(fields)
    .filter(([, v]) => v !== undefined && (msg === undefined || worthShowing(v, msg)))
    .map(([k, v]) => `${k}=${formatValue(v)}`)
    .join(' ');
}

function worthShowing(v: unknown, msg: string): boolean {
  if (v === null) return false;
  if (typeof v === 'object') {
    const message = errorMessage(v);
    return message !== undefined && !msg.includes(message);
  }
  const text = String(v);
  return formatValue(v).length <= MAX_HUMAN_VALUE && !mentions(msg, text);
}

// ANSI colours for the level label only; callers pass color=false under NO_COLOR or off a TTY.
const LEVEL_COLOR: Record<LogLevel, string> = {
  trace: '\x1b[90m',
  debug: '\x1b[36m',
  info: '\x1b[32m',
  warn: '\x1b[33m',
  error: '\x1b[31m',
};

/**
 * The headless stderr form, e.g. `12:01:02.345 WARN  net   sequence gap expected=7 got=9`;
 * the dashboard's log pane drops the milliseconds and pads the component one wider.
 */
export function formatHuman(e: LogEntry, opts: { color?: boolean; ms?: boolean; componentWidth?: number } = {}): string {
  const label = e.level.toUpperCase().padEnd(5);
  const level = opts.color ? `${LEVEL_COLOR[e.level]}${label}\x1b[0m` : label;
  const clock = opts.ms === false ? formatClock(e.time).slice(0, 8) : formatClock(e.time);
  const component = (e.component || '-').padEnd(opts.componentWidth ?? 5);
  const extra = formatFields(e.fields, e.msg);
  return `${clock} ${level} ${component} ${e.msg}${extra ? ` ${extra}` : ''}`;
}
