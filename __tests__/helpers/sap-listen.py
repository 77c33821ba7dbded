#!/usr/bin/env python3
"""An independent SAP (RFC 2974) listener for the tests: none of streamer's code.

Joins 224.0.0.56:9875 and prints one JSON object per datagram on stdout:
the header bits as they are on the wire, the SDP payload, and what its
c=, m= and a=rtpmap lines say. Runs until SECONDS pass or, with
--until-deletion, a deletion arrives. Prints "ready" on stderr once joined.
"""
import json
import socket
import struct
import sys
import time

GROUP, PORT = '224.0.0.56', 9875

def parse(d):
    out = {'bytes': len(d)}
    b0 = d[0]
    out.update(version=b0 >> 5, ipv6=bool(b0 & 0x10), deletion=bool(b0 & 0x04),
               encrypted=bool(b0 & 0x02), compressed=bool(b0 & 0x01), authLen=d[1],
               hash=struct.unpack('!H', d[2:4])[0])
    olen = 16 if out['ipv6'] else 4
    out['origin'] = socket.inet_ntop(socket.AF_INET6 if out['ipv6'] else socket.AF_INET, d[4:4 + olen])
    rest = d[4 + olen + 4 * d[1]:]
    if not rest.startswith(b'v=0'):
        nul = rest.index(b'\0')
        out['payloadType'] = rest[:nul].decode('ascii')
        rest = rest[nul + 1:]
    text = rest.decode('utf-8')
    out['sdp'] = text
    out['hasCR'] = '\r' in text
    for line in text.split('\n'):
        if line.startswith('c='):
            out['c'] = line[2:]
        elif line.startswith('m=') and 'm' not in out:
            out['m'] = line[2:]
        elif line.startswith('a=rtpmap:'):
            out.setdefault('rtpmap', []).append(line[len('a=rtpmap:'):])
        elif line.startswith('s='):
            out['s'] = line[2:]
        elif line.startswith('o='):
            out['o'] = line[2:]
    return out

def main():
    seconds = float(sys.argv[1])
    until_deletion = '--until-deletion' in sys.argv
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((GROUP, PORT))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, socket.inet_aton(GROUP) + socket.inet_aton('0.0.0.0'))
    print('ready', file=sys.stderr, flush=True)
    end = time.time() + seconds
    while time.time() < end:
        s.settimeout(max(0.01, end - time.time()))
        try:
            d, addr = s.recvfrom(65535)
        except socket.timeout:
            break
        p = parse(d)
        p['from'] = addr[0]
        print(json.dumps(p), flush=True)
        if until_deletion and p['deletion']:
            break

main()
