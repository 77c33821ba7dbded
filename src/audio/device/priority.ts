// The audio worker's scheduling priority. On a busy machine a worker at the
// default priority can be kept off the CPU for 50–200 ms, longer than the
// audio queued below it (naudiodon's chunk and the sound server's buffer):
// the device then plays silence nobody sees and the delay jumps. PulseAudio
// raises its own threads to nice -11 for the same reason. Asked for before
// PortAudio starts its callback thread, which inherits it (Linux nice is per
// thread). Without permission (most desktop users have none) the worker
// simply runs at its inherited priority. Pure: the OS calls are passed in.

/** PulseAudio's own default (daemon.conf `nice-level`). */
export const WORKER_NICE = -11;

export interface PriorityCalls {
  get: () => number;
  set: (nice: number) => void;
}

/** Raises the calling thread to `nice` unless it already runs at that or higher; one line saying what happened. */
export function raisePriority(os: PriorityCalls, nice = WORKER_NICE): string {
  let current: number;
  try {
    current = os.get();
  } catch (err) {
    return `audio worker: priority unknown (${describe(err)}); left as it is`;
  }
  if (current <= nice) return `audio worker: nice ${current} already`;
  try {
    os.set(nice);
    return `audio worker: nice ${nice} (was ${current})`;
  } catch (err) {
    return `audio worker: nice ${current} (${nice} not allowed: ${describe(err)})`;
  }
}

/** The errno name: Node's SystemError keeps it in `info.code` (`code` is ERR_SYSTEM_ERROR). */
function describe(err: unknown): string {
  const e = err as { code?: unknown; info?: { code?: unknown } };
  const code = e.info?.code ?? e.code;
  return typeof code === 'string' ? code : err instanceof Error ? err.message : String(err);
}
