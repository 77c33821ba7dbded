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

/**
 * `preferred` when it is free on loopback, else one the system says is free.
 * Another program may take it before the caller binds it; the caller's own
 * bind then fails with its usual message.
 */
export async function loopbackPort(protocol: 'udp' | 'tcp', preferred: number): Promise<number> {
  return (await probe(protocol, preferred)) ?? (await probe(protocol, 0)) ?? preferred;
}
