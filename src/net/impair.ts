/** What the sender's `--sim-*` flags do to its own stream, for trying a receiver. */
export interface ImpairOptions {
  lossPercent: number;
  jitterMs: number;
  reorderPercent: number;
  dupPercent: number;
  /** --sim-seed: the same packets' fates on every run (two runs compared under the same loss). */
  seed?: number;
}

/** A small seeded generator (mulberry32): uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ImpairCounts {
  dropped: number;
  duplicated: number;
  reordered: number;
  delayed: number;
}

export function impairmentActive(o: ImpairOptions): boolean {
  return o.lossPercent > 0 || o.jitterMs > 0 || o.reorderPercent > 0 || o.dupPercent > 0;
}

/**
 * Decides each packet's fate with an injected random source; `deliver` is
 * called now or after `schedule`'s delay. Reordering holds a packet back
 * and sends it after the next one.
 */
export class Impairer {
  readonly counts: ImpairCounts = { dropped: 0, duplicated: 0, reordered: 0, delayed: 0 };
  private held: Buffer | undefined;
  private inFlight = 0;
  private idle: (() => void)[] = [];

  constructor(
    private readonly opts: ImpairOptions,
    private readonly deliver: (packet: Buffer) => void,
    private readonly random: () => number = opts.seed !== undefined ? seededRandom(opts.seed) : Math.random,
    private readonly schedule: (fn: () => void, ms: number) => void = (fn, ms) => void setTimeout(fn, ms),
  ) {}

  push(packet: Buffer): void {
    if (this.random() * 100 < this.opts.lossPercent) {
      this.counts.dropped++;
      return;
    }
    const copies = this.random() * 100 < this.opts.dupPercent ? 2 : 1;
    if (copies === 2) this.counts.duplicated++;
    if (!this.held && this.random() * 100 < this.opts.reorderPercent) {
      this.held = packet;
      this.counts.reordered++;
      if (copies === 2) this.send(packet);
      return;
    }
    for (let i = 0; i < copies; i++) this.send(packet);
    if (this.held) {
      const h = this.held;
      this.held = undefined;
      this.send(h);
    }
  }

  /** Sends a packet still held for reordering (at the end of a stream). */
  flush(): void {
    if (this.held) this.deliver(this.held);
    this.held = undefined;
  }

  /** Resolves once every delayed packet has gone out: the end of a stream waits for its jittered tail. */
  drained(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private send(packet: Buffer): void {
    if (this.opts.jitterMs > 0) {
      const d = this.random() * this.opts.jitterMs;
      this.counts.delayed++;
      this.inFlight++;
      this.schedule(() => {
        this.deliver(packet);
        if (--this.inFlight === 0) for (const f of this.idle.splice(0)) f();
      }, d);
    } else {
      this.deliver(packet);
    }
  }
}
