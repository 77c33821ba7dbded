// Loopback port probes for the demo, which listens and sends in one process.
import dgram from 'node:dgram';
import net from 'node:net';

/**
 * Binds `port` on 127.0.0.1 as the receiver would (no address reuse) and lets
 * it go; resolves with the port bound, or undefined when it is taken. Port 0
 * asks the system for a free one.
 */
function probe(protocol: 'udp' | 'tcp', port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    if (protocol === 'udp') {
      const socket = dgram.createSocket({ type: 'udp4', reuseAddr: false });
      socket.once('error', () => socket.close(() => resolve(undefined)));
      socket.bind(port, '127.0.0.1', () => {
        const bound = socket.address().port;
        socket.close(() => resolve(bound));
      });
      return;
    }
    const server = net.createServer();
    server.once('error', () => resolve(undefined));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      const bound = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(bound));
    });
  });
}

/** UDP needs port + 1 free as well: RTCP's. */
async function usable(protocol: 'udp' | 'tcp', port: number): Promise<number | undefined> {
  const bound = await probe(protocol, port);
  if (bound === undefined || protocol === 'tcp') return bound;
  return bound < 65535 && (await probe('udp', bound + 1)) !== undefined ? bound : undefined;
}

/**
 * `preferred` when it is free on loopback (with port + 1 for UDP's RTCP),
 * else one the system says is free. Another program may take it before the
 * caller binds it; the caller's own bind then fails with its usual message.
 */
export async function loopbackPort(protocol: 'udp' | 'tcp', preferred: number): Promise<number> {
  const first = await usable(protocol, preferred);
  if (first !== undefined) return first;
  for (let i = 0; i < 20; i++) {
    const p = await usable(protocol, 0);
    if (p !== undefined) return p;
  }
  return preferred;
}
