import { removeListItem, setScalar } from '../core/yaml/edit';
import { DOCS } from '../knowledge/docs';
import { rangesOverlap } from '../knowledge/net/portRange';
import { formatTransport, OBSOLETE_PORTS, type ObsoletePort, type PortRange } from '../knowledge/ports';
import { nodeLabel, placeOf, type FirewallEntry, type NodeFacts } from '../model/cluster';
import { guardsOf, type ExternalFirewallEntry, type FirewallContribution } from '../model/firewalls';
import { etcdMembership, firewallRequirements, placementContext, type PlacementContext } from '../model/placement';
import type { EffectivePort } from '../model/settings';
import type { QuickFix, Rule } from './types';
import { entryAt, openedPorts } from './util/firewall-entry';

interface ObsoleteEntry {
  entry: FirewallEntry;
  ports: PortRange;
  /** The obsolete ports the entry opens, in order: every port of the entry is one of them. */
  obsolete: ObsoletePort[];
}

/** The component that took over an obsolete port, as this cluster configures it; undefined when none did or it is off. */
function successorOf(obsolete: ObsoletePort, ctx: PlacementContext): EffectivePort | undefined {
  const successor = obsolete.successor && ctx.ports.get(obsolete.successor);
  return successor && !successor.disabled ? successor : undefined;
}

/** Whether some component this cluster turns on uses the port: the kubelet's read-only port once readOnlyPort sets it, a port a setting moved a component to, a NodePort. */
function usedByCluster(obsolete: ObsoletePort, ctx: PlacementContext): boolean {
  const port = { low: obsolete.port, high: obsolete.port };
  for (const p of [...ctx.ports.values(), ...ctx.cniPorts]) {
    if (!p.disabled && (p.port.protocol === obsolete.protocol || p.port.anyProtocol) && rangesOverlap(p.range, port)) return true;
  }
  return false;
}

/**
 * Entries that open only obsolete ports: one of them, or a range made of them (10251-10252).
 * A range that merely contains one (10250-10260) opens other ports on purpose and is not reported.
 */
function obsoleteEntries(node: NodeFacts, ctx: PlacementContext): ObsoleteEntry[] {
  const found: ObsoleteEntry[] = [];
  for (const entry of node.firewall) {
    const ports = openedPorts(entry);
    // A range wider than the table cannot consist of obsolete ports alone: no need to walk it.
    if (!ports || ports.high - ports.low >= OBSOLETE_PORTS.length) continue;
    const obsolete: ObsoletePort[] = [];
    for (let port = ports.low; port <= ports.high; port++) {
      const known = OBSOLETE_PORTS.find((o) => o.port === port && o.protocol === entry.protocol);
      if (!known || usedByCluster(known, ctx)) break;
      obsolete.push(known);
    }
    if (obsolete.length === ports.high - ports.low + 1) found.push({ entry, ports, obsolete });
  }
  return found;
}

function describeObsolete(obsolete: ObsoletePort, ctx: PlacementContext): string {
  const successor = successorOf(obsolete, ctx);
  const now = successor
    ? ` (${successor.port.component} serves on ${formatTransport(successor.range, successor.port.protocol)} now)`
    : '';
  return `${obsolete.port}/${obsolete.protocol}, ${obsolete.was}, ${obsolete.why}${now}`;
}

