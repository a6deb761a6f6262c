/**
 * The networks a generated rule admits, as lists of CIDRs per family: node addresses (or their
 * subnets), merged without loss (10.0.0.0/32 and 10.0.0.1/32 become 10.0.0.0/31, nothing more),
 * so that a rule for thousands of numbered nodes stays a few lines.
 */
import ipaddr from 'ipaddr.js';
import type { IpFamily, ParsedAddress } from '../../knowledge/net/addresses';

export interface Networks {
  ipv4: string[];
  ipv6: string[];
}

const BITS: Record<IpFamily, number> = { ipv4: 32, ipv6: 128 };

function toNumber(bytes: readonly number[]): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

function toText(value: bigint, family: IpFamily): string {
  const length = BITS[family] / 8;
  const bytes: number[] = new Array<number>(length);
  for (let i = length - 1; i >= 0; i--) {
    bytes[i] = Number(value & 0xffn);
    value >>= 8n;
  }
  return ipaddr.fromByteArray(bytes).toString();
}

/** The network an address names: itself alone, or (for `subnet`) the network of its prefix when it has one. */
export function networkOf(address: ParsedAddress, subnet: boolean): { family: IpFamily; low: bigint; high: bigint } {
  const bits = BITS[address.family];
  const prefix = subnet && address.prefix !== undefined ? address.prefix : bits;
  const hostBits = BigInt(bits - prefix);
  const value = toNumber(address.bytes);
  const low = (value >> hostBits) << hostBits;
  return { family: address.family, low, high: low | ((1n << hostBits) - 1n) };
}

/** Collects networks and writes them as the fewest CIDRs that cover exactly them. */
export class NetworkCollector {
  private readonly ranges: Record<IpFamily, Array<{ low: bigint; high: bigint }>> = { ipv4: [], ipv6: [] };

  add(network: { family: IpFamily; low: bigint; high: bigint }): void {
    this.ranges[network.family].push({ low: network.low, high: network.high });
  }

  get size(): number {
    return this.ranges.ipv4.length + this.ranges.ipv6.length;
  }

  networks(): Networks {
    return { ipv4: cidrsOf(this.ranges.ipv4, 'ipv4'), ipv6: cidrsOf(this.ranges.ipv6, 'ipv6') };
  }
}

/** Sorted, merged where they touch, then cut into aligned blocks: linear after the sort. */
function cidrsOf(ranges: Array<{ low: bigint; high: bigint }>, family: IpFamily): string[] {
  const sorted = [...ranges].sort((a, b) => (a.low < b.low ? -1 : a.low > b.low ? 1 : 0));
  const merged: Array<{ low: bigint; high: bigint }> = [];
  for (const r of sorted) {
    const last = merged[merged.length - 1];
    if (last && r.low <= last.high + 1n) {
      if (r.high > last.high) last.high = r.high;
    } else merged.push({ ...r });
  }
  const bits = BITS[family];
  const out: string[] = [];
  for (const { low, high } of merged) {
    let start = low;
    while (start <= high) {
      // The largest block aligned at `start` that stays inside the range.
      let size = 0;
      while (size < bits && (start & ((1n << BigInt(size + 1)) - 1n)) === 0n && start + (1n << BigInt(size + 1)) - 1n <= high)
        size++;
      out.push(`${toText(start, family)}/${bits - size}`);
      start += 1n << BigInt(size);
    }
  }
  return out;
}
