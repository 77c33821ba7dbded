// The launch screen's check before it starts: the same parsers as the flags,
// so a value the form accepts is one the command line would accept too.
import type { LaunchValues } from '../ui/state/launch-reducer.js';
import { parsePort, parseSink, parseSource } from './options.js';

/** What is wrong with the form, in one line, or null when it can start. */
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
