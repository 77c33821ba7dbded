// The launch screen's check before it starts: the same parsers as the flags,
// so a value the form accepts is one the command line would accept too, and
// the same host lookup as the sender, so a typo is caught on the form rather
// than as exit 1 once the form is gone.
import type { LaunchValues } from '../ui/state/launch-reducer.js';
import { resolveHost } from '../net/transport/udp-transport.js';
import { describeSystemError, UserError } from '../shared/errors.js';
import { parsePort, parseSink, parseSource } from './options.js';

/** What is wrong with the form that needs no lookup, in one line, or null. */
export function validateLaunch(v: LaunchValues): string | null {
  const port = parsePort(v.port);
  if (!port.ok) return port.error;
  if (v.mode === 'send') {
    if (v.host.trim() === '') return 'host: say where to send (an address or a name)';
    const source = parseSource(v.source);
    if (!source.ok) return source.error;
  } else {
    const sink = parseSink(v.sink);
    if (!sink.ok) return sink.error;
  }
  return null;
}

/** validateLaunch, then the sender's host looked up (injected for tests): one line, or null when it can start. */
export async function checkLaunch(v: LaunchValues, resolve: (host: string) => Promise<unknown> = resolveHost): Promise<string | null> {
  const problem = validateLaunch(v);
  if (problem !== null || v.mode !== 'send') return problem;
  try {
    await resolve(v.host);
    return null;
  } catch (err) {
    // The message without the command line's "check --host": the Host field is right there.
    return err instanceof UserError ? err.message : `cannot resolve host "${v.host}": ${describeSystemError(err)}`;
  }
}
