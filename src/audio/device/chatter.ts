// What the PortAudio worker's native output says, where it says something we
// act on. naudiodon reports PortAudio's stream status only as a printf (with
// closeOnError off, as we open it), so the lines are the one source. Pure.

/**
 * PortAudio's output-underflow status: the device's own buffer ran dry (its
 * thread, or the sound server, came late) and it played silence. naudiodon
 * prints `AudioIO: portAudio status - output underflow ` at the next write.
 */
export function isOutputUnderflow(line: string): boolean {
  return /portAudio status - .*\boutput underflow\b/.test(line);
}
