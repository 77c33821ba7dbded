// GStreamer as the judge of RTCP: an rtpbin sender or receiver of RTP/L16
// (PT 11, 44.1 kHz mono, 10 ms a packet) whose own view of the reports it
// got and sent is read back as numbers, and a UDP relay that drops every Nth
// packet so a test knows exactly what loss the reports must show.
//
// How the numbers are read: gst-launch cannot print rtpbin's "stats"
// structures, but with GST_DEBUG=rtpsource:5,rtpsession:5 GStreamer logs, at
// DEBUG level, the very values it stores in them:
//   rtpsource  "got RB packet: SSRC %08x, FL %2x, PL %d, HS %u, jitter %u, LSR %04x:%04x, DLSR %04x:%04x"
//                   → rb-fractionlost, rb-packetslost, rb-exthighestseq, rb-jitter, rb-lsr, rb-dlsr
//              "NTP %04x:%04x, round trip %04x:%04x"            → rb-round-trip (16.16 s)
//              "fraction %u, lost %d, extseq %u, jitter %d" + "LSR …, DLSR …"
//                   → sent-rb-* (the report block GStreamer itself sends)
//              "got SR packet: SSRC %08x, NTP …, RTP %u, PC %u, OC %u"
//   rtpsession "got RR packet: SSRC %08x", "got SDES packet with %d items",
//              "got RTCP XR packet, but ignored" (1.22 parses no XR), "got BYE packet",
//              "RB %d[ from SSRC %08x]: SSRC %08x, jitter %u" (whom a block is about),
//              "invalid RTCP packet received" (gst_rtcp_buffer_validate_reduced failed),
//              "create SR|RR for SSRC %08x" (its own SSRC), "sending RTCP packet".
// No extra packages: python3-gi + gir1.2-gstreamer-1.0 (both in Debian) would
// read the same structures through the rtpbin's "get-session" signal, but the
// debug lines are the same numbers and need only gstreamer1.0-tools.
//
// Ports: rtpbin's RTCP udpsink normally sends from an ephemeral port, so the
// peer's reports (sent to wherever the SR came from) would land nowhere. The
// sender binds its RTCP udpsink to the port its RTCP udpsrc listens on. Both
// bind with SO_REUSEPORT (GLib's g_socket_bind with allow_reuse), and two
// sockets on the same address:port share datagrams by a hash of the peer: half
// the peers' reports would reach the udpsink, which never reads. So the udpsrc
// binds 127.0.0.1:R and the udpsink 0.0.0.0:R: the more specific address wins
// every lookup (measured: 40 of 40 datagrams from 40 source ports reach the
// udpsrc; with both on 0.0.0.0, 20 of 40), and the SRs leave from 127.0.0.1:R.
import dgram from 'node:dgram';
import { sleep } from './cli.js';
import { tool, type Tool } from './interop.js';

export const L16_CAPS = 'application/x-rtp,media=audio,clock-rate=44100,encoding-name=L16,channels=1,payload=11';
export const CLOCK_RATE = 44100;

/** The environment that makes gst-launch log its RTCP numbers (and nothing per packet above DEBUG). */
export const GST_RTCP_ENV = { GST_DEBUG: 'rtpsession:5,rtpsource:5', GST_DEBUG_NO_COLOR: '1' } as const;

/** rtpbin's session sends RTCP every 5 s by default (rtcp-min-interval); 1 s is what streamer does. */
const rtcpInterval = (ms: number): string => `rtpsession0::rtcp-min-interval=${ms * 1_000_000}`;

// ————————————————————————————————————————————— what GStreamer logged, as numbers

/** A report block GStreamer received and stored (its source's rb-* stats). */
export interface ReceivedBlock {
  /** Seconds since gst-launch started (the debug line's clock). */
  atS: number;
  /** The SSRC GStreamer printed with it (1.22: the reporter's). */
  ssrc: number;
  /** rb-fractionlost: of 256, since the reporter's previous report. */
  fractionLost: number;
  /** rb-packetslost: cumulative. */
  packetsLost: number;
  /** rb-exthighestseq. */
  extHighestSeq: number;
  /** rb-jitter, in clock-rate units. */
  jitter: number;
  /** rb-lsr, rb-dlsr: 16.16 s (NTP short format). */
  lsr: number;
  dlsr: number;
  /** rb-round-trip: 16.16 s; 0 when GStreamer could not compute one (no LSR yet, or LSR+DLSR after now). */
  roundTrip: number | null;
  roundTripMs: number | null;
}

