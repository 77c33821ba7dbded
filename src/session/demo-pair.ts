// The demo runs a sender and a receiver in one process as one run: the
// sender failing fails it, and the sender's source ending (a WAV file played
// to its end, --duration) ends it — once the receiver has played what it
// still holds, so the end of the file is heard, not cut off.
import type { Session } from './session.js';

/** What is left to play after the sender's last packet, beyond the buffered audio: the socket and a sink period or two. */
const TAIL_MS = 500;

export function pairDemo(sender: Session, receiver: Session): void {
  sender.on('error', (err) => receiver.emit('error', err));
  sender.on('end', (why?: string) => {
    const s = receiver.snapshot;
    const heldMs = s && s.role === 'receiver' ? Math.max(s.bufferMs ?? 0, s.targetMs) : 0;
    setTimeout(() => receiver.emit('end', why ?? 'source ended'), heldMs + TAIL_MS);
  });
}
