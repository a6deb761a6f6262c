import { isMap } from 'yaml';
import { appendToList, type EntryShape, type NewField } from '../core/yaml/edit';
import { DOCS } from '../knowledge/docs';
import { formatPortRange } from '../knowledge/net/portRange';
import { formatTransport, isIpProtocol } from '../knowledge/ports';
import { nodeAnchor, nodeLabel, placeOf } from '../model/cluster';
import {
  guardsOf,
  externalMissingPorts,
  type ExternalMissing,
  type FirewallContribution,
  type NodeGuard,
} from '../model/firewalls';
import { etcdMembership, missingPorts, placementContext, type MissingPort } from '../model/placement';
import { locatedRange } from '../sources/kind';
import { addLoopItems } from '../sources/ansible/write';
import { addSecurityGroupRules, type NewRule, type NewRuleSource } from '../sources/terraform/write';
import { cidrContains, parseInterfaceAddress } from '../knowledge/net/addresses';
import type { NodeFacts } from '../model/cluster';
import type { DiagnosticRef, QuickFix, Rule } from './types';
import { describePort, describeRoles, describeSource } from './util/describe';

export const missingPortRule: Rule = {
  meta: {
    id: 'missing-port-rule',
    severity: 'error',
    docs: DOCS.portsAndProtocols,
    title: "A node's firewall does not admit a port its roles need",
    description:
      "Required inbound ports per role, from the table of the cluster's distribution (the inventory's `spec.distribution`, or what its installer files imply): under kubeadm, the default, Kubernetes' Ports and Protocols page: control-plane nodes need the API server port (6443 or spec.apiServerPort), 10250 (kubelet), 10259 (kube-scheduler) and 10257 (kube-controller-manager); etcd members need 2379, and 2380 as well when there is more than one member (the nodes with role etcd, or the control-plane nodes when no node has that role); workers need 10250, 10256 (kube-proxy) and the NodePort range. Under RKE2 servers also need 9345 (supervisor) and 2381 between them, and every node the NodePort range and 10250 (a warning: nodes join without it, metrics-server needs it); under K3s servers need 6443, etcd 2379-2380 only on nodes with role etcd, and every node 10250 (a warning: the API server reaches kubelets through the supervisor's tunnel, only metrics-server needs it; the rest listens on loopback), plus 5001 and 6443 with the embedded registry; under k0s controllers need 6443 and 8132, and 9443 once there are two or more, and only nodes with role worker run a kubelet (10250). A node with several roles needs the union, plus the network plugin's ports. Rules of the same protocol may cover a range together; a partly covered range is reported with the missing part. Severity: error for the API server port, 2379, 2380, 10250 (a warning under RKE2 and K3s), the distribution's join ports and the plugin's data plane (the cluster cannot form without them), warning for the others. One diagnostic per missing port, on the node's `firewall` key (or its hostname when it has no firewall). Quick-fixes add the rules. A cloud firewall written in Terraform (an AWS security group attached to the `aws_instance`s whose `private_ip` or `Name` tag is a node's address or hostname) is checked the same way, as the union of every group attached to the node: one diagnostic per missing port on the group's `resource` line, naming the nodes (each as related information); entries whose port, protocol or source Terraform knows only when it runs (a data source, a variable without a value) may admit anything, so nothing they could cover is reported. Its quick-fix writes an `ingress` block (or an `aws_security_group_rule` when the group uses separate rules) admitting the group's own members, or the CIDRs of an existing rule that already admits every node. A Hetzner Cloud firewall (`hcloud_firewall` on the `hcloud_server` named like the node) filters only the public interface: it is checked for nodes the cluster reaches at a public address, and its fix writes a `rule` block with an existing rule's sources. OpenStack security groups (`openstack_networking_secgroup_v2` and their `_rule_v2`s on the `openstack_compute_instance_v2` named like the node or with its `fixed_ip_v4`) are checked like AWS groups, and so are Google Cloud firewall rules (`google_compute_firewall` applied by `target_tags` to the `google_compute_instance` named like the node or at its `network_ip`) where every deny that applies ranks below every allow; both without a fix yet. Host firewalls opened by Ansible tasks (`ansible.posix.firewalld` ports and firewalld's Kubernetes services, `community.general.ufw` allow rules once a task enables ufw, with literal `loop`s) are a layer of their own: a task applies to the nodes of the group its `when: \"'<group>' in group_names\"` or its play's `hosts` names (a role's task without a condition to every node), and a missing port is reported on the task that opens ports for the fewest of the nodes concerned; its quick-fix adds the port as an item of the task's `loop` when the task opens `port: \"{{ item }}\"`.",
    appliesTo: ['inventory', 'terraform', 'ansible-firewall'],
    example: {
      bad: '- hostname: cp-1\n  roles: [control-plane]\n  firewall:\n    - port: 10250',
      good: '- hostname: cp-1\n  roles: [control-plane]\n  firewall:\n    - port: 10250\n    - port: 6443\n    - port: 2379\n    - port: 10257\n    - port: 10259',
    },
  },
  checkNode(node, ctx, report) {
    const at = node.firewallKey ? placeOf(node, node.firewallKey) : nodeAnchor(node);
    for (const { requirement, missing } of missingPorts(node, ctx)) {
      const full = missing.length === 1 && missing[0].low === requirement.range.low && missing[0].high === requirement.range.high;
      const message = full
        ? `Node ${nodeLabel(node)} (${describeRoles(node.roles)}) has no firewall rule admitting ${describePort(requirement)}${describeSource(requirement)}.`
        : `Node ${nodeLabel(node)} (${describeRoles(node.roles)}) admits only part of ${describePort(requirement)}; ${missing.map(formatPortRange).join(', ')}/${requirement.port.protocol} ${missing.length === 1 ? 'is' : 'are'} not covered${describeSource(requirement)}.`;
      // `partial` lets the cluster map tell a partly covered range from a missing one without reading the message.
      report(at, message, {
        severity: requirement.port.missingSeverity,
        data: full ? { componentPort: requirement.port.id } : { componentPort: requirement.port.id, partial: true },
      });
    }
  },
  checkCluster(model, report) {
    const guards = guardsOf(model.firewalls, model.nodes);
    if (guards.length === 0) return;
    const ctx = placementContext(model.settings, etcdMembership(model.nodes));
    const guarding = new Map<FirewallContribution, number>();
    for (const g of guards) for (const f of g.firewalls) guarding.set(f, (guarding.get(f) ?? 0) + 1);
    for (const gap of externalMissingPorts(guards, ctx)) {
      const { requirement, missing, nodes } = gap;
      // The fix goes where rules for these nodes are written: the group with ingress rules guarding the fewest nodes (a "master" group rather than "common").
      const firewall = [...gap.firewalls].sort(
        (a, b) => Number(b.entries.length > 0) - Number(a.entries.length > 0) || (guarding.get(a) ?? 0) - (guarding.get(b) ?? 0),
      )[0];
      const firewalls = [firewall, ...gap.firewalls.filter((f) => f !== firewall)];
      const full = missing.length === 1 && missing[0].low === requirement.range.low && missing[0].high === requirement.range.high;
      const what = full
        ? `admits no ${describePort(requirement)}`
        : `admits only part of ${describePort(requirement)}; ${missing.map(formatPortRange).join(', ')}/${requirement.port.protocol} ${missing.length === 1 ? 'is' : 'are'} not covered`;
      const labels = firewalls.map((f) => f.label).join(', ');
      // One group admits no port / only part; several: none of them admits it, or together they admit only part.
      const lead =
        firewalls.length === 1
          ? `${firewall.label} ${what}`
          : full
            ? `None of ${labels} ${what.replace(/^admits no/, 'admits')}`
            : `${labels} together ${what.replace(/^admits/, 'admit')}`;
      const named = nodes.slice(0, 5).map(nodeLabel).join(', ') + (nodes.length > 5 ? ` and ${nodes.length - 5} more` : '');
      const roles = describeRoles(nodes[0].roles);
      const sameRoles = nodes.every((n) => describeRoles(n.roles) === roles);
      const message = `${lead}${describeSource(requirement)}; node${nodes.length === 1 ? '' : 's'} ${named}${sameRoles ? ` (${roles})` : ''}${firewall.layer === 'host' ? '' : ` behind ${firewalls.length === 1 ? 'it' : 'them'}`} need${nodes.length === 1 ? 's' : ''} it.`;
      const source = newRuleSource({ ...gap, firewalls }, model.nodes, guards);
      report(firewall.header, message, {
        severity: requirement.port.missingSeverity,
        data: {
          componentPort: requirement.port.id,
          ...(full ? {} : { partial: true }),
          firewall: firewall.id,
          style: firewall.style,
          ports: missing,
          protocol: requirement.port.protocol,
          purpose: requirement.port.purpose,
          ...(source ? { source } : {}),
        },
        related: [
          ...nodes
            .slice(0, 20)
            .map((n) => ({ at: nodeAnchor(n), message: `${nodeLabel(n)} needs ${describePort(requirement)}` })),
          ...firewalls.slice(1).map((f) => ({
            at: f.header,
            message: `${f.label} also guards ${nodes.length === 1 ? 'this node' : 'these nodes'}`,
          })),
        ],
      });
    }
  },
  /**
   * One fix per missing port ("Add firewall rule 6443/TCP (Kubernetes API server) to cp-1")
   * and one for all of a node's missing ports, computed from the current text so that a
   * stale diagnostic never produces a wrong edit.
   */
  fixes(request) {
    if (/\.tf$/i.test(request.uri)) return terraformFixes(request);
    if (request.diagnostics.some((d) => (d.data as TerraformGap | undefined)?.style === 'ansible')) return ansibleFixes(request);
    const fixes: QuickFix[] = [];
    const nodesDone = new Set<number>();
    // The diagnostics of each line, found once: looking them up per node was quadratic in a file of 2,000 nodes.
    const byLine = new Map<number, DiagnosticRef[]>();
    for (const d of request.diagnostics) {
      const list = byLine.get(d.range.start.line);
      if (list) list.push(d);
      else byLine.set(d.range.start.line, [d]);
    }
    for (const diagnostic of request.diagnostics) {
      const located = request.locate(request.offsetAt(diagnostic.range.start));
      if (located?.region !== 'item' || !located.node || !located.document || !isMap(located.itemNode)) continue;
      const missing = missingPorts(located.node, request.placement);
      if (missing.length === 0) continue;
      const name = located.node.hostname?.value ?? 'this node';
      const target = { parsed: located.parsed, toRange: (start: number, end: number) => locatedRange(located, start, end) };
      // "Add all" first and preferred: it is what fix-all applies, one edit per node.
      // One per node item: where the inventory is parsed whole (something follows the node list, as a
      // `cni:` after `nodes:`), every item has the same base, so the key is where the item starts.
      const itemStart = located.base + ((located.itemNode as { range?: number[] }).range?.[0] ?? 0);
      if (missing.length > 1 && !nodesDone.has(itemStart)) {
        nodesDone.add(itemStart);
        const entries = entriesFor(missing);
        const edits = appendToList(target, located.itemNode, 'firewall', entries, FIREWALL_ENTRY);
        if (edits) {
          const related = byLine.get(diagnostic.range.start.line)!;
          fixes.push({
            title: `Add all ${entries.length} missing port rules to ${name}`,
            edits,
            isPreferred: true,
            diagnostics: related,
          });
        }
      }
      const wanted = (diagnostic.data as { componentPort?: string } | undefined)?.componentPort;
      const targets = wanted ? missing.filter((m) => m.requirement.port.id === wanted) : missing;
      for (const one of targets) {
        const edits = appendToList(target, located.itemNode, 'firewall', entriesFor([one]), FIREWALL_ENTRY);
        if (!edits) continue;
        fixes.push({
          title: `Add firewall rule ${one.missing.map((r) => formatTransport(r, one.requirement.port.protocol)).join(', ')} (${one.requirement.port.purpose}) to ${name}`,
          edits,
          isPreferred: missing.length === 1,
          diagnostics: [diagnostic],
        });
      }
    }
    return fixes;
  },
  fixesAddMissing: true,
};

