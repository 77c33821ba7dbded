// Pure device-list logic: naudiodon's raw lists in, what we show and pick out.
import type { AudioFormat } from '../../shared/audio-format.js';
import type { DeviceErrorKind, DeviceInfo, DeviceList, Direction } from './protocol.js';

/** The shape naudiodon's getDevices() returns (only the fields we use). */
export interface RawDevice {
  id: number;
  name: string;
  maxInputChannels: number;
  maxOutputChannels: number;
  defaultSampleRate: number;
  hostAPIName: string;
}

export interface RawHostApis {
  defaultHostAPI: number;
  HostAPIs: { defaultInput: number; defaultOutput: number }[];
}

/** PortAudio's paNoDevice (-1) arrives as an unsigned 32-bit number. */
function deviceIndex(n: number | undefined, count: number): number | null {
  if (n === undefined || !Number.isInteger(n) || n < 0 || n >= count) return null;
  return n;
}

export function toDeviceList(raw: RawDevice[], apis: RawHostApis): DeviceList {
  const devices = raw.map((d) => ({
    id: d.id,
    name: d.name,
    hostApi: d.hostAPIName,
    inputChannels: d.maxInputChannels,
    outputChannels: d.maxOutputChannels,
    defaultRate: d.defaultSampleRate,
  }));
  const api = apis.HostAPIs[apis.defaultHostAPI];
  return {
    devices,
    defaultInput: deviceIndex(api?.defaultInput, devices.length),
    defaultOutput: deviceIndex(api?.defaultOutput, devices.length),
  };
}

export function channelsFor(d: DeviceInfo, direction: Direction): number {
  return direction === 'input' ? d.inputChannels : d.outputChannels;
}

export type Pick = { ok: true; device: DeviceInfo } | { ok: false; kind: DeviceErrorKind; message: string };

/** The device to open: the id asked for, or the default of that direction. */
export function pickDevice(list: DeviceList, direction: Direction, id: number | null): Pick {
  const what = direction === 'input' ? 'input' : 'output';
  if (id === null) {
    const def = direction === 'input' ? list.defaultInput : list.defaultOutput;
    const device = def === null ? undefined : list.devices[def];
    if (!device || channelsFor(device, direction) < 1) {
      const seen = list.devices.length === 0 ? 'PortAudio finds no audio devices' : `no default ${what} device`;
      return { ok: false, kind: 'no-device', message: seen };
    }
    return { ok: true, device };
  }
  const device = list.devices.find((d) => d.id === id);
  if (!device) {
    const known = list.devices.length === 0 ? 'PortAudio finds no audio devices' : `ids are 0–${list.devices.length - 1}`;
    return { ok: false, kind: 'bad-device', message: `no audio device ${id} (${known})` };
  }
  if (channelsFor(device, direction) < 1) {
    return { ok: false, kind: 'bad-device', message: `device ${id} (${device.name}) has no ${what} channels` };
  }
  return { ok: true, device };
}

/**
 * The formats to open a device at, in order: the stream's (channels capped at
 * what the device has), then the device's own rate. Whatever opens, the
 * other side converts to the stream's format.
 */
export function formatsToTry(want: AudioFormat, device: DeviceInfo, direction: Direction): AudioFormat[] {
  const channels = Math.max(1, Math.min(want.channels, channelsFor(device, direction))) as 1 | 2;
  const first = { rate: want.rate, channels };
  if (!(device.defaultRate > 0) || device.defaultRate === want.rate) return [first];
  return [first, { rate: Math.round(device.defaultRate), channels }];
}

/** The one line a user sees when a device cannot be used, with what to try. */
export function describeProblem(direction: Direction, detail: string): string {
  const role = direction === 'input' ? 'microphone' : 'speaker';
  const instead = direction === 'input' ? '--source tone' : '--sink null';
  return `${role} unavailable: ${detail} — see \`streamer devices\`, or use ${instead}`;
}

/** `streamer devices`: a table with the defaults marked. */
export function formatDeviceTable(list: DeviceList): string {
  if (list.devices.length === 0) {
    return 'No audio devices found (no sound card, or the sound server is not running).\n' +
      'Streaming still works without one: --source tone or --source file:PATH.wav, --sink null or --sink file:PATH.wav.\n';
  }
  const idWidth = Math.max(2, ...list.devices.map((d) => String(d.id).length));
  const rows = list.devices.map((d) => {
    const marks = [d.id === list.defaultInput ? 'input' : '', d.id === list.defaultOutput ? 'output' : ''].filter(Boolean);
    return [
      `${marks.length ? '*' : ' '} ${String(d.id).padStart(idWidth)}`,
      d.name,
      d.hostApi,
      String(d.inputChannels),
      String(d.outputChannels),
      String(d.defaultRate),
      marks.length ? `default ${marks.join(', ')}` : '',
    ];
  });
  const head = [`  ${'ID'.padStart(idWidth)}`, 'NAME', 'API', 'IN', 'OUT', 'RATE', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const left = new Set([1, 2, 6]);
  const line = (r: string[]): string => r.map((c, i) => (left.has(i) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  const example = list.devices[0]!.id;
  return `${[line(head), ...rows.map(line)].join('\n')}\n\n* marks the default input/output. Choose one with --device ID (e.g. --device ${example}).\n`;
}
