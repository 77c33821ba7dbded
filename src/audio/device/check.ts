// The start-up check of a device choice: a --device that does not exist is a
// usage mistake to stop on; a missing default device is not (it may appear,
// and the stream retries it).
import type { Logger } from 'pino';
import { UserError } from '../../shared/errors.js';
import { describeProblem, pickDevice } from './device-list.js';
import type { Direction } from './protocol.js';
import { DeviceError, listDevices } from './worker-process.js';

export async function checkDeviceChoice(direction: Direction, device: number | undefined, log: Logger): Promise<void> {
  let list;
  try {
    list = await listDevices(log);
  } catch (err) {
    if (err instanceof DeviceError && err.kind === 'unavailable') throw new UserError(describeProblem(direction, err.message), 1);
    // PortAudio misbehaved while listing: the stream will report and retry.
    log.warn({ err }, `could not list audio devices: ${(err as Error).message}`);
    return;
  }
  if (device === undefined) return;
  const pick = pickDevice(list, direction, device);
  if (!pick.ok) throw new UserError(`device ${device}: ${pick.message}`, 1, 'device-id');
}
