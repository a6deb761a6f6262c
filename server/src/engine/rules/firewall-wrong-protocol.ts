import { appendToList, setScalar, type NewField } from '../core/yaml/edit';
import { DOCS } from '../knowledge/docs';
import { formatPortRange, rangesOverlap, uncoveredParts } from '../knowledge/net/portRange';
import { formatTransport, type PortRange, type Protocol } from '../knowledge/ports';
import { nodeLabel, placeOf, type FirewallEntry, type NodeFacts } from '../model/cluster';
import { guardsOf, unknownEntry, type ExternalFirewallEntry, type FirewallContribution } from '../model/firewalls';
import { etcdMembership, firewallRequirements, placementContext, type PlacementContext } from '../model/placement';
import type { EffectivePort } from '../model/settings';
import type { QuickFix, Rule } from './types';
import { describePort } from './util/describe';
import { carriesPorts, entryAt, FIREWALL_ENTRY, openedPorts } from './util/firewall-entry';

/** Ports inside the entry's that the node needs on another protocol than the entry's, and no entry admits. */
interface NeededElsewhere {
  requirement: EffectivePort;
  protocol: Protocol;
  missing: PortRange[];
}

interface WrongProtocol {
  entry: FirewallEntry;
  ports: PortRange;
  needed: NeededElsewhere[];
  /** Some of the entry's ports are needed on its own protocol too: the fix adds the other protocol instead of changing it. */
  ownProtocolNeeded: boolean;
  /** The one protocol the entry's ports are all needed on, when changing the entry to it loses nothing. */
  changeTo?: Protocol;
}

/**
 * The entries of a node that open ports on a protocol the node does not need them on, while
 * the protocol it does need them on stays closed. An entry counts only when every port it opens
 * is one the node needs (on some protocol): a broad range (1-65535/TCP, 10000-40000/UDP) is a
 * policy, not a slip of the protocol. Ports Services choose the protocol of (NodePorts) are
 * needed on every protocol.
 */
function wrongProtocolEntries(node: NodeFacts, ctx: PlacementContext): WrongProtocol[] {
  if (node.firewall.length === 0) return [];
  const requirements = firewallRequirements(node.roles, ctx).filter(
    (r) => carriesPorts(r.port.protocol) && r.range.low >= 1 && r.range.low <= r.range.high,
  );
  if (requirements.length === 0) return [];
  const allNeeded = requirements.map((r) => r.range);
  const neededOn = (protocol: Protocol) =>
    requirements.filter((r) => r.port.protocol === protocol || r.port.anyProtocol).map((r) => r.range);
  // What the node's entries admit, per protocol: computed once for all entries.
  const admitted = new Map<Protocol, PortRange[]>();
  const opened = node.firewall.map(openedPorts);
  node.firewall.forEach((entry, i) => {
    const ports = opened[i];
    if (!ports) return;
    const protocol = entry.protocol as Protocol;
    let list = admitted.get(protocol);
    if (!list) admitted.set(protocol, (list = []));
    list.push(ports);
  });

  const found: WrongProtocol[] = [];
  node.firewall.forEach((entry, i) => {
    const ports = opened[i];
    if (!ports || uncoveredParts(ports, allNeeded).length > 0) return;
    const protocol = entry.protocol as Protocol;
    const foreign = uncoveredParts(ports, neededOn(protocol));
    if (foreign.length === 0) return;
    // What the entry's ports need on other protocols and lack; counted only when a port the entry's own protocol does not need is among them.
    const needed: NeededElsewhere[] = [];
    let misplaced = false;
    for (const requirement of requirements) {
      const other = requirement.port.protocol as Protocol;
      if (other === protocol || requirement.port.anyProtocol || !rangesOverlap(ports, requirement.range)) continue;
      const inside = { low: Math.max(ports.low, requirement.range.low), high: Math.min(ports.high, requirement.range.high) };
      const missing = uncoveredParts(inside, admitted.get(other) ?? []);
      if (missing.length === 0) continue;
      needed.push({ requirement, protocol: other, missing });
      misplaced ||= missing.some((part) => foreign.some((f) => rangesOverlap(f, part)));
    }
    if (!misplaced) return;
    const ownProtocolNeeded = foreign.length !== 1 || foreign[0].low !== ports.low || foreign[0].high !== ports.high;
    const target = needed[0].protocol;
    const changeTo =
      !ownProtocolNeeded && needed.every((n) => n.protocol === target) && uncoveredParts(ports, neededOn(target)).length === 0
        ? target
        : undefined;
    found.push({ entry, ports, needed, ownProtocolNeeded, changeTo });
  });
  return found;
}

/** Where the finding sits: the protocol as written, else the port (the entry relies on the TCP default). */
function findingRange(entry: FirewallEntry) {
  return (entry.protocolValue ?? entry.port)?.range;
}

