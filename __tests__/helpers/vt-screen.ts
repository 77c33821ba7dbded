// A small terminal model for tests: what a screen shows after the bytes Ink
// and the meter overlay write (text with its foreground colour per cell).
// It knows what they use: printable text, CR, LF (as a tty with onlcr: back to
// column 0), cursor save/restore (ESC 7 / ESC 8), CSI A B C D G H J K m, and
// private modes (ignored). Anything else is an error, so a test cannot pass
// on bytes it did not understand.

export interface Cell {
  ch: string;
  /** SGR foreground code (30–37, 90–97), or 0 for the default. */
  fg: number;
}

const BLANK: Cell = { ch: ' ', fg: 0 };

export class VtScreen {
  private grid: Cell[][];
  private row = 0;
  private col = 0;
  private fg = 0;
  private saved: { row: number; col: number; fg: number } = { row: 0, col: 0, fg: 0 };

  constructor(readonly columns: number, readonly rows: number) {
    this.grid = Array.from({ length: rows }, () => this.blankRow());
  }

  private blankRow(): Cell[] {
    return Array.from({ length: this.columns }, () => BLANK);
  }

  /** Where the cursor is (0-based). */
  get cursor(): { row: number; col: number } {
    return { row: this.row, col: this.col };
  }

  write(s: string): void {
    const chars = Array.from(s);
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i]!;
      if (c === '\x1b') {
        const next = chars[i + 1];
        if (next === '7') {
          this.saved = { row: this.row, col: this.col, fg: this.fg };
          i++;
        } else if (next === '8') {
          ({ row: this.row, col: this.col, fg: this.fg } = this.saved);
          i++;
        } else if (next === '[') {
          let j = i + 2;
          let params = '';
          while (j < chars.length && !/[A-Za-z]/.test(chars[j]!)) params += chars[j++];
          if (j >= chars.length) throw new Error(`unfinished CSI: ${JSON.stringify(s.slice(0, 40))}`);
          this.csi(params, chars[j]!);
          i = j;
        } else {
          throw new Error(`escape not modelled: ESC ${JSON.stringify(next)}`);
        }
      } else if (c === '\n') {
        this.lineFeed();
        this.col = 0;
      } else if (c === '\r') {
        this.col = 0;
      } else if (c >= ' ') {
        if (this.col >= this.columns) {
          this.lineFeed();
          this.col = 0;
        }
        this.grid[this.row]![this.col++] = { ch: c, fg: this.fg };
      } else {
        throw new Error(`control character not modelled: ${c.charCodeAt(0)}`);
      }
    }
  }

  private lineFeed(): void {
    if (this.row < this.rows - 1) this.row++;
    else {
      this.grid.shift();
      this.grid.push(this.blankRow());
    }
  }

  private csi(params: string, final: string): void {
    if (params.startsWith('?')) return; // private modes: cursor visibility, synchronized updates
    const nums = params === '' ? [] : params.split(';').map((p) => (p === '' ? 0 : Number(p)));
    const n = Math.max(1, nums[0] ?? 1);
    switch (final) {
      case 'A':
        this.row = Math.max(0, this.row - n);
        return;
      case 'B':
        this.row = Math.min(this.rows - 1, this.row + n);
        return;
      case 'C':
        this.col = Math.min(this.columns - 1, this.col + n);
        return;
      case 'D':
        this.col = Math.max(0, this.col - n);
        return;
      case 'G':
        this.col = Math.min(this.columns - 1, n - 1);
        return;
      case 'H':
        this.row = Math.min(this.rows - 1, Math.max(1, nums[0] ?? 1) - 1);
        this.col = Math.min(this.columns - 1, Math.max(1, nums[1] ?? 1) - 1);
        return;
      case 'J': {
        const mode = nums[0] ?? 0;
        if (mode === 2 || mode === 3) this.grid = Array.from({ length: this.rows }, () => this.blankRow());
        else if (mode === 0) {
          this.eraseLine(0);
          for (let r = this.row + 1; r < this.rows; r++) this.grid[r] = this.blankRow();
        } else throw new Error(`CSI ${params}J not modelled`);
        return;
      }
      case 'K':
        this.eraseLine(nums[0] ?? 0);
        return;
      case 'm':
        for (const p of nums.length === 0 ? [0] : nums) {
          if (p === 0 || p === 39) this.fg = 0;
          else if ((p >= 30 && p <= 37) || (p >= 90 && p <= 97)) this.fg = p;
          // bold, inverse, background…: not what these tests look at
        }
        return;
      default:
        throw new Error(`CSI ${params}${final} not modelled`);
    }
  }

  private eraseLine(mode: number): void {
    const row = this.grid[this.row]!;
    const [from, to] = mode === 0 ? [this.col, this.columns] : mode === 1 ? [0, this.col + 1] : [0, this.columns];
    for (let c = from; c < to; c++) row[c] = BLANK;
  }

  /** Row `r`'s text, trailing blanks trimmed. */
  line(r: number): string {
    return this.grid[r]!.map((c) => c.ch).join('').trimEnd();
  }

  /** Every row's text. */
  text(): string[] {
    return this.grid.map((_, r) => this.line(r));
  }

  /** Row `r`'s cells from `from`, `n` of them. */
  cells(r: number, from = 0, n = this.columns - from): Cell[] {
    return this.grid[r]!.slice(from, from + n);
  }
}

/** A row's cells as `ch` runs per colour, e.g. `32:███|90:··| 0: -6.0 dBFS`: readable in an assertion's diff. */
export function colourRuns(cells: readonly Cell[]): string {
  const out: string[] = [];
  let fg = -1;
  let run = '';
  for (const c of cells) {
    const f = c.ch === ' ' && c.fg !== 0 ? 0 : c.fg; // a blank's colour does not show
    if (f !== fg && run) {
      out.push(`${fg}:${run}`);
      run = '';
    }
    fg = f;
    run += c.ch;
  }
  if (run) out.push(`${fg}:${run}`);
  return out.join('|').trimEnd();
}
