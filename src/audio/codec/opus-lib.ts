// libopus through @evan/opus's WebAssembly build, called at its raw C API.
// The package's own Decoder passes decode_fec = 0 and takes no empty packet,
// so it can do neither in-band FEC nor the decoder's loss concealment; its
// module exports opus_decode(st, data, len, pcm, frame_size, decode_fec)
// itself, which does both. The wasm ships inside the npm tarball: no
// install script, no download, the same code on every machine.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';

// lib "dom" is not in the build, so the few WebAssembly names used here are declared.
interface WasmMemory { readonly buffer: ArrayBuffer }
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  compile(bytes: Uint8Array): Promise<object>;
  Instance: new (module: object, imports: object) => { exports: unknown };
  validate(bytes: Uint8Array): boolean;
};

interface OpusExports {
  memory: WasmMemory;
  _initialize?: () => void;
  malloc(n: number): number;
  free(p: number): void;
  opus_strerror(code: number): number;
  opus_decoder_get_size(channels: number): number;
  opus_decoder_init(st: number, rate: number, channels: number): number;
  opus_decode(st: number, data: number, len: number, pcm: number, frameSize: number, decodeFec: number): number;
  opus_decoder_ctl_set(st: number, cmd: number, arg: number): number;
  opus_decoder_ctl_get(st: number, cmd: number): number;
  opus_encoder_get_size(channels: number): number;
  opus_encoder_init(st: number, rate: number, channels: number, application: number): number;
  opus_encode(st: number, pcm: number, frameSize: number, data: number, maxBytes: number): number;
  opus_encoder_ctl_set(st: number, cmd: number, arg: number): number;
  opus_encoder_ctl_get(st: number, cmd: number): number;
}

// opus_defines.h
export const OPUS_APPLICATION_AUDIO = 2049;
export const OPUS_SET_BITRATE = 4002;
export const OPUS_SET_INBAND_FEC = 4012;
export const OPUS_SET_PACKET_LOSS_PERC = 4014;
export const OPUS_SET_DTX = 4016;
export const OPUS_SET_COMPLEXITY = 4010;
export const OPUS_RESET_STATE = 4028;

/** The largest frame libopus makes or takes: 120 ms at 48 kHz. */
export const MAX_FRAME_SAMPLES = 5760;
/** RFC 6716 §3.2.1: no packet is longer (one frame is at most 1275 bytes; a packet may hold several). */
export const MAX_PACKET_BYTES = 1500;

export class OpusError extends Error {}

let lib: OpusLib | undefined;

/** The one instance of the module (libopus keeps no global state; each coder owns its memory). */
export function opusLib(): OpusLib {
  lib ??= new OpusLib(new WebAssembly.Module(wasmBytes()));
  return lib;
}

/**
 * Compiles the module ahead of the stream, off the main thread and straight
 * to V8's optimising tier. Left to itself V8 runs new wasm in its baseline
 * tier first, and libopus there takes ~10× longer a frame for the first
 * couple of seconds: a sender falls behind its capture at the start. A
 * session using Opus awaits this before its audio starts.
 */
export async function preloadOpus(): Promise<void> {
  if (lib) return;
  const bytes = await readFile(wasmPath());
  setFlagsFromString('--no-liftoff');
  setFlagsFromString('--no-wasm-lazy-compilation');
  let mod: object;
  try {
    mod = await WebAssembly.compile(bytes);
  } finally {
    setFlagsFromString('--liftoff');
    setFlagsFromString('--wasm-lazy-compilation');
  }
  lib ??= new OpusLib(mod);
}

function wasmPath(): string {
  const dir = dirname(createRequire(import.meta.url).resolve('@evan/opus/wasm/index.js'));
  // SIMD where the engine has it (Node 20 does), the plain build otherwise.
  const simd = WebAssembly.validate(Uint8Array.of(0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 9, 1, 7, 0, 65, 0, 253, 15, 26, 11));
  return join(dir, simd ? 'simd.wasm' : 'opus.wasm');
}

function wasmBytes(): Uint8Array {
  return readFileSync(wasmPath());
}

export class OpusLib {
  readonly x: OpusExports;
  private view: Uint8Array;

  constructor(mod: object) {
    const noop = (): number => 0;
    const instance = new WebAssembly.Instance(mod, {
      wasi_snapshot_preview1: { fd_seek: noop, fd_write: noop, fd_close: noop, proc_exit: noop },
      env: { emscripten_notify_memory_growth: () => this.refresh() },
    });
    this.x = instance.exports as unknown as OpusExports;
    this.x._initialize?.();
    this.view = new Uint8Array(this.x.memory.buffer);
  }

  /** The module's memory as bytes (renewed when it grows). */
  get heap(): Uint8Array {
    if (this.view.buffer !== this.x.memory.buffer) this.refresh();
    return this.view;
  }

  /** An Int16Array over `samples` samples at `ptr` (valid until memory grows: take a new one per call). */
  int16(ptr: number, samples: number): Int16Array {
    return new Int16Array(this.x.memory.buffer, ptr, samples);
  }

  check(code: number, what: string): number {
    if (code >= 0) return code;
    const p = this.x.opus_strerror(code);
    const heap = this.heap;
    let end = p;
    while (heap[end] !== 0 && end < heap.length) end++;
    throw new OpusError(`opus: ${what}: ${Buffer.from(heap.subarray(p, end)).toString('latin1')}`);
  }

  private refresh(): void {
    this.view = new Uint8Array(this.x.memory.buffer);
  }
}
