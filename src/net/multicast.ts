// Multicast addresses: IPv4 224.0.0.0/4, IPv6 ff00::/8.

export function isMulticast(addr: string): boolean {
  const m = /^(\d{1,3})\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.exec(addr);
  if (m) return Number(m[1]) >= 224 && Number(m[1]) <= 239;
  return /^ff[0-9a-f]{0,2}:/i.test(addr);
}

export interface MulticastOptions {
  /** Hop limit for what we send (IP_MULTICAST_TTL), 1 by default: the local network only. */
  ttl?: number;
  /** Local interface address to send from / join on; the system's choice when absent. */
  iface?: string;
}
