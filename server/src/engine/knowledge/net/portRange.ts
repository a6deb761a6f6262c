import type { PortRange } from '../ports';

export const MIN_PORT = 1;
export const MAX_PORT = 65535;

export type PortRangeParse = { ok: true; range: PortRange } | { ok: false; problem: string };

/**
 * Parses a port or a "low-high" range as the inventory and kube-apiserver's
 * --service-node-port-range write them. Both ends are inclusive. kube-apiserver parses its flag
 * with apimachinery's ParsePortRange, which takes 0 as a port: pass `lowest: 0` for its values
 * so that a range it starts with is reported for what it swallows, not as malformed.
 */
export function parsePortRange(text: string, lowest: number = MIN_PORT): PortRangeParse {
  const match = /^\s*(\d{1,6})\s*(?:-\s*(\d{1,6})\s*)?$/.exec(text);
  if (!match) return { ok: false, problem: `"${text}" is not a port range; write it as low-high, for example 30000-32767` };
  const low = Number(match[1]);
  const high = match[2] === undefined ? low : Number(match[2]);
  for (const port of [low, high]) {
    if (port < lowest || port > MAX_PORT) return { ok: false, problem: `port ${port} is outside ${lowest}-${MAX_PORT}` };
  }
  if (high < low) return { ok: false, problem: `the range ${low}-${high} is reversed; write it as ${high}-${low}` };
  return { ok: true, range: { low, high } };
}

/** A firewall or listener port as written: an integer, or a range string; undefined when malformed. */
export function portRangeOf(value: unknown): PortRange | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? { low: value, high: value } : undefined;
  if (typeof value !== 'string') return undefined;
  const parsed = parsePortRange(value);
  return parsed.ok ? parsed.range : undefined;
}

export function formatPortRange(r: PortRange): string {
  return r.low === r.high ? String(r.low) : `${r.low}-${r.high}`;
}

export function portRangeSize(r: PortRange): number {
  return r.high - r.low + 1;
}

export function samePorts(a: PortRange, b: PortRange): boolean {
  return a.low === b.low && a.high === b.high;
}

export function rangesOverlap(a: PortRange, b: PortRange): boolean {
  return a.low <= b.high && b.low <= a.high;
}

/** The parts of `needed` that none of `covering` includes, in ascending order. */
export function uncoveredParts(needed: PortRange, covering: readonly PortRange[]): PortRange[] {
  const relevant = covering.filter((c) => rangesOverlap(c, needed)).sort((a, b) => a.low - b.low);
  const gaps: PortRange[] = [];
  let next = needed.low;
  for (const c of relevant) {
    if (c.low > next) gaps.push({ low: next, high: Math.min(c.low - 1, needed.high) });
    next = Math.max(next, c.high + 1);
    if (next > needed.high) break;
  }
  if (next <= needed.high) gaps.push({ low: next, high: needed.high });
  return gaps;
}
