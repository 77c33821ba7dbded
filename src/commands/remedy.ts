// The words for what to try, with the flags that do it: the core says which
// remedy applies (shared/errors.ts), only this layer knows the command line.
import type { Remedy, UserError } from '../shared/errors.js';

const HINTS: Record<Remedy, string> = {
  'port-in-use': 'another program is using it; pick another with --port',
  'listen-address': 'check --bind and --port',
  host: 'check --host',
  destination: 'check --host and --port',
  'source-file': 'check the path after --source file:',
  'wav-format': 'convert it to 16-bit PCM first (e.g. sox IN.wav -b 16 OUT.wav)',
  'device-id': 'see `streamer devices` for the --device ids',
};

/** The one line a user sees for an error they can fix: what failed, then what to try. */
export function userLine(err: UserError): string {
  return err.remedy ? `${err.message} — ${HINTS[err.remedy]}` : err.message;
}