function neededText(needed: readonly NeededElsewhere[]): string {
  return needed
    .flatMap((n) => n.missing.map((part) => describePort(n.requirement, part)))
    .filter((text, i, all) => all.indexOf(text) === i)
    .join(', ');
}

/** New entries that admit the missing ports, one per protocol and range, merged where they touch. */
function entriesFor(wrong: WrongProtocol): NewField[][] {
  const byProtocol = new Map<Protocol, { ranges: PortRange[]; purpose: string[] }>();
  for (const n of wrong.needed) {
    const slot = byProtocol.get(n.protocol) ?? { ranges: [], purpose: [] };
    slot.ranges.push(...n.missing);
    if (!slot.purpose.includes(n.requirement.port.purpose)) slot.purpose.push(n.requirement.port.purpose);
    byProtocol.set(n.protocol, slot);
  }
  const entries: NewField[][] = [];
  for (const [protocol, { ranges, purpose }] of byProtocol) {
    const merged: PortRange[] = [];
    for (const r of [...ranges].sort((a, b) => a.low - b.low)) {
      const last = merged[merged.length - 1];
      if (last && r.low <= last.high + 1) last.high = Math.max(last.high, r.high);
      else merged.push({ ...r });
    }
    for (const r of merged)
      entries.push([
        { key: 'port', value: r.low === r.high ? r.low : formatPortRange(r) },
        { key: 'protocol', value: protocol, necessary: protocol !== 'TCP' },
        { key: 'comment', value: purpose.join(', ') },
      ]);
  }
  return entries;
}

