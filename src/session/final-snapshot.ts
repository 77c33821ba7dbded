// The numbers written at exit; pure.
import type { ReceiverSnapshot } from './receiver-snapshot.js';
import type { SenderSnapshot } from './sender.js';

type Snapshot = SenderSnapshot | ReceiverSnapshot;

/**
 * Counters as they stand at the end, with the per-second figures (bitrate,
 * levels, buffer, loop delay) taken from the last full one-second window.
 * The end sample covers only the sliver since the last tick — often a few
 * ms with no packet in it, which would read as 0 kbit/s and silence. With
 * no tick yet, the end sample covers the whole session and stands as is.
 */
export function finalFigures(lastWindow: Snapshot | undefined, atEnd: Snapshot): Snapshot {
  if (!lastWindow || lastWindow.role !== atEnd.role) return atEnd;
  const windowed = {
    bitrateKbps: lastWindow.bitrateKbps,
    peakDbfs: lastWindow.peakDbfs,
    rmsDbfs: lastWindow.rmsDbfs,
    loopDelayP99Ms: lastWindow.loopDelayP99Ms,
  };
  if (atEnd.role === 'receiver' && lastWindow.role === 'receiver') return { ...atEnd, ...windowed, bufferMs: lastWindow.bufferMs };
  return { ...atEnd, ...windowed };
}
