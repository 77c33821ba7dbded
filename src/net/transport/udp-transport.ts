import dgram from 'node:dgram';
import { EventEmitter } from 'node:events';
import { lookup } from 'node:dns/promises';
import { UserError, describeSystemError, errorCode } from '../../shared/errors.js';
import { isMulticast, type MulticastOptions } from '../multicast.js';

export interface Peer {
  address: string;
  port: number;
}

export function peerName(p: Peer): string {
  return p.address.includes(':') ? `[${p.address}]:${p.port}` : `${p.address}:${p.port}`;
}

/** Resolves a host name once, up front, so a typo is one clear error at start. */
export async function resolveHost(host: string): Promise<{ address: string; family: 4 | 6 }> {
  try {
    const r = await lookup(host);
    return { address: r.address, family: r.family === 6 ? 6 : 4 };
  } catch (err) {
    throw new UserError(`cannot resolve host "${host}": ${describeSystemError(err)}`, 1, 'host');
  }
}

export interface UdpReceiverEvents {
  packet: [Buffer, Peer];
  error: [Error];
}

/** Listens for datagrams; each is handed on as it arrives. */
export class UdpReceiver extends EventEmitter<UdpReceiverEvents> {
  private constructor(private readonly socket: dgram.Socket) {
    super();
    socket.on('message', (msg, rinfo) => this.emit('packet', msg, rinfo)); // rinfo is a Peer: no copy per datagram
    socket.on('error', (err) => this.emit('error', err));
  }

  /** A multicast `address` is bound and joined (any-source): every receiver of the group on this host shares the port. */
  static listen(address: string, port: number, mc: MulticastOptions = {}): Promise<UdpReceiver> {
    const type = address.includes(':') ? 'udp6' : 'udp4';
    const group = isMulticast(address);
    const socket = dgram.createSocket({ type, reuseAddr: group });
    return new Promise((resolve, reject) => {
      const fail = (err: Error): void => {
        socket.close();
        const remedy = errorCode(err) === 'EADDRINUSE' ? 'port-in-use' : 'listen-address';
        reject(new UserError(`cannot listen on UDP ${address}:${port}: ${describeSystemError(err)}`, 1, remedy));
      };
      socket.once('error', fail);
      socket.bind(port, address, () => {
        socket.off('error', fail);
        if (group) {
          try {
            joinGroup(socket, address, mc);
          } catch (err) {
            socket.close();
            reject(new UserError(`cannot join multicast group ${address}${mc.iface ? ` on ${mc.iface}` : ''}: ${describeSystemError(err)}`, 1, 'listen-address'));
            return;
          }
        }
        try {
          // Room for bursts at high packet rates while the loop is busy.
          socket.setRecvBufferSize(4 * 1024 * 1024);
        } catch {
          // The kernel may cap it; the default still works.
        }
        resolve(new UdpReceiver(socket));
      });
    });
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** Sends one datagram to `to` (RTCP answers where the peer's came from); errors are reported, never thrown. */
  sendTo(packet: Buffer, to: Peer): Promise<void> {
    return new Promise((resolve) => {
      try {
        this.socket.send(packet, to.port, to.address, (err) => {
          if (err && errorCode(err) !== 'ECONNREFUSED') this.emit('error', err);
          resolve();
        });
      } catch (err) {
        // Closed already, or an address of the other family: a report lost, nothing more.
        if (errorCode(err) !== 'ERR_SOCKET_DGRAM_NOT_RUNNING') this.emit('error', err as Error);
        resolve();
      }
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      try {
        this.socket.close(() => resolve());
      } catch {
        resolve();
      }
    });
  }
}

/** Sends datagrams to one address, and hears what that address sends back (RTCP on a shared port). Send errors are reported, never thrown. */
export class UdpSender extends EventEmitter<{ error: [Error]; packet: [Buffer, Peer] }> {
  private closed = false;
  private sends = 0;
  private readonly onSent = (err: Error | null): void => {
    if (err) this.report(err);
  };

  private constructor(
    private readonly socket: dgram.Socket,
    readonly peer: Peer,
  ) {
    super();
    socket.on('error', (err) => this.report(err));
    // Connected: only the peer's datagrams arrive here.
    socket.on('message', (msg, rinfo) => this.emit('packet', msg, rinfo));
  }

  /** A multicast `host` is sent to with `mc.ttl` (1 by default) from `mc.iface`; our own host's receivers hear it too (loopback on). */
  static async open(host: string, port: number, mc: MulticastOptions = {}): Promise<UdpSender> {
    const { address, family } = await resolveHost(host);
    const socket = dgram.createSocket(family === 6 ? 'udp6' : 'udp4');
    // Connected: Node then skips the address lookup (a closure and a tick) it does per datagram otherwise.
    await new Promise<void>((resolve, reject) => {
      const fail = (err: Error): void => {
        socket.close();
        reject(new UserError(`cannot send to UDP ${address}:${port}: ${describeSystemError(err)}`, 1, 'destination'));
      };
      socket.once('error', fail);
      socket.connect(port, address, () => {
        socket.off('error', fail);
        try {
          if (isMulticast(address)) multicastOut(socket, mc);
        } catch (err) {
          fail(err as Error);
          return;
        }
        resolve();
      });
    });
    return new UdpSender(socket, { address, port });
  }

  /** The local address the system sends from (a SAP announcement's origin). */
  get localAddress(): string {
    return this.socket.address().address;
  }

  send(packet: Buffer): void {
    if (this.closed) return;
    // Node tells a send's error only to its callback, which costs a tick per
    // datagram: one send in 64 carries one, so a lasting failure still shows.
    if ((++this.sends & 63) === 0) this.socket.send(packet, this.onSent);
    else this.socket.send(packet);
  }

  /** One datagram, resolved once it has left (a BYE just before close must not be cancelled by it). */
  sendNow(packet: Buffer): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) =>
      this.socket.send(packet, (err) => {
        if (err) this.report(err);
        resolve();
      }),
    );
  }

  private report(err: Error): void {
    // ECONNREFUSED (an ICMP reply on a connected socket) just means nobody listens yet: not fatal.
    if (errorCode(err) !== 'ECONNREFUSED') this.emit('error', err);
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

/** TTL, interface and loopback for what a socket sends to a group. */
export function multicastOut(socket: dgram.Socket, mc: MulticastOptions): void {
  socket.setMulticastTTL(mc.ttl ?? 1);
  socket.setMulticastLoopback(true);
  if (mc.iface) socket.setMulticastInterface(mc.iface);
}

/** Joins `group` (any-source) on `mc.iface` or the system's choice, and sends to groups the same way. */
export function joinGroup(socket: dgram.Socket, group: string, mc: MulticastOptions): void {
  socket.addMembership(group, mc.iface);
  multicastOut(socket, mc);
}
