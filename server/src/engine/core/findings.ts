import type { Place } from './located';
import type { Range } from './text/positions';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface RelatedLocation {
  /** The other file; absent when it is the file the finding is in. */
  uri?: string;
  range: Range;
  message: string;
}

/**
 * One problem found in a file: what the editor shows as a diagnostic and the CLI prints as a
 * line. Inside a document's model the range is relative to the chunk it was parsed from;
 * findings that leave the rule runner are absolute.
 */
export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  range: Range;
  related?: RelatedLocation[];
  /** What a quick-fix needs to know (for missing-port-rule: the component port id). */
  data?: unknown;
}

/** A finding as a rule reports it: at places relative to their chunks, made absolute on the way out. */
export interface PlacedFinding {
  ruleId: string;
  severity: Severity;
  message: string;
  at: Place;
  related?: Array<{ at: Place; message: string }>;
  data?: unknown;
}

/** Rule ids the parsers and the runner report under (their metadata lives in rules/). */
export const YAML_SYNTAX = 'yaml-syntax';
export const SCHEMA = 'schema';
export const INTERNAL_ERROR = 'internal-error';
export const TEMPLATE_PLACEHOLDER = 'template-placeholder';
export const FILE_TOO_LARGE = 'file-too-large';