/** A report block GStreamer sent about a sender (its sent-rb-* stats). */
export interface SentBlock {
  atS: number;
  /** The sender it is about. */
  about: number | null;
  fractionLost: number;
  packetsLost: number;
  extHighestSeq: number;
  jitter: number;
  lsr: number | null;
  dlsr: number | null;
}

export interface ReceivedSr {
  atS: number;
  ssrc: number;
  rtpTimestamp: number;
  packetCount: number;
  octetCount: number;
}

export interface GstRtcpView {
  /** GStreamer's own SSRC ("create SR/RR for SSRC"), once it sent RTCP. */
  ownSsrc: number | null;
  /** RTCP packets GStreamer received and parsed, by type (within compound packets). */
  got: { compound: number; invalid: number; sr: number; rr: number; sdes: number; xr: number; bye: number; app: number; unknown: number };
  /** When each RR arrived, and from whom. */
  rrs: { atS: number; ssrc: number }[];
  /** SSRCs the report blocks it received are about (GStreamer keeps only those about its own SSRC). */
  blocksAbout: number[];
  srs: ReceivedSr[];
  received: ReceivedBlock[];
  sent: SentBlock[];
  /** Compound RTCP packets GStreamer sent. */
  sentRtcp: number;
}

const hex = (s: string): number => Number.parseInt(s, 16);
const short = (hi: string, lo: string): number => ((hex(hi) << 16) | hex(lo)) >>> 0;

function clockS(line: string): number {
  const m = /^(\d+):(\d\d):(\d\d\.\d+)/.exec(line);
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : Number.NaN;
}

