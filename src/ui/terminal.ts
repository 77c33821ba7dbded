// The terminal around the dashboard: the alternate screen while it runs, and
// the way back on every exit path (normal, signal, uncaught error, exit()).
// Ink restores the cursor and raw mode itself; this restores the screen.

const ENTER = '\x1b[?1049h\x1b[H'; // alternate screen, cursor home
const LEAVE = '\x1b[?1049l\x1b[?25h'; // main screen back, cursor visible there

let depth = 0;
let active: NodeJS.WriteStream | undefined;

function restoreNow(): void {
  const out = active;
  active = undefined;
  depth = 0;
  if (!out) return;
  process.off('exit', restoreNow);
  try {
    out.write(LEAVE); // a TTY write is synchronous, so this lands even from an 'exit' handler
  } catch {
    // The terminal is gone; nothing left to restore.
  }
}

/**
 * Switches `out` to the alternate screen (nested calls share it) and returns
 * the function that switches back. Not a TTY: nothing happens.
 */
export function enterFullscreen(out: NodeJS.WriteStream): () => void {
  if (!out.isTTY) return () => undefined;
  if (depth++ === 0) {
    active = out;
    out.write(ENTER);
    process.on('exit', restoreNow);
  }
  let left = false;
  return () => {
    if (left) return;
    left = true;
    if (--depth <= 0) restoreNow();
  };
}

/** For fatal paths: back to the main screen at once, whoever entered. */
export function restoreTerminal(): void {
  restoreNow();
}

/** Blank screen, cursor home: between two Ink screens on the alternate screen. */
export function clearScreen(out: NodeJS.WriteStream): void {
  if (out.isTTY) out.write('\x1b[2J\x1b[H');
}
