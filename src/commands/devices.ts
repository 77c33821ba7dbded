// `streamer devices`: PortAudio's devices, asked of a worker process so
// PortAudio's own chatter never reaches the terminal.
import { formatDeviceTable, pickDevice } from '../audio/device/device-list.js';
import type { DeviceList } from '../audio/device/protocol.js';
import { DeviceError, listDevices } from '../audio/device/worker-process.js';
import { UserError } from '../shared/errors.js';
import type { LogLevel } from '../logging/log-line.js';
import { silentLogger } from '../logging/logger.js';
import { openLogger } from './build-config.js';

export async function runDevices(opts: { json?: boolean; logFile?: string; logLevel?: LogLevel }): Promise<void> {
  const logger = opts.logFile
    ? openLogger({ file: opts.logFile, maxSize: '5M', maxFiles: 3, level: opts.logLevel ?? 'info', stderr: false })
    : silentLogger();
  let list: DeviceList;
  try {
    list = await listDevices(logger.child('audio'));
  } catch (err) {
    const why = err instanceof DeviceError ? err.message : String(err);
    throw new UserError(`cannot list audio devices: ${why} — --source tone and --sink null work without any`, 1);
  } finally {
    await logger.close();
  }
  process.stdout.write(opts.json ? `${JSON.stringify(list)}\n` : formatDeviceTable(list));
}

/** The default input and output, when PortAudio has them (for `streamer demo`). */
export async function defaultDevices(device: number | undefined): Promise<{ input: boolean; output: boolean }> {
  try {
    const list = await listDevices(silentLogger().child('audio'));
    const id = device ?? null;
    return { input: pickDevice(list, 'input', id).ok, output: pickDevice(list, 'output', id).ok };
  } catch {
    return { input: false, output: false };
  }
}
