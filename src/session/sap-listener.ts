// Listens to SAP on 224.0.0.56:9875 (what `streamer streams` and
// `receive --sap` read): each datagram parsed, the table kept, events out.
// Every bad packet is counted by kind and dropped, with one log line a second
// at most; the table is capped, so a flood costs CPU, not memory.
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { Announcements, type AnnouncedStream, type AnnouncementEvent } from '../net/sap/announcements.js';
import { SAP_GROUP, SAP_PORT, parseSap } from '../net/sap/sap-packet.js';
import { UdpReceiver } from '../net/transport/udp-transport.js';
import { WarnSummary, describeCounts } from '../net/warn-summary.js';

export interface SapListenerEvents {
  /** Announced for the first time, or announced again (refresh), or its SDP changed. */
  announce: [AnnouncedStream, 'new' | 'refresh' | 'changed'];
  /** Its sender deleted it (a SAP deletion), or its announcements stopped (timeout). */
  gone: [AnnouncedStream, 'deleted' | 'timeout'];
}

export interface SapListenerOptions {
  iface?: string;
  log: Logger;
  /** Where to listen; PulseAudio's and PipeWire's group and port by default. */
  group?: string;
  port?: number;
  now?: () => number;
}

export class SapListener extends EventEmitter<SapListenerEvents> {
  readonly table = new Announcements();
  private readonly warnings = new WarnSummary();
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  /** SAP packets that did not parse, or whose SDP did not (SPEC: counted, dropped). */
  malformed = 0;
  /** Announcements taken (new, refreshed, changed) and deletions applied. */
  announcements = 0;
  deletions = 0;

  private constructor(
    private readonly socket: UdpReceiver,
    private readonly o: SapListenerOptions,
  ) {
    super();
    this.now = o.now ?? (() => Date.now());
    socket.on('packet', (buf) => this.handle(buf));
    socket.on('error', (err) => o.log.warn({ err }, `SAP socket: ${err.message}`));
    this.timer = setInterval(() => this.tick(), 1000);
    this.timer.unref();
  }

  static async open(o: SapListenerOptions): Promise<SapListener> {
    const group = o.group ?? SAP_GROUP;
    const port = o.port ?? SAP_PORT;
    const socket = await UdpReceiver.listen(group, port, o.iface ? { iface: o.iface } : {});
    o.log.info({ group, port }, `listening for SAP announcements on ${group}:${port}`);
    return new SapListener(socket, o);
  }

  /** One datagram (public for the tests' hostile packets; the socket calls it too). */
  handle(buf: Buffer): void {
    const p = parseSap(buf);
    if (!p.ok) return this.bad(p.error);
    const ev: AnnouncementEvent = this.table.take(p.value, this.now());
    switch (ev.kind) {
      case 'malformed':
        return this.bad(ev.reason);
      case 'ignored':
        return;
      case 'deleted':
        this.deletions++;
        this.o.log.info({ name: ev.stream.name, origin: ev.stream.origin }, `SAP: "${ev.stream.name}" deleted by its sender`);
        this.emit('gone', ev.stream, 'deleted');
        return;
      default:
        this.announcements++;
        if (ev.kind !== 'refresh') {
          this.o.log.info({ name: ev.stream.name, origin: ev.stream.origin, address: ev.stream.address, port: ev.stream.port }, `SAP: "${ev.stream.name}" announced (${ev.kind})`);
        }
        this.emit('announce', ev.stream, ev.kind);
    }
  }

  private bad(kind: string): void {
    this.malformed++;
    this.warnings.noteKind('malformed SAP', kind);
  }

  private tick(): void {
    for (const s of this.table.expire(this.now())) this.emit('gone', s, 'timeout');
    const c = this.warnings.drain();
    if (c) this.o.log.warn({ counts: c }, `SAP: ${describeCounts(c)} in the last second`);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.socket.close();
  }
}
