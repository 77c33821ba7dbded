// `streamer streams`: listen to SAP for a while and list what is announced on
// the LAN (streamer's own --sap, PulseAudio's module-rtp-send, PipeWire,
// AES67 gear). Deletions heard meanwhile remove a stream; so does silence
// past its timeout. Stdout gets only the list (or JSON), so it can be piped.
import type { LogLevel } from '../logging/log-line.js';
import { DEFAULT_MAX_STREAMS, describeAnnounced, type AnnouncedStream } from '../net/sap/announcements.js';
import { SAP_GROUP, SAP_PORT } from '../net/sap/sap-packet.js';
import { SapListener } from '../session/sap-listener.js';
import { UserError } from '../shared/errors.js';
import { openLogger } from './build-config.js';
import { parseIface, shown } from './options.js';

export interface StreamsOptions {
  seconds: unknown;
  json: boolean;
  iface?: string;
  logFile: string;
  logLevel: LogLevel;
}

export async function runStreams(o: StreamsOptions): Promise<void> {
  const seconds = Number(o.seconds);
  if (!(Number.isFinite(seconds) && seconds > 0 && seconds <= 3600)) throw new UserError(`--seconds ${shown(o.seconds)}: must be a number of seconds from 0 to 3600`, 2);
  const iface = parseIface(o.iface);
  if (!iface.ok) throw new UserError(iface.error, 2);
  const logger = openLogger({ file: o.logFile, maxSize: '5M', maxFiles: 3, level: o.logLevel, stderr: false });
  let listener: SapListener | undefined;
  try {
    listener = await SapListener.open({ ...(iface.value ? { iface: iface.value } : {}), log: logger.child('net') });
    // On stderr even with --json (stdout is the data): a script may wait for it.
    process.stderr.write(`listening for SAP announcements on ${SAP_GROUP}:${SAP_PORT} for ${seconds} s…\n`);
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const now = Date.now();
    const list = listener.table.list();
    if (o.json) process.stdout.write(`${JSON.stringify(list.map((s) => asJson(s, now)))}\n`);
    else process.stdout.write(formatStreams(list, now));
    // The tally on stderr (stdout is the list): what was heard, and what was refused.
    process.stderr.write(
      `${listener.announcements} announcements, ${listener.deletions} deletions, ${listener.malformed} malformed SAP packets dropped` +
        `${listener.table.evicted > 0 ? `, ${listener.table.evicted} streams pushed out of the ${DEFAULT_MAX_STREAMS}-entry table` : ''}\n`,
    );
  } finally {
    await listener?.close();
    await logger.close();
  }
}

function asJson(s: AnnouncedStream, now: number): object {
  return {
    name: s.name,
    origin: s.origin,
    address: s.address,
    port: s.port,
    ...(s.ttl === undefined ? {} : { ttl: s.ttl }),
    payloadType: s.payloadType,
    codec: s.codec,
    rate: s.rate,
    channels: s.channels,
    ageS: Math.round((now - s.firstMs) / 100) / 10,
    lastHeardS: Math.round((now - s.lastMs) / 100) / 10,
    sdp: s.sdp,
  };
}

/** One line a stream, aligned: NAME  ORIGIN  GROUP:PORT  FORMAT  AGE. */
export function formatStreams(list: readonly AnnouncedStream[], now: number): string {
  if (list.length === 0) return 'no streams announced\n';
  const rows = [
    ['NAME', 'ORIGIN', 'ADDRESS', 'FORMAT', 'AGE'],
    ...list.map((s) => [
      s.name || '(no name)',
      s.origin,
      `${s.address}:${s.port}`,
      `${describeAnnounced(s)} (PT ${s.payloadType})`,
      `${Math.round((now - s.firstMs) / 1000)} s`,
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n') + '\n';
}
