// The receiver's RTP socket, on one of two paths (README "Receive path"):
// - batch (Linux, native/recv built): the socket is read with recvmmsg before
//   every pull of the sink, each datagram with the kernel's receive time, so
//   the process wakes once per sink tick instead of once per datagram, and
//   its own stalls are not counted as network jitter;
// - dgram (elsewhere, or STREAMER_RECV=dgram, or a multicast group): Node
//   wakes per datagram; a sink without a device clock then pulls on those
//   wake-ups (Receiver.awake) and keeps its own timer for silence.
import type { Logger } from 'pino';
import { BatchUdpReceiver } from '../net/transport/batch-udp.js';
import { loadNativeRecv, recvChoice } from '../net/transport/native-recv.js';
import { isMulticast, type MulticastOptions } from '../net/multicast.js';
import { UdpReceiver, type Peer } from '../net/transport/udp-transport.js';
import { UserError } from '../shared/errors.js';
import { SINK_PULL_MS } from './open-audio.js';
import type { Receiver } from './receiver.js';
import { MAX_CLOCKLESS_WAKE_MS } from './clockless-wake.js';

export type RtpSocket = UdpReceiver | BatchUdpReceiver;
export type RtpHandler = (datagram: Buffer, from: Peer, arrivalMs?: number, batchMs?: number) => void;

/**
 * `replayWakeMs`: the sink has no device clock and will wake every that many
 * ms at first (AudioSink.batchWakes; then as the packet rate allows, see
 * clockless-wake.ts): the batch reader then hands datagrams to each replayed
 * pull by arrival time, and looks in by itself (every two sink periods) only
 * when no pull has come for two such wake-ups.
 */
export async function listenRtp(bind: string, port: number, mc: MulticastOptions, rx: Receiver, onPacket: RtpHandler, log: Logger, replayWakeMs?: number): Promise<RtpSocket> {
  const choice = recvChoice();
  const native = isMulticast(bind) ? { why: 'a multicast group (Node joins it)' } : loadNativeRecv(choice);
  if ('mod' in native) {
    // Read while nothing pulls too (before the stream starts, a speaker still opening): two sink periods at most.
    const b = BatchUdpReceiver.listen(native.mod, bind, port, { idleMs: 2 * SINK_PULL_MS, pulledWithinMs: 2 * (replayWakeMs ?? SINK_PULL_MS) });
    b.onDatagram(onPacket);
    if (replayWakeMs === undefined) {
      rx.readBeforePull((_upTo, bySink) => b.drain(Infinity, bySink));
      log.debug({ recvPath: 'batch' }, 'receive path: recvmmsg batches, read on each sink pull, kernel receive timestamps (native/recv)');
    } else {
      rx.readBeforePull((upToMs, bySink) => b.drain(upToMs, bySink), true);
      log.debug(
        { recvPath: 'batch', wakeMs: replayWakeMs },
        `receive path: recvmmsg batches with kernel receive timestamps (native/recv); the clockless sink wakes every ${replayWakeMs} ms (then up to every ${MAX_CLOCKLESS_WAKE_MS} ms, as the packet rate allows) and replays its ${SINK_PULL_MS} ms pulls at their due times`,
      );
    }
    return b;
  }
  if (choice === 'native') throw new UserError(`STREAMER_RECV=native, but the batch reader is not available: ${native.why}`, 1);
  const udp = await UdpReceiver.listen(bind, port, mc);
  rx.readBeforePull(undefined);
  udp.on('packet', (buf, peer) => {
    rx.awake(); // what was due before this datagram came is pulled without it, as a timer would have
    onPacket(buf, peer);
  });
  log.debug({ recvPath: 'dgram', why: native.why }, `receive path: Node dgram, one wake-up per datagram, arrival = when JavaScript reads it (${native.why})`);
  return udp;
}
