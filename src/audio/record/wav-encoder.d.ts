// wav-encoder ships no types; this is the part we use.
declare module 'wav-encoder' {
  interface AudioData {
    sampleRate: number;
    channelData: Float32Array[];
  }
  interface EncodeOptions {
    bitDepth?: 16 | 24 | 32;
    float?: boolean;
    /** Scale ±1 by 2^(bits−1) on both sides (exact for 16-bit PCM read as s / 32768). */
    symmetric?: boolean;
  }
  const wavEncoder: { encode(data: AudioData, opts?: EncodeOptions): Promise<ArrayBuffer> };
  export default wavEncoder;
}
