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

function formatValue(v: unknown): string {
  if (typeof v === 'string') return /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v);
  if (typeof v === 'object' && v !== null) {
    // pino's error serializer: the message is what a reader of stderr needs; the stack is in the file.
    const err = v as { type?: unknown; message?: unknown; stack?: unknown };
    if (typeof err.message === 'string' && typeof err.stack === 'string') return JSON.stringify(err.message);
    return JSON.stringify(v) ?? String(v);
  }
  return String(v);
}

/** `key=value key2="two words"` for the extra fields, or '' when there are none. */
export function formatFields(fields: Record<string, unknown> | undefined): string {
  if (!fields) return '';
  return Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${formatValue(v)}`)
    .join(' ');
}

// ANSI colours for the level label only; callers pass color=false under NO_COLOR or off a TTY.
const LEVEL_COLOR: Record<LogLevel, string> = {
  trace: '\x1b[90m',
  debug: '\x1b[36m',
  info: '\x1b[32m',
  warn: '\x1b[33m',
  error: '\x1b[31m',
};

/** The headless stderr form, e.g. `12:01:02.345 WARN  net   sequence gap expected=7 got=9`. */
export function formatHuman(e: LogEntry, opts: { color?: boolean } = {}): string {
  const label = e.level.toUpperCase().padEnd(5);
  const level = opts.color ? `${LEVEL_COLOR[e.level]}${label}\x1b[0m` : label;
  const component = (e.component || '-').padEnd(5);
  const extra = formatFields(e.fields);
  return `${formatClock(e.time)} ${level} ${component} ${e.msg}${extra ? ` ${extra}` : ''}`;
}