/** How the inventory writes a firewall entry. */
const FIREWALL_ENTRY: EntryShape = { keys: ['port', 'protocol', 'comment'], required: [], quoted: 'port' };

/** The firewall entries that admit the missing parts: port (or range), protocol and why. */
function entriesFor(missing: readonly MissingPort[]): NewField[][] {
  return missing.flatMap((m): NewField[][] => {
    const protocol = m.requirement.port.protocol;
    // An IP protocol (IP-in-IP, GRE, ESP) is admitted whole: no port.
    if (isIpProtocol(protocol))
      return [
        [
          { key: 'protocol', value: protocol, necessary: true },
          { key: 'comment', value: m.requirement.port.purpose },
        ],
      ];
    return m.missing.map((ports) => [
      { key: 'port', value: ports.low === ports.high ? ports.low : formatPortRange(ports) },
      // TCP is the default: files that never write a protocol keep not writing it.
      { key: 'protocol', value: protocol, necessary: protocol !== 'TCP' },
      { key: 'comment', value: m.requirement.port.purpose },
    ]);
  });
}

/**
 * Where a rule for the missing port admits traffic from: the group's own members when every
 * node of the cluster is behind it, else the CIDRs of one of its entries that already admit
 * every node's address; none (no fix) otherwise.
 */