/** Reads GStreamer's RTCP numbers out of its stderr under GST_RTCP_ENV. Pure: unit-testable on a saved log. */
export function parseGstRtcp(stderr: string): GstRtcpView {
  const view: GstRtcpView = {
    ownSsrc: null,
    got: { compound: 0, invalid: 0, sr: 0, rr: 0, sdes: 0, xr: 0, bye: 0, app: 0, unknown: 0 },
    rrs: [],
    blocksAbout: [],
    srs: [],
    received: [],
    sent: [],
    sentRtcp: 0,
  };
  let pendingRtt: ReceivedBlock | undefined;
  let pendingSent: SentBlock | undefined;
  let about: number | null = null;
  const own = new Set<number>();
  let m: RegExpExecArray | null;
  for (const line of stderr.split('\n')) {
    if (!line.includes(' DEBUG ') && !line.includes(' WARN ')) continue;
    const atS = clockS(line);
    if ((m = /rtp_source_process_rb: got RB packet: SSRC ([0-9a-f]{8}), FL +([0-9a-f]+), PL (-?\d+), HS (\d+), jitter (\d+), LSR ([0-9a-f]{4}):([0-9a-f]{4}), DLSR ([0-9a-f]{4}):([0-9a-f]{4})/.exec(line))) {
      const block: ReceivedBlock = {
        atS,
        ssrc: hex(m[1]!),
        fractionLost: hex(m[2]!),
        packetsLost: Number(m[3]),
        extHighestSeq: Number(m[4]),
        jitter: Number(m[5]),
        lsr: short(m[6]!, m[7]!),
        dlsr: short(m[8]!, m[9]!),
        roundTrip: null,
        roundTripMs: null,
      };
      // Newer GStreamers store one block twice (in the internal and the remote source): count it once.
      const prev = view.received.at(-1);
      const same = prev && Math.abs(prev.atS - atS) < 0.01 && prev.packetsLost === block.packetsLost && prev.extHighestSeq === block.extHighestSeq && prev.lsr === block.lsr && prev.dlsr === block.dlsr;
      if (!same) view.received.push(block);
      pendingRtt = same ? prev : block;
    } else if ((m = /rtp_source_process_rb: NTP [0-9a-f]{4}:[0-9a-f]{4}, round trip ([0-9a-f]{4}):([0-9a-f]{4})/.exec(line))) {
      if (pendingRtt) {
        pendingRtt.roundTrip = short(m[1]!, m[2]!);
        pendingRtt.roundTripMs = (pendingRtt.roundTrip / 65536) * 1000;
        pendingRtt = undefined;
      }
    } else if ((m = /rtp_source_get_new_rb: add RR for SSRC ([0-9a-f]{8})/.exec(line))) {
      about = hex(m[1]!);
    } else if ((m = /rtp_source_get_new_rb: fraction (\d+), lost (-?\d+), extseq (\d+), jitter (-?\d+)/.exec(line))) {
      pendingSent = { atS, about, fractionLost: Number(m[1]), packetsLost: Number(m[2]), extHighestSeq: Number(m[3]), jitter: Number(m[4]), lsr: null, dlsr: null };
      view.sent.push(pendingSent);
    } else if ((m = /rtp_source_get_new_rb: LSR ([0-9a-f]{4}):([0-9a-f]{4}), DLSR ([0-9a-f]{4}):([0-9a-f]{4})/.exec(line))) {
      if (pendingSent) {
        pendingSent.lsr = short(m[1]!, m[2]!);
        pendingSent.dlsr = short(m[3]!, m[4]!);
        pendingSent = undefined;
      }
    } else if ((m = /rtp_source_process_sr: got SR packet: SSRC ([0-9a-f]{8}), NTP [0-9a-f]{8}:[0-9a-f]{8}, RTP (\d+), PC (\d+), OC (\d+)/.exec(line))) {
      // A sender also "processes" each SR it makes itself: those are dropped below, by SSRC.
      view.srs.push({ atS, ssrc: hex(m[1]!), rtpTimestamp: Number(m[2]), packetCount: Number(m[3]), octetCount: Number(m[4]) });
    } else if (/rtp_session_process_sr: got SR packet/.test(line)) {
      view.got.sr++;
    } else if ((m = /rtp_session_process_rr: got RR packet: SSRC ([0-9a-f]{8})/.exec(line))) {
      view.got.rr++;
      view.rrs.push({ atS, ssrc: hex(m[1]!) });
    } else if ((m = /rtp_session_process_rb: RB \d+(?: from SSRC [0-9a-f]{8})?: SSRC ([0-9a-f]{8})/.exec(line))) {
      view.blocksAbout.push(hex(m[1]!));
    } else if (/rtp_session_process_sdes: got SDES packet/.test(line)) {
      view.got.sdes++;
    } else if (/got RTCP XR packet/.test(line)) {
      view.got.xr++;
    } else if (/rtp_session_process_bye: got BYE packet/.test(line)) {
      view.got.bye++;
    } else if (/rtp_session_process_app: received APP/.test(line)) {
      view.got.app++;
    } else if (/got unknown RTCP packet type/.test(line)) {
      view.got.unknown++;
    } else if (/rtp_session_process_rtcp: received RTCP packet$/.test(line.trimEnd())) {
      view.got.compound++;
    } else if (/invalid RTCP packet received/.test(line)) {
      view.got.invalid++;
    } else if ((m = /session_start_rtcp: create [SR]R for SSRC ([0-9a-f]{8})/.exec(line))) {
      view.ownSsrc = hex(m[1]!);
      own.add(view.ownSsrc);
    } else if (/rtp_session_on_timeout: .*sending RTCP packet/.test(line)) {
      view.sentRtcp++;
    }
  }
  view.srs = view.srs.filter((sr) => !own.has(sr.ssrc));
  return view;
}

/** A one-line account of a view, for assertion messages. */
export function describeView(v: GstRtcpView): string {
  const last = v.received.at(-1);
  const sent = v.sent.at(-1);
  return [
    `own SSRC ${v.ownSsrc?.toString(16) ?? '?'}`,
    `got ${JSON.stringify(v.got)}`,
    `blocks about [${[...new Set(v.blocksAbout)].map((s) => s.toString(16)).join(',')}]`,
    last ? `last RB got: lost ${last.packetsLost}, fraction ${last.fractionLost}/256, HS ${last.extHighestSeq}, jitter ${last.jitter}, LSR ${last.lsr.toString(16)}, DLSR ${last.dlsr}, rtt ${last.roundTripMs?.toFixed(2)} ms` : 'no RB got',
    sent ? `last RB sent: lost ${sent.packetsLost}, fraction ${sent.fractionLost}/256, HS ${sent.extHighestSeq}, jitter ${sent.jitter}` : 'no RB sent',
    `${v.sentRtcp} RTCP sent`,
  ].join('; ');
}

