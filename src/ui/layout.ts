// How the dashboard's rows are shared out, pure. The frame stays one row short
// of the terminal: a frame exactly as tall scrolls and flickers in Ink.

/** Header, recording line, message line, log title, footer. */
export const CHROME_ROWS = 5;

export function frameRows(terminalRows: number): number {
  return Math.max(1, terminalRows - 1);
}

/** Log lines that fit under a body of `bodyRows`. */
export function logRows(terminalRows: number, bodyRows: number): number {
  return Math.max(0, frameRows(terminalRows) - CHROME_ROWS - bodyRows);
}
