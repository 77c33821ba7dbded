// The rollover-counter search of a receiver that joins (or restarts) in the
// middle of an SRTP stream: RFC 3711 leaves it to the implementation. Pure
// apart from the injected clock; the caller checks each guess.

/**
 * A receiver joining mid-way searches the ROCs this much of the stream could
 * have reached at its measured packet rate: a wrap is 65536 packets, 11 min
 * at 100/s but under 3 min at 2.5 ms packets.
 */
const SEARCH_HOURS = 24;
/** ROCs searched until the rate is measured, and at least: ~11 h at 100 packets/s. */
const MIN_ROC_SPAN = 64;
/** Bounds the sweep (one guess a packet) whatever rate a flood measures as. */
const MAX_ROC_SPAN = 8192;
/** Arrivals over less than this say little about the rate. */
const RATE_AFTER_MS = 250;
/** Unknown SSRCs searched for at once; the one with the fewest packets makes room. */
const MAX_SEARCHES = 64;

/** The ROC search for one SSRC not authenticated yet. */
interface RocSearch {
  firstMs: number;
  packets: number;
  /** The next ROC to try (1 … span − 1; 0 is tried on every packet). */
  next: number;
}

/**
 * How many ROCs (0 … span − 1) SEARCH_HOURS of a stream can reach, from
 * `packets` of it seen over `elapsedMs`.
 */
export function rocSearchSpan(packets: number, elapsedMs: number): number {
  if (elapsedMs < RATE_AFTER_MS || packets < 2) return MIN_ROC_SPAN;
  const perSecond = ((packets - 1) * 1000) / elapsedMs;
  const wraps = Math.ceil((perSecond * SEARCH_HOURS * 3600) / 0x10000);
  return Math.min(MAX_ROC_SPAN, Math.max(MIN_ROC_SPAN, wraps + 1));
}

/**
 * One more ROC per packet of an SSRC's own (ROC 0 is the caller's): the search
 * costs about one HMAC a packet, and other SSRCs (junk, a flood) cannot use
 * up its turns.
 */
export class RocSearches {
  private readonly searches = new Map<number, RocSearch>();

  constructor(private readonly now: () => number) {}

  /** The ROC to try on this packet of `ssrc` (counted towards its rate). */
  next(ssrc: number): number {
    const now = this.now();
    let search = this.searches.get(ssrc);
    if (!search) {
      if (this.searches.size >= MAX_SEARCHES) this.searches.delete(this.fewestPackets());
      search = { firstMs: now, packets: 0, next: 1 };
      this.searches.set(ssrc, search);
    }
    search.packets++;
    if (search.next >= rocSearchSpan(search.packets, now - search.firstMs)) search.next = 1;
    return search.next++;
  }

  /** The SSRC authenticated: its search is over. */
  forget(ssrc: number): void {
    this.searches.delete(ssrc);
  }

  /** The search with the fewest packets, the oldest of those: one-off junk SSRCs make room for each other, not for a stream. */
  private fewestPackets(): number {
    let pick = 0;
    let fewest = Infinity;
    for (const [ssrc, s] of this.searches) {
      if (s.packets < fewest) {
        fewest = s.packets;
        pick = ssrc;
      }
    }
    return pick;
  }
}