// ————————————————————————————————————————————— pipelines

export interface GstPeer extends Tool {
  /** What GStreamer has logged so far, as numbers. */
  view: () => GstRtcpView;
  /** Polls view() until `ok` holds; returns the view either way (a test asserts on it). */
  waitFor: (ok: (v: GstRtcpView) => boolean, timeoutMs: number) => Promise<GstRtcpView>;
  args: string[];
}

function peer(args: string[], cwd: string, timeoutMs: number): GstPeer {
  const t = tool('gst-launch-1.0', args, { cwd, timeoutMs, env: { ...process.env, ...GST_RTCP_ENV } });
  const view = (): GstRtcpView => parseGstRtcp(t.stderr());
  const waitFor = async (ok: (v: GstRtcpView) => boolean, ms: number): Promise<GstRtcpView> => {
    const until = Date.now() + ms;
    let exited = false;
    void t.exited.then(() => (exited = true));
    for (;;) {
      const v = view();
      if (ok(v) || exited || Date.now() > until) return v;
      await sleep(100);
    }
  };
  return { ...t, view, waitFor, args };
}

export interface GstSenderOptions {
  cwd: string;
  /** Where RTP goes (the relay, or the receiver). */
  rtpPort: number;
  /** Where SRs go (the receiver's RTP port + 1); null: it sends no RTCP, only listens for reports. */
  rtcpPort: number | null;
  /** The port the SRs leave from and the receiver's reports are read on. */
  reportPort: number;
  /** The port RTP leaves from (default: an ephemeral one). */
  rtpBindPort?: number;
  host?: string;
  freq?: number;
  /** Stop after this many 10 ms packets (EOS, then BYE); default: until stopped. */
  packets?: number;
  rtcpIntervalMs?: number;
  timeoutMs?: number;
}

/**
 * (a) GStreamer sends RTP/L16 with RTCP through rtpbin, as in its rtpbin
 * documentation, and reads the receiver's reports on `reportPort`, the port its
 * SRs leave from:
 *
 *   rtpbin name=rb audiotestsrc is-live=true ! audio/x-raw,format=S16BE,rate=44100,channels=1
 *     ! rtpL16pay pt=11 ! rb.send_rtp_sink_0
 *   rb.send_rtp_src_0 ! udpsink host=H port=RTP
 *   rb.send_rtcp_src_0 ! udpsink host=H port=RTCP bind-port=R sync=false async=false
 *   udpsrc address=127.0.0.1 port=R ! rb.recv_rtcp_sink_0
 */
export function gstSender(o: GstSenderOptions): GstPeer {
  const host = o.host ?? '127.0.0.1';
  const rtcpOut =
    o.rtcpPort === null
      ? ['fakesink', 'sync=false', 'async=false']
      : ['udpsink', `host=${host}`, `port=${o.rtcpPort}`, `bind-port=${o.reportPort}`, 'sync=false', 'async=false'];
  const args = [
    'rtpbin', 'name=rb', rtcpInterval(o.rtcpIntervalMs ?? 1000),
    'audiotestsrc', 'is-live=true', `freq=${o.freq ?? 1000}`, 'samplesperbuffer=441', ...(o.packets ? [`num-buffers=${o.packets}`] : []),
    '!', 'audio/x-raw,format=S16BE,rate=44100,channels=1',
    '!', 'rtpL16pay', 'pt=11', '!', 'rb.send_rtp_sink_0',
    'rb.send_rtp_src_0', '!', 'udpsink', `host=${host}`, `port=${o.rtpPort}`, ...(o.rtpBindPort ? [`bind-port=${o.rtpBindPort}`] : []),
    'rb.send_rtcp_src_0', '!', ...rtcpOut,
    'udpsrc', 'address=127.0.0.1', `port=${o.reportPort}`, '!', 'rb.recv_rtcp_sink_0',
  ];
  return peer(args, o.cwd, o.timeoutMs ?? 60_000);
}