function newRuleSource(
  gap: ExternalMissing,
  nodes: readonly NodeFacts[],
  guards: readonly NodeGuard[],
): NewRuleSource | undefined {
  const firewall: FirewallContribution = gap.firewalls[0];
  const addresses = nodes.map((n) =>
    (n.interfaces ?? []).flatMap((i) => {
      const parsed = i.address && parseInterfaceAddress(i.address.value);
      return parsed ? [parsed] : [];
    }),
  );
  const guarded = new Set(guards.filter((g) => g.firewalls.includes(firewall)).map((g) => g.node));
  // Hetzner Cloud has no group references: only CIDRs.
  if (firewall.style !== 'hcloud' && nodes.every((n) => guarded.has(n))) return { self: true };
  if (addresses.some((a) => a.length === 0)) return undefined;
  for (const entry of firewall.entries) {
    const cidrs = entry.sources.map((s) => (s.source.kind === 'cidr' ? s.source.cidr : undefined));
    if (cidrs.length === 0 || cidrs.some((c) => !c)) continue;
    if (addresses.every((list) => list.some((a) => cidrs.some((c) => cidrContains(c!, a)))))
      return { cidrs: cidrs.map((c) => c!.text) };
  }
  return undefined;
}

interface TerraformGap {
  firewall?: string;
  style?: 'aws-inline' | 'aws-rules' | 'hcloud' | 'ansible';
  ports?: Array<{ low: number; high: number }>;
  protocol?: NewRule['protocol'];
  purpose?: string;
  source?: NewRuleSource;
}

