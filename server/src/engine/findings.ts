import type { Range } from './text/positions';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface RelatedLocation {
  /** The other file; absent when it is the file the finding is in. */
  uri?: string;
  range: Range;
  message: string;
}

/** One problem found in a file: what the editor shows as a diagnostic and the CLI prints as a line. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  range: Range;
  related?: RelatedLocation[];
  /** What a quick-fix needs to know (for missing-port-rule: the component port id). */
  data?: unknown;
}
