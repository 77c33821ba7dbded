// The messages between the main process and the PortAudio worker, over the
// child's IPC channel with `serialization: 'advanced'` (Int16Array crosses
// as itself, no base64). PortAudio's own printf chatter goes to the child's
// stdout/stderr, which the parent pipes into its debug log.
import type { AudioFormat } from '../../shared/audio-format.js';

export type Direction = 'input' | 'output';

/** One PortAudio device as `streamer devices` shows it. */
export interface DeviceInfo {
  id: number;
  name: string;
  hostApi: string;
  inputChannels: number;
  outputChannels: number;
  defaultRate: number;
}

export interface DeviceList {
  devices: DeviceInfo[];
  /** PortAudio's default input/output device ids, null when there is none. */
  defaultInput: number | null;
  defaultOutput: number | null;
}

/**
 * Why a device could not be opened. `unavailable`: naudiodon itself does not
 * load. `no-device`: no default device (no sound card, sound server down).
 * `bad-device`: the id given does not exist or lacks the direction.
 * `open-failed`: PortAudio refused (busy, format, host error).
 */
export type DeviceErrorKind = 'unavailable' | 'no-device' | 'bad-device' | 'open-failed';

export interface OpenRequest {
  t: 'open';
  direction: Direction;
  /** PortAudio id, or null for the default device of that direction. */
  device: number | null;
  /** The format wanted; the worker opens at it when the device accepts it. */
  format: AudioFormat;
  /** Frames per device buffer (and per message). */
  chunkFrames: number;
}

export type ToWorker =
  | { t: 'list' }
  | OpenRequest
  /** Output: audio to play, in the opened format. */
  | { t: 'pcm'; pcm: Int16Array }
  | { t: 'close' };

export type FromWorker =
  | { t: 'devices'; list: DeviceList }
  /** The device runs; `format` is what it was opened at (it may differ from the request). */
  | { t: 'opened'; device: DeviceInfo; format: AudioFormat; chunkFrames: number }
  /** Input: one device buffer of audio. */
  | { t: 'pcm'; pcm: Int16Array }
  /**
   * Output: the device took one buffer. `frames` came from what the parent
   * sent; `starved` frames of silence filled in for audio that was not there.
   */
  | { t: 'consumed'; frames: number; starved: number }
  | { t: 'error'; kind: DeviceErrorKind; message: string };
