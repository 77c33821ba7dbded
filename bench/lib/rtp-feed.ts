// The stream the receive benchmarks play: a tone (or any signal), packetized by streamer's own
// packetizer, sent from the bench process on a monotonic schedule (ticks
// computed from the start, so timer lateness bunches packets but never loses them).
import dgram from 'node:dgram';
import { performance } from 'node:perf_hooks';
import type { AudioFormat } from '../../src/shared/audio-format.js';
import { RtpPacketizer } from '../../src/net/rtp/packetizer.js';

export interface FeedOptions {
  format: AudioFormat;
  payloadType: number;
  samplesPerPacket: number;
  /** Every packet goes to each of these loopback ports, in the same tick. */
  ports: number[];
  seconds: number;
  /** Sample n of the signal (every channel the same); default a 440 Hz tone at −12 dBFS. */
  signal?: (n: number) => number;
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
  const ch = o.format.channels;
  const signal = o.signal ?? ((n: number) => 8000 * Math.sin((2 * Math.PI * 440 * n) / o.format.rate));
  // The default repeats every second, so it is computed once and cycled through; a given signal is computed as it goes.
  const period = o.signal ? 0 : o.format.rate - (o.format.rate % spp);
  const tone = new Int16Array(period * ch);
  for (let i = 0; i < tone.length; i++) tone[i] = Math.round(signal(Math.floor(i / ch)));
  const block = new Int16Array(spp * ch);
  let sample = 0;
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
      const n = spp * ch;
      let pcm = block;
      if (period > 0) {
        pcm = tone.subarray(offset, offset + n);
        offset = (offset + n) % tone.length;
      } else {
        for (let i = 0; i < n; i++) block[i] = Math.round(signal(sample + Math.floor(i / ch)));
        sample += spp;
      }
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
