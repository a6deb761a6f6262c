import type { Range } from './text/positions';

/** A replacement of a range of the file (LSP's TextEdit): what quick-fixes and migrations produce. */
export interface TextEdit {
  range: Range;
  newText: string;
}