export const obsoletePortRule: Rule = {
  meta: {
    id: 'obsolete-port-rule',
    severity: 'warning',
    docs: DOCS.portsControlPlane,
    title: 'A firewall rule opens a port Kubernetes no longer uses, or should not be reachable',
    description:
      "Firewall lists copied from old guides still open 10251/TCP and 10252/TCP, the insecure HTTP ports of kube-scheduler and kube-controller-manager (removed in Kubernetes 1.23 by kubernetes/kubernetes#96345 and in 1.22 by #96216; they serve on 10259 and 10257 now, which such lists often lack), and 10255/TCP, the kubelet's read-only port: off by default, and when turned on it serves pod and node data to anyone without authentication. Reported on the entry's `port` value for an entry that opens one of these ports, or a range made only of them (10251-10252); a range that merely contains one (10250-10260) is not reported. Not reported when the cluster's configuration uses the port: a KubeletConfiguration with readOnlyPort set, a setting that moves a component there, a NodePort range that includes it. The message names the port that took over. Quick-fix: for 10251 and 10252, replace the port by the component's current one when the node needs that port and no rule admits it yet; otherwise remove the entry, offered only for an item of a block list with other items that has its lines to itself and no comment (a comment would be lost; never the preferred fix), else no fix. A firewall written elsewhere that guards nodes of the cluster (a Terraform security group, an Ansible firewalld or ufw task) is checked the same way, on its rule (a loop item for Ansible), without a fix.",
    appliesTo: ['inventory', 'terraform', 'ansible-firewall'],
    example: {
      bad: '- hostname: cp-1\n  roles: [control-plane]\n  firewall:\n    - port: 6443\n    - port: 10251',
      good: '- hostname: cp-1\n  roles: [control-plane]\n  firewall:\n    - port: 6443\n    - port: 10259',
    },
  },
  checkNode(node, ctx, report) {
    for (const { entry, obsolete } of obsoleteEntries(node, ctx)) {
      report(
        placeOf(node, entry.port!),
        `Node ${nodeLabel(node)}'s firewall rule opens ${obsolete.map((o) => describeObsolete(o, ctx)).join('; and ')}.`,
      );
    }
  },
  checkCluster(model, report) {
    const guards = guardsOf(model.firewalls, model.nodes);
    if (guards.length === 0) return;
    const ctx = placementContext(model.settings, etcdMembership(model.nodes));
    const seen = new Set<ExternalFirewallEntry>();
    const firewalls = new Set<FirewallContribution>(guards.flatMap((g) => g.firewalls));
    for (const firewall of firewalls) {
      // The entries as a host firewall's, so that one test decides for both.
      const usable = firewall.entries.filter(
        (e) =>
          !e.unknown && typeof e.ports === 'object' && (e.protocol === 'TCP' || e.protocol === 'UDP' || e.protocol === 'SCTP'),
      );
      const asHost = {
        firewall: usable.map((e) => {
          const ports = e.ports as PortRange;
          return {
            port: { value: ports.low === ports.high ? ports.low : `${ports.low}-${ports.high}`, range: e.at.range },
            protocol: e.protocol as FirewallEntry['protocol'],
            itemRange: e.at.range,
          };
        }),
      } as NodeFacts;
      for (const { entry, obsolete } of obsoleteEntries(asHost, ctx)) {
        const external = usable[asHost.firewall.indexOf(entry)];
        if (seen.has(external)) continue;
        seen.add(external);
        report(external.at, `${firewall.label}'s rule opens ${obsolete.map((o) => describeObsolete(o, ctx)).join('; and ')}.`);
      }
    }
  },
  /** Computed from the current text: a stale diagnostic never produces a wrong edit. */
  fixes(request) {
    if (/\.tf$/i.test(request.uri) || !request.documents.some((d) => d.kind.id === 'inventory')) return [];
    const fixes: QuickFix[] = [];
    for (const diagnostic of request.diagnostics) {
      const found = entryAt(request, diagnostic, (entry) => entry.port?.range);
      if (!found) continue;
      const ctx = request.placement;
      const hit = obsoleteEntries(found.node, ctx).find((o) => o.entry === found.entry);
      if (!hit) continue;
      const opened = formatTransport(hit.ports, found.entry.protocol);
      const successor = hit.obsolete.length === 1 ? successorOf(hit.obsolete[0], ctx) : undefined;
      if (successor && successor.range.low === successor.range.high && needsClosed(found.node, ctx, successor)) {
        const edits = setScalar(found.target, found.entryNode, 'port', successor.range.low, 'port');
        if (edits) {
          fixes.push({
            title: `Replace ${opened} by ${formatTransport(successor.range, successor.port.protocol)} (${successor.port.purpose})`,
            edits,
            isPreferred: true,
            diagnostics: [diagnostic],
          });
          continue;
        }
      }
      const edits = removeListItem(found.target, found.list, found.index);
      if (edits) fixes.push({ title: `Remove the firewall rule for ${opened}`, edits, diagnostics: [diagnostic] });
    }
    return fixes;
  },
};

/** The node needs the successor's port and no entry admits it yet: then the obsolete entry is the one to move. */
function needsClosed(node: NodeFacts, ctx: PlacementContext, successor: EffectivePort): boolean {
  if (!firewallRequirements(node.roles, ctx).some((r) => r.port.id === successor.port.id)) return false;
  return !node.firewall.some((entry) => {
    const ports = openedPorts(entry);
    return ports !== undefined && entry.protocol === successor.port.protocol && rangesOverlap(ports, successor.range);
  });
}
