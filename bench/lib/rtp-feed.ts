// The stream the receive benchmarks play: a tone, packetized by streamer's own
// packetizer, sent from the bench process on a monotonic schedule (ticks
// computed from the start, so timer lateness bunches packets but never loses them).
import dgram from 'node:dgram';
import { performance } from 'node:perf_hooks';
import type { AudioFormat } from '../../src/audio/format.js';
import { RtpPacketizer } from '../../src/net/packetizer.js';

export interface FeedOptions {
  format: AudioFormat;
  payloadType: number;
  samplesPerPacket: number;
  /** Every packet goes to each of these loopback ports, in the same tick. */
  ports: number[];
  seconds: number;
}

export interface FeedResult {
  /** Packets per port. */
  sent: number;
  /** Send schedule achieved: packets actually sent ÷ packets due over the run. */
  keptUp: number;
  wallS: number;
}

export interface Feed {
  readonly done: Promise<FeedResult>;
  /** Packets per port sent so far. */
  readonly sent: number;
  readonly packetsPerSecond: number;
  stop(): void;
}

export function startFeed(o: FeedOptions): Feed {
  const socket = dgram.createSocket('udp4');
  socket.on('error', () => undefined); // nobody listening yet, or gone: not the bench's problem
  const packetizer = new RtpPacketizer({ format: o.format, payloadType: o.payloadType });
  const spp = o.samplesPerPacket;
  // One second of a 440 Hz tone at −12 dBFS, cycled through.
  const period = o.format.rate - (o.format.rate % spp);
  const tone = new Int16Array(period * o.format.channels);
  for (let i = 0; i < tone.length; i++) {
    tone[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * Math.floor(i / o.format.channels)) / o.format.rate));
  }
  const intervalMs = (spp * 1000) / o.format.rate;
  const total = Math.floor((o.seconds * 1000) / intervalMs);
  let start = 0;
  let sent = 0;
  let offset = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let finish: (r: FeedResult) => void = () => undefined;
  const done = new Promise<FeedResult>((resolve) => (finish = resolve));

  const end = (): void => {
    const wallS = (performance.now() - start) / 1000;
    const due = Math.min(total, Math.floor((wallS * 1000) / intervalMs));
    // Sends still queued in libuv would be cancelled by an immediate close.
    setTimeout(() => socket.close(), 200);
    finish({ sent, keptUp: due > 0 ? Math.min(1, sent / due) : 1, wallS });
  };

  const tick = (): void => {
    timer = undefined;
    if (stopped) return end();
    const now = performance.now();
    const due = Math.min(total, Math.floor((now - start) / intervalMs) + 1);
    while (sent < due) {
      const n = spp * o.format.channels;
      const pcm = tone.subarray(offset, offset + n);
      offset = (offset + n) % tone.length;
      for (const packet of packetizer.packetize(pcm)) {
        for (const port of o.ports) socket.send(packet, port, '127.0.0.1');
      }
      sent++;
    }
    if (sent >= total) return end();
    timer = setTimeout(tick, Math.max(0, start + sent * intervalMs - performance.now()));
  };
  // Bound before the first send, so no packet waits on an implicit bind.
  socket.bind(0, '127.0.0.1', () => {
    start = performance.now();
    tick();
  });

  return {
    done,
    get sent() {
      return sent;
    },
    packetsPerSecond: 1000 / intervalMs,
    stop() {
      if (stopped) return;
      stopped = true;
      if (timer) {
        clearTimeout(timer);
        timer = undefined;
        end();
      }
    },
  };
}
