// At most one delivery per interval however fast values arrive: the first goes
// out at once, later ones collapse into the newest, which goes out when the
// interval ends. Pure apart from the timer functions, which tests replace.

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface Throttle<T> {
  push(value: T): void;
  /** Drops whatever is pending; nothing is delivered after this. */
  cancel(): void;
}

export function createThrottle<T>(deliver: (value: T) => void, intervalMs: number, timers: Timers = realTimers): Throttle<T> {
  let timer: unknown;
  let pending: { value: T } | undefined;
  let cancelled = false;
  const tick = (): void => {
    timer = undefined;
    if (cancelled || !pending) return;
    const { value } = pending;
    pending = undefined;
    deliver(value);
    timer = timers.setTimeout(tick, intervalMs);
  };
  return {
    push(value) {
      if (cancelled) return;
      if (timer === undefined) {
        deliver(value);
        timer = timers.setTimeout(tick, intervalMs);
      } else {
        pending = { value };
      }
    },
    cancel() {
      cancelled = true;
      pending = undefined;
      if (timer !== undefined) timers.clearTimeout(timer);
      timer = undefined;
    },
  };
}

/** ~10 updates a second: enough for a meter's eye, and what Ink's maxFps draws (each frame redraws the whole screen). */
export const UI_INTERVAL_MS = 100;