export interface GstReceiverOptions {
  cwd: string;
  /** RTP on this port, RTCP (the sender's SRs) on port + 1. */
  port: number;
  /** Where its RRs go; null: it sends no RTCP at all (a peer without RTCP). */
  reportTo: { host?: string; port: number } | null;
  rtcpIntervalMs?: number;
  timeoutMs?: number;
}

/**
 * (b) GStreamer receives RTP/L16 through rtpbin, RTP on P and the SRs on P+1,
 * and sends its RRs to `reportTo`:
 *
 *   rtpbin name=rb
 *   udpsrc port=P caps="application/x-rtp,…" ! rb.recv_rtp_sink_0
 *   udpsrc port=P+1 ! rb.recv_rtcp_sink_0
 *   rb. ! rtpL16depay ! fakesink
 *   rb.send_rtcp_src_0 ! udpsink host=H port=Q sync=false async=false     (or ! fakesink: no RTCP)
 */
export function gstReceiver(o: GstReceiverOptions): GstPeer {
  const out = o.reportTo
    ? ['udpsink', `host=${o.reportTo.host ?? '127.0.0.1'}`, `port=${o.reportTo.port}`, 'sync=false', 'async=false']
    : ['fakesink', 'sync=false', 'async=false'];
  const args = [
    'rtpbin', 'name=rb', rtcpInterval(o.rtcpIntervalMs ?? 1000),
    'udpsrc', `port=${o.port}`, `caps=${L16_CAPS}`, '!', 'rb.recv_rtp_sink_0',
    'udpsrc', `port=${o.port + 1}`, '!', 'rb.recv_rtcp_sink_0',
    'rb.', '!', 'rtpL16depay', '!', 'fakesink', 'sync=false',
    'rb.send_rtcp_src_0', '!', ...out,
  ];
  return peer(args, o.cwd, o.timeoutMs ?? 60_000);
}

// ————————————————————————————————————————————— a lossy link in user space

export interface Relay {
  /** The port it listens on (send here instead of to the target). */
  port: number;
  /** Datagrams forwarded / dropped on purpose. */
  forwarded: number;
  dropped: number;
  /** RTP sequence number of the last datagram forwarded (null before one, or when it is not RTP). */
  lastSeq: number | null;
  /**
   * Datagrams that reached the relay's port from anyone but its first client,
   * or its port + 1 (with watchNextPort): where a receiver's reports would go if
   * it answered the RTP source (port + 1) rather than where the SRs came from.
   */
  strays: { to: 'port' | 'port+1'; from: number; bytes: number }[];
  /** Stops forwarding (what arrives is neither forwarded nor counted as dropped): the link goes quiet at a packet boundary. */
  hold: () => void;
  /** Forwards to another port from now on (e.g. once a port is known from a log). */
  retarget: (port: number) => void;
  close: () => Promise<void>;
}

function bindUdp(port: number): Promise<dgram.Socket> {
  const sock = dgram.createSocket('udp4');
  return new Promise((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(port, '127.0.0.1', () => {
      sock.removeListener('error', reject);
      sock.on('error', () => undefined);
      resolve(sock);
    });
  });
}

/** Closes a socket; closing one already closed is a no-op (a test's cleanup may run twice). */
function closeUdp(sock: dgram.Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      sock.close(() => resolve());
    } catch {
      resolve();
    }
  });
}

/**
 * A UDP relay on 127.0.0.1 that forwards each datagram from its first client
 * to `to` (on `host`), from its own socket, dropping the `dropEvery`-th,
 * 2×`dropEvery`-th, … (0: drops none). `to` may be null until retarget():
 * datagrams before then are not forwarded. `port` (with port + 1 free when
 * watchNextPort) comes from freePortPair() or is chosen by the system.
 */
