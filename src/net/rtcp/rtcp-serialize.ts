// RTCP packets to bytes (the layouts are drawn in rtcp.ts).
import { BLOCK, HEADER, PT_BYE, PT_RR, PT_SDES, PT_SR, PT_XR, SDES_CNAME, XR_DLRR, XR_RRTR, type ReportBlock, type RtcpPacket } from './rtcp.js';

function header(count: number, pt: number, bodyBytes: number): Buffer {
  const h = Buffer.alloc(HEADER);
  h[0] = 0x80 | (count & 0x1f);
  h[1] = pt;
  h.writeUInt16BE((HEADER + bodyBytes) / 4 - 1, 2);
  return h;
}

function writeBlocks(blocks: ReportBlock[]): Buffer {
  const b = Buffer.alloc(blocks.length * BLOCK);
  blocks.forEach((r, i) => {
    const at = i * BLOCK;
    b.writeUInt32BE(r.ssrc >>> 0, at);
    b[at + 4] = r.fractionLost & 0xff;
    b.writeUIntBE(Math.max(-0x800000, Math.min(0x7fffff, r.cumulativeLost)) & 0xffffff, at + 5, 3);
    b.writeUInt32BE(r.highestSeq >>> 0, at + 8);
    b.writeUInt32BE(r.jitter >>> 0, at + 12);
    b.writeUInt32BE(r.lsr >>> 0, at + 16);
    b.writeUInt32BE(r.dlsr >>> 0, at + 20);
  });
  return b;
}

const pad4 = (b: Buffer): Buffer => (b.length % 4 === 0 ? b : Buffer.concat([b, Buffer.alloc(4 - (b.length % 4))]));

function serializeOne(p: RtcpPacket): Buffer {
  switch (p.type) {
    case 'sr': {
      const fixed = Buffer.alloc(24);
      fixed.writeUInt32BE(p.ssrc >>> 0, 0);
      fixed.writeUInt32BE(p.ntp.msw >>> 0, 4);
      fixed.writeUInt32BE(p.ntp.lsw >>> 0, 8);
      fixed.writeUInt32BE(p.rtpTimestamp >>> 0, 12);
      fixed.writeUInt32BE(p.packetCount >>> 0, 16);
      fixed.writeUInt32BE(p.octetCount >>> 0, 20);
      const body = Buffer.concat([fixed, writeBlocks(p.reports)]);
      return Buffer.concat([header(p.reports.length, PT_SR, body.length), body]);
    }
    case 'rr': {
      const ssrc = Buffer.alloc(4);
      ssrc.writeUInt32BE(p.ssrc >>> 0);
      const body = Buffer.concat([ssrc, writeBlocks(p.reports)]);
      return Buffer.concat([header(p.reports.length, PT_RR, body.length), body]);
    }
    case 'sdes': {
      const chunks = p.chunks.map((c) => {
        const ssrc = Buffer.alloc(4);
        ssrc.writeUInt32BE(c.ssrc >>> 0);
        const cname = c.cname === undefined ? Buffer.alloc(0) : Buffer.from(c.cname, 'utf8').subarray(0, 255);
        const item = c.cname === undefined ? Buffer.alloc(0) : Buffer.concat([Buffer.from([SDES_CNAME, cname.length]), cname]);
        // At least one null byte ends the items, then padding to a word.
        return pad4(Buffer.concat([ssrc, item, Buffer.alloc(1)]));
      });
      const body = Buffer.concat(chunks);
      return Buffer.concat([header(p.chunks.length, PT_SDES, body.length), body]);
    }
    case 'bye': {
      const ssrcs = Buffer.alloc(p.ssrcs.length * 4);
      p.ssrcs.forEach((s, i) => ssrcs.writeUInt32BE(s >>> 0, i * 4));
      const reason = p.reason ? Buffer.from(p.reason, 'utf8').subarray(0, 255) : undefined;
      const body = pad4(reason ? Buffer.concat([ssrcs, Buffer.from([reason.length]), reason]) : ssrcs);
      return Buffer.concat([header(p.ssrcs.length, PT_BYE, body.length), body]);
    }
    case 'xr': {
      const parts: Buffer[] = [];
      const ssrc = Buffer.alloc(4);
      ssrc.writeUInt32BE(p.ssrc >>> 0);
      parts.push(ssrc);
      if (p.rrtr) {
        const b = Buffer.alloc(12);
        b[0] = XR_RRTR;
        b.writeUInt16BE(2, 2);
        b.writeUInt32BE(p.rrtr.msw >>> 0, 4);
        b.writeUInt32BE(p.rrtr.lsw >>> 0, 8);
        parts.push(b);
      }
      if (p.dlrr.length > 0) {
        const b = Buffer.alloc(4 + 12 * p.dlrr.length);
        b[0] = XR_DLRR;
        b.writeUInt16BE(3 * p.dlrr.length, 2);
        p.dlrr.forEach((d, i) => {
          b.writeUInt32BE(d.ssrc >>> 0, 4 + i * 12);
          b.writeUInt32BE(d.lrr >>> 0, 8 + i * 12);
          b.writeUInt32BE(d.dlrr >>> 0, 12 + i * 12);
        });
        parts.push(b);
      }
      const body = Buffer.concat(parts);
      return Buffer.concat([header(0, PT_XR, body.length), body]);
    }
    case 'other':
      throw new Error(`cannot serialize RTCP packet type ${p.pt}`);
  }
}

/** A compound packet: a report (SR or RR) must come first (RFC 3550 §6.1). */
export function serializeRtcp(packets: RtcpPacket[]): Buffer {
  const first = packets[0];
  if (!first || (first.type !== 'sr' && first.type !== 'rr')) throw new Error('a compound RTCP packet starts with an SR or an RR');
  return Buffer.concat(packets.map(serializeOne));
}