/** The fixes in a Terraform file: one per diagnostic, written from what the diagnostic carries. */
function terraformFixes(request: Parameters<NonNullable<import('./types').Rule['fixes']>>[0]): QuickFix[] {
  const single: QuickFix[] = [];
  /** Per firewall (its header line and id): every diagnostic's rules, for one "add all" fix that fix-all applies. */
  const byFirewall = new Map<
    string,
    {
      line: number;
      type: string;
      name: string;
      style: Exclude<NonNullable<TerraformGap['style']>, 'ansible'>;
      rules: NewRule[];
      diagnostics: DiagnosticRef[];
    }
  >();
  for (const diagnostic of request.diagnostics) {
    const gap = diagnostic.data as TerraformGap | undefined;
    if (!gap?.firewall || !gap.style || gap.style === 'ansible' || !gap.ports?.length || !gap.protocol || !gap.source) continue;
    const [, type, name] = /#(aws_security_group|hcloud_firewall)\.(.+)$/.exec(gap.firewall) ?? [];
    if (!name) continue;
    const rules: NewRule[] = gap.ports.map((ports) => ({
      ports,
      protocol: gap.protocol!,
      description: gap.purpose ?? '',
      source: gap.source!,
    }));
    const line = diagnostic.range.start.line;
    const key = `${line}|${gap.firewall}|${gap.style}`;
    const group = byFirewall.get(key);
    if (group) {
      group.rules.push(...rules);
      group.diagnostics.push(diagnostic);
    } else byFirewall.set(key, { line, type, name, style: gap.style, rules: [...rules], diagnostics: [diagnostic] });
    const edits = addSecurityGroupRules(request.text, request.positionAt, line, name, gap.style, rules);
    if (!edits) continue;
    const what = gap.ports.map((r) => formatTransport(r, gap.protocol!)).join(', ');
    single.push({
      title: `Add ${gap.style === 'aws-rules' ? 'aws_security_group_rule' : gap.style === 'hcloud' ? 'rule' : 'ingress rule'} ${what} (${gap.purpose}) to ${type} "${name}"`,
      edits,
      isPreferred: true,
      diagnostics: [diagnostic],
    });
  }
  const all: QuickFix[] = [];
  for (const { line, type, name, style, rules, diagnostics } of byFirewall.values()) {
    if (diagnostics.length < 2) continue;
    const edits = addSecurityGroupRules(request.text, request.positionAt, line, name, style, rules);
    if (!edits) continue;
    // "Add all" first and preferred: one edit per firewall, what fix-all applies.
    all.push({ title: `Add all ${rules.length} missing rules to ${type} "${name}"`, edits, isPreferred: true, diagnostics });
    for (const fix of single) if (fix.diagnostics.every((d) => diagnostics.includes(d))) fix.isPreferred = false;
  }
  return [...all, ...single];
}

/** The fixes in an Ansible tasks file: the missing ports as items of the task's loop. */
function ansibleFixes(request: Parameters<NonNullable<Rule['fixes']>>[0]): QuickFix[] {
  const fixes: QuickFix[] = [];
  for (const diagnostic of request.diagnostics) {
    const gap = diagnostic.data as TerraformGap | undefined;
    if (gap?.style !== 'ansible' || !gap.ports?.length || !gap.protocol) continue;
    const edits = addLoopItems(request.text, request.positionAt, diagnostic.range.start.line, gap.ports, gap.protocol);
    if (!edits) continue;
    fixes.push({
      title: `Add ${gap.ports.map((r) => formatTransport(r, gap.protocol!)).join(', ')} (${gap.purpose}) to the task's loop`,
      edits,
      isPreferred: true,
      diagnostics: [diagnostic],
    });
  }
  return fixes;
}
