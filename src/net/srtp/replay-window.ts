// The replay list of RFC 3711 §3.3.2, shared by SRTP and SRTCP: the highest
// packet index authenticated so far and a 64-bit mask of the ones just
// before it. Callers check `fresh` after the tag and `mark` only then, so a
// forged packet never moves the window.

export const REPLAY_WINDOW = 64;
const MASK = (1n << BigInt(REPLAY_WINDOW)) - 1n;

export class ReplayWindow {
  /** Bit k set: index highest − k has been received. */
  private bits = 1n;

  constructor(public highest: number) {}

  /** False for an index already seen or older than the window. */
  fresh(index: number): boolean {
    if (index > this.highest) return true;
    const age = this.highest - index;
    if (age >= REPLAY_WINDOW) return false;
    return (this.bits & (1n << BigInt(age))) === 0n;
  }

  /** Records an authenticated index; true when it is the new highest. */
  mark(index: number): boolean {
    if (index > this.highest) {
      const shift = index - this.highest;
      this.bits = shift >= REPLAY_WINDOW ? 1n : ((this.bits << BigInt(shift)) | 1n) & MASK;
      this.highest = index;
      return true;
    }
    this.bits |= 1n << BigInt(this.highest - index);
    return false;
  }
}