export const firewallWrongProtocol: Rule = {
  meta: {
    id: 'firewall-wrong-protocol',
    severity: 'warning',
    docs: DOCS.portsAndProtocols,
    title: 'A firewall rule opens a port the node needs on the wrong protocol',
    description:
      "A firewall entry opens ports the node needs, but on a protocol it does not need them on, while no entry admits them on the protocol that carries them: 8472/TCP where flannel or Cilium VXLAN needs 8472/UDP, 4789/TCP for VXLAN, 51820/TCP for WireGuard. The entry looks right in a review and the overlay stays closed. Reported only when every port the entry opens is one the node needs (on some protocol), so a broad range such as 1-65535/TCP or 10000-40000/UDP is never reported; ports whose protocol the Services choose (the NodePort range) count as needed on every protocol; an entry whose protocol does not read as TCP, UDP or SCTP is left to the schema. Reported on the entry's `protocol` value, or on its `port` value when it relies on the TCP default. Quick-fix: change the protocol (rewriting the value, or adding `protocol: UDP` after the port); when the entry's own protocol is needed for some of its ports too, the fix adds the missing protocol as a new entry instead. The entries of a cloud firewall written in Terraform (an AWS security group in front of the nodes) are checked the same way against every node behind the group, and reported on the entry's `protocol`, naming the nodes; no quick-fix there yet.",
    appliesTo: ['inventory', 'terraform', 'ansible-firewall'],
    example: {
      bad: '- hostname: w-1   # spec.cni.plugin: flannel\n  roles: [worker]\n  firewall:\n    - port: 8472',
      good: '- hostname: w-1   # spec.cni.plugin: flannel\n  roles: [worker]\n  firewall:\n    - port: 8472\n      protocol: UDP',
    },
  },
  checkNode(node, ctx, report) {
    for (const wrong of wrongProtocolEntries(node, ctx)) {
      const range = findingRange(wrong.entry);
      if (!range) continue;
      const opened = formatTransport(wrong.ports, wrong.entry.protocol);
      const count = wrong.needed.reduce((n, x) => n + x.missing.length, 0);
      const what = wrong.ownProtocolNeeded
        ? `Node ${nodeLabel(node)}'s firewall rule ${opened} admits only ${wrong.entry.protocol}: the node also needs ${neededText(wrong.needed)} there`
        : `Node ${nodeLabel(node)}'s firewall rule ${opened} is on the wrong protocol: the node needs ${neededText(wrong.needed)} there`;
      report(placeOf(node, range), `${what}, and no rule admits ${count === 1 ? 'it' : 'them'}.`);
    }
  },
  checkCluster(model, report) {
    const guards = guardsOf(model.firewalls, model.nodes);
    if (guards.length === 0) return;
    const ctx = placementContext(model.settings, etcdMembership(model.nodes));
    // Per external entry: the nodes it is wrong for, and what they need there.
    const found = new Map<ExternalFirewallEntry, { firewall: FirewallContribution; wrong: WrongProtocol; nodes: NodeFacts[] }>();
    const byGroup = new Map<
      string,
      Array<{ entry: ExternalFirewallEntry; firewall: FirewallContribution; wrong: WrongProtocol }>
    >();
    for (const guard of guards) {
      if (guard.alsoUnknown || guard.firewalls.length === 0 || guard.firewalls.some((f) => f.incomplete)) continue;
      const key = `${guard.firewalls.map((f) => f.id).join(' ')}|${guard.node.roles.join(',')}`;
      let list = byGroup.get(key);
      if (!list) {
        list = [];
        const all = guard.firewalls.flatMap((firewall) => firewall.entries.map((entry) => ({ entry, firewall })));
        // The entries as a host firewall's, so that one test decides for both.
        const usable = all.filter(
          ({ entry }) => !entry.unknown && typeof entry.ports === 'object' && carriesPorts(entry.protocol as Protocol),
        );
        const asHost: NodeFacts = {
          ...guard.node,
          firewall: usable.map(({ entry }) => {
            const ports = entry.ports as PortRange;
            return {
              port: { value: ports.low === ports.high ? ports.low : formatPortRange(ports), range: entry.at.range },
              protocol: entry.protocol as Protocol,
              itemRange: entry.at.range,
            };
          }),
        };
        for (const wrong of wrongProtocolEntries(asHost, ctx)) {
          const { entry, firewall } = usable[asHost.firewall.indexOf(wrong.entry)];
          const entries = all.map((a) => a.entry);
          if (wrong.needed.some((n) => unknownEntry(entries, n.protocol))) continue;
          list.push({ entry, firewall, wrong });
        }
        byGroup.set(key, list);
      }
      for (const { entry, firewall, wrong } of list) {
        const seen = found.get(entry);
        if (seen) seen.nodes.push(guard.node);
        else found.set(entry, { firewall, wrong, nodes: [guard.node] });
      }
    }
    for (const [entry, { firewall, wrong, nodes }] of found) {
      const opened = formatTransport(wrong.ports, wrong.entry.protocol);
      const count = wrong.needed.reduce((n, x) => n + x.missing.length, 0);
      const named = nodes.slice(0, 5).map(nodeLabel).join(', ') + (nodes.length > 5 ? ` and ${nodes.length - 5} more` : '');
      const who = `node${nodes.length === 1 ? '' : 's'} ${named}${firewall.layer === 'host' ? '' : ' behind it'} need${nodes.length === 1 ? 's' : ''}`;
      const what = wrong.ownProtocolNeeded
        ? `${firewall.label}'s rule ${opened} admits only ${wrong.entry.protocol}: ${who} ${neededText(wrong.needed)} there too`
        : `${firewall.label}'s rule ${opened} is on the wrong protocol: ${who} ${neededText(wrong.needed)} there`;
      report(entry.protocolAt ?? entry.at, `${what}, and no rule admits ${count === 1 ? 'it' : 'them'}.`);
    }
  },
  /** Computed from the current text: a stale diagnostic never produces a wrong edit. */
  fixes(request) {
    if (/\.tf$/i.test(request.uri) || !request.documents.some((d) => d.kind.id === 'inventory')) return [];
    const fixes: QuickFix[] = [];
    // Nodes that share an anchored entry have their findings on it: one fix serves them all. The key is
    // where the entry starts in the file: where the inventory is parsed whole (a syntax error, or keys
    // after the node list), every node item has the same base, and the entry's index alone named the
    // first entry of every node as one (one fix per fix-all round for 400 nodes).
    const byEntry = new Map<number, QuickFix>();
    for (const diagnostic of request.diagnostics) {
      const found = entryAt(request, diagnostic, findingRange);
      if (!found) continue;
      const key = found.located.base + ((found.entryNode as { range?: number[] } | null)?.range?.[0] ?? -1 - found.index);
      const done = byEntry.get(key);
      if (done) {
        done.diagnostics.push(diagnostic);
        continue;
      }
      const wrong = wrongProtocolEntries(found.node, request.placement).find((w) => w.entry === found.entry);
      if (!wrong) continue;
      const opened = formatTransport(wrong.ports, wrong.entry.protocol);
      if (wrong.changeTo) {
        const edits = setScalar(found.target, found.entryNode, 'protocol', wrong.changeTo, 'port');
        if (edits) {
          const fix = {
            title: `Change the protocol of ${opened} to ${wrong.changeTo}`,
            edits,
            isPreferred: true,
            diagnostics: [diagnostic],
          };
          byEntry.set(key, fix);
          fixes.push(fix);
        }
        continue;
      }
      const entries = entriesFor(wrong);
      const edits = appendToList(found.target, found.itemNode, 'firewall', entries, FIREWALL_ENTRY);
      if (!edits) continue;
      const name = found.node.hostname?.value ?? 'this node';
      const added = entries.map((fields) => `${fields[0].value}/${fields[1].value}`);
      const fix = {
        title: `Add firewall rule ${added.join(', ')} to ${name}`,
        edits,
        isPreferred: true,
        diagnostics: [diagnostic],
      };
      byEntry.set(key, fix);
      fixes.push(fix);
    }
    return fixes;
  },
};
