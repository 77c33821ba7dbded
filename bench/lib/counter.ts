// Counts datagrams arriving on loopback ports: proof that a sender really sends what it claims.
import dgram from 'node:dgram';

export interface PortCount {
  readonly port: number;
  packets: number;
  bytes: number;
  /** Size of the last datagram (every one should be the same here). */
  lastSize: number;
}

export interface Counter {
  readonly counts: PortCount[];
  close(): Promise<void>;
}

/** Binds one socket per port (0 = any free port) and counts what arrives. */
export async function countOn(ports: number[]): Promise<Counter> {
  const sockets: dgram.Socket[] = [];
  const counts: PortCount[] = [];
  for (const want of ports) {
    const s = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.bind(want, '127.0.0.1', () => {
        s.off('error', reject);
        resolve();
      });
    });
    const c: PortCount = { port: s.address().port, packets: 0, bytes: 0, lastSize: 0 };
    s.on('message', (msg) => {
      c.packets++;
      c.bytes += msg.length;
      c.lastSize = msg.length;
    });
    sockets.push(s);
    counts.push(c);
  }
  return {
    counts,
    close: () => Promise.all(sockets.map((s) => new Promise<void>((r) => s.close(() => r())))).then(() => undefined),
  };
}
