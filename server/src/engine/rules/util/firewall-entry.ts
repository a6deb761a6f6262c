/**
 * What the firewall rules that point at one entry (firewall-wrong-protocol, obsolete-port-rule)
 * share: which protocols carry ports, how the inventory writes an entry, and how a quick-fix
 * finds, in the current text, the entry a diagnostic is about.
 */
import { isAlias, isSeq, type YAMLSeq } from 'yaml';
import type { Range } from '../../core/text/positions';
import { shiftRange } from '../../core/text/positions';
import { findPair } from '../../core/yaml/ast';
import type { EditTarget, EntryShape } from '../../core/yaml/edit';
import { PROTOCOLS, type PortRange, type Protocol, type Transport } from '../../knowledge/ports';
import { portRangeOf } from '../../knowledge/net/portRange';
import type { FirewallEntry, NodeFacts } from '../../model/cluster';
import { locatedRange, type LocatedYaml } from '../../sources/kind';
import type { DiagnosticRef, FixRequest } from '../types';

/** How the inventory writes a firewall entry. */
export const FIREWALL_ENTRY: EntryShape = { keys: ['port', 'protocol', 'comment'], required: [], quoted: 'port' };

/** A transport whose rules name ports (TCP, UDP, SCTP); a whole IP protocol, or ICMP, has none. */
export function carriesPorts(protocol: Transport): protocol is Protocol {
  return (PROTOCOLS as readonly string[]).includes(protocol);
}

/**
 * The ports an entry opens, for an entry whose protocol carries ports and reads as written;
 * undefined for a malformed port, or a protocol the schema rejects (`udp` reads as the TCP
 * default: a protocol finding there would be about a value the user did not mean).
 */
export function openedPorts(entry: FirewallEntry): PortRange | undefined {
  if (!carriesPorts(entry.protocol) || !entry.port) return undefined;
  if (entry.protocolValue && entry.protocolValue.value !== entry.protocol) return undefined;
  return portRangeOf(entry.port.value);
}

/** One firewall entry of a node, found in the current text for a quick-fix. */
export interface LocatedEntry {
  located: LocatedYaml;
  node: NodeFacts;
  entry: FirewallEntry;
  /** The entry's mapping and the list it is an item of, in `located.parsed`. */
  entryNode: unknown;
  list: YAMLSeq<unknown>;
  index: number;
  /** The node item's mapping, for edits that add entries. */
  itemNode: unknown;
  target: EditTarget;
}

/**
 * The entry a diagnostic sits on, read from the file as it is now: the entry whose range
 * `at(entry)` starts where the diagnostic does. Undefined when the text moved on, or the
 * entry or its list is an alias (an edit there would change every place that uses it).
 */
export function entryAt(
  request: FixRequest,
  diagnostic: DiagnosticRef,
  at: (entry: FirewallEntry) => Range | undefined,
): LocatedEntry | undefined {
  const located = request.locate(request.offsetAt(diagnostic.range.start));
  if (located?.region !== 'item' || !located.node || located.node.broken) return undefined;
  const node = located.node;
  const index = node.firewall.findIndex((entry) => {
    const range = at(entry);
    if (!range) return false;
    const absolute = shiftRange(range, located.baseLine);
    return (
      absolute.start.line === diagnostic.range.start.line &&
      absolute.start.character === diagnostic.range.start.character &&
      absolute.end.line === diagnostic.range.end.line &&
      absolute.end.character === diagnostic.range.end.character
    );
  });
  if (index < 0) return undefined;
  const listNode = findPair(located.itemNode, 'firewall')?.value;
  if (!isSeq(listNode)) return undefined;
  const list = listNode as YAMLSeq<unknown>;
  const entryNode = list.items[index];
  if (isAlias(entryNode)) return undefined;
  return {
    located,
    node,
    entry: node.firewall[index],
    entryNode,
    list,
    index,
    itemNode: located.itemNode,
    target: { parsed: located.parsed, toRange: (start: number, end: number) => locatedRange(located, start, end) },
  };
}
