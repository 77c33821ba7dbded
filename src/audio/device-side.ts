import type { EventEmitter } from 'node:events';

/**
 * What a source or sink has when a device stands behind it: a start-up check
 * (a --device that does not exist fails there; a missing default device does
 * not, it is retried) and lines worth showing the user (device up, lost,
 * back). Sources and sinks say whether they have one, so callers never ask
 * which class they hold.
 */
export interface DeviceSide {
  check(): Promise<void>;
  readonly notices: EventEmitter<{ notice: [string] }>;
}