export async function dropRelay(o: { to: number | null; dropEvery: number; host?: string; port?: number; watchNextPort?: boolean }): Promise<Relay> {
  const host = o.host ?? '127.0.0.1';
  const sock = await bindUdp(o.port ?? 0);
  const port = sock.address().port;
  const next = o.watchNextPort ? await bindUdp(port + 1) : undefined;
  let target = o.to;
  let client: number | undefined;
  let held = false;
  let seen = 0;
  const relay: Relay = {
    port,
    forwarded: 0,
    dropped: 0,
    lastSeq: null,
    strays: [],
    hold: () => (held = true),
    retarget: (p) => (target = p),
    close: async () => {
      await closeUdp(sock);
      if (next) await closeUdp(next);
    },
  };
  next?.on('message', (msg, rinfo) => relay.strays.push({ to: 'port+1', from: rinfo.port, bytes: msg.length }));
  sock.on('message', (msg, rinfo) => {
    client ??= rinfo.port;
    if (rinfo.port !== client) {
      relay.strays.push({ to: 'port', from: rinfo.port, bytes: msg.length });
      return;
    }
    if (held || target === null) return;
    seen++;
    if (o.dropEvery > 0 && seen % o.dropEvery === 0) {
      relay.dropped++;
      return;
    }
    relay.forwarded++;
    relay.lastSeq = msg.length >= 12 && msg[0]! >> 6 === 2 ? msg.readUInt16BE(2) : null;
    sock.send(msg, target, host);
  });
  return relay;
}

// ————————————————————————————————————————————— RTCP as it went over the wire

export interface WirePacket {
  pt: number;
  /** The 5-bit count field: report blocks (SR/RR), chunks (SDES), SSRCs (BYE). */
  count: number;
  bytes: number;
  /** XR: the block types it carries (4 = RRTR, 5 = DLRR). */
  xrBlocks?: number[];
  /** SDES: the CNAME of its first chunk. */
  cname?: string;
}

/** Walks a compound RTCP datagram by its headers alone (RFC 3550 §6.1): independent of streamer's parser. */
export function walkRtcp(buf: Buffer): { ok: true; packets: WirePacket[] } | { ok: false; why: string } {
  const packets: WirePacket[] = [];
  let at = 0;
  while (at < buf.length) {
    if (buf.length - at < 4) return { ok: false, why: `${buf.length - at} stray bytes at ${at}` };
    if (buf[at]! >> 6 !== 2) return { ok: false, why: `version ${buf[at]! >> 6} at ${at}` };
    const bytes = (buf.readUInt16BE(at + 2) + 1) * 4;
    if (at + bytes > buf.length) return { ok: false, why: `length ${bytes} at ${at} overruns ${buf.length}` };
    const p: WirePacket = { pt: buf[at + 1]!, count: buf[at]! & 0x1f, bytes };
    if (p.pt === 207) {
      p.xrBlocks = [];
      for (let b = at + 8; b + 4 <= at + bytes; b += (buf.readUInt16BE(b + 2) + 1) * 4) p.xrBlocks.push(buf[b]!);
    }
    if (p.pt === 202 && bytes >= 10 && buf[at + 8] === 1) p.cname = buf.subarray(at + 10, at + 10 + buf[at + 9]!).toString('utf8');
    packets.push(p);
    at += bytes;
  }
  return { ok: true, packets };
}

export interface RtcpProxy {
  port: number;
  /** Datagrams that came back (the target's reports), as walked, with when they arrived (ms since the proxy opened). */
  back: { atMs: number; from: number; walk: ReturnType<typeof walkRtcp> }[];
  /** Datagrams forwarded to the target. */
  forth: number;
  close: () => Promise<void>;
}

/**
 * A two-way UDP proxy on 127.0.0.1 that records what the target sends back:
 * what its client (the first to send to it) sends goes to `to` from the proxy's
 * port, and what anyone else sends to it (the target's reports, from whatever
 * port) is recorded and goes back to the client. The target sees the client's RTCP coming
 * from the proxy's port, and answers there if it answers where RTCP came from.
 */
export async function rtcpProxy(o: { to: number }): Promise<RtcpProxy> {
  const sock = await bindUdp(0);
  let client: number | undefined;
  const t0 = Date.now();
  const proxy: RtcpProxy = {
    port: sock.address().port,
    back: [],
    forth: 0,
    close: () => closeUdp(sock),
  };
  sock.on('message', (msg, rinfo) => {
    client ??= rinfo.port;
    if (rinfo.port === client) {
      proxy.forth++;
      sock.send(msg, o.to, '127.0.0.1');
      return;
    }
    proxy.back.push({ atMs: Date.now() - t0, from: rinfo.port, walk: walkRtcp(msg) });
    sock.send(msg, client, '127.0.0.1');
  });
  return proxy;
}
