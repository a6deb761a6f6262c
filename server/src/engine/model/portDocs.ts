import type { EffectivePort } from './settings';
import { DOCS } from '../knowledge/docs';
import { DISTRIBUTIONS } from '../knowledge/distributions';
import { formatTransport, isIpProtocol, WELL_KNOWN_PORTS, type PortRange, type Role, type Transport } from '../knowledge/ports';
import { componentsOn, firewallRequirements, type PlacementContext } from './placement';
import { formatPortRange, portRangeSize, rangesOverlap } from '../knowledge/net/portRange';

/** The table the requirements come from: Kubernetes' own, or the cluster's distribution's. */
function portsLink(ctx: PlacementContext): string {
  const info = DISTRIBUTIONS[ctx.distribution];
  return `[${info.tableTitle}](${info.docs})`;
}

const PLACEMENT_TEXT: Record<string, string> = {
  'control-plane': 'control-plane nodes',
  worker: 'worker nodes',
  'etcd-member': 'etcd members',
  'kubernetes-node': 'every node',
  'any-node': 'every node',
};

function componentLine(p: EffectivePort): string {
  const open = p.port.openOn?.map((o) => PLACEMENT_TEXT[o]).join(', ');
  const where = open
    ? `${p.port.direction.toLowerCase()} on ${open}${p.port.onlyWithPeers ? ` (once there is more than one of the ${PLACEMENT_TEXT[p.port.onlyWithPeers]})` : ''}`
    : `bound on ${p.port.runsOn.map((o) => PLACEMENT_TEXT[o]).join(', ')}; no firewall rule needed`;
  const source = p.source ? ` Set by ${p.source.description}.` : '';
  const configured = p.port.configuredBy.length ? ` Configured with ${p.port.configuredBy.join(', ')}.` : '';
  const why = p.port.id.startsWith('cni-')
    ? p.port.missingSeverity === 'error'
      ? " The cluster's network plugin carries pod traffic over it: without it, pods cannot reach pods on other nodes."
      : " The cluster's network plugin uses it for health or control; pod traffic still flows without it."
    : '';
  return `- **${formatTransport(p.range, p.port.protocol)} — ${p.port.purpose}** (${p.port.component}): ${where}; used by ${p.port.usedBy}.${why}${source}${configured} [docs](${p.port.docs})`;
}

/** Markdown for a port or range in a firewall rule, listener or setting: who uses it and who needs it open. */
export function portHover(range: PortRange, protocol: Transport, ctx: PlacementContext, roles?: readonly Role[]): string {
  const lines = [`**${formatTransport(range, protocol)}**`, ''];
  const matches = (p: EffectivePort) =>
    !p.disabled && p.port.protocol === protocol && (isIpProtocol(protocol) || rangesOverlap(p.range, range));
  const components = [...ctx.ports.values(), ...ctx.cniPorts].filter(matches);
  // A port the cluster's own plugin or distribution explains needs no second, generic line.
  const known = WELL_KNOWN_PORTS.filter(
    (w) => w.protocol === protocol && rangesOverlap(w.ports, range) && !components.some((c) => rangesOverlap(c.range, w.ports)),
  );
  for (const p of components) lines.push(componentLine(p));
  for (const w of known)
    lines.push(
      `- **${formatPortRange(w.ports)}/${w.protocol} — ${w.name}**: not a Kubernetes component port; open it when you run it. [docs](${w.docs})`,
    );
  if (!components.length && !known.length)
    lines.push(`No Kubernetes component uses ${portRangeSize(range) === 1 ? 'this port' : 'a port in this range'}.`);
  if (roles) {
    const required = firewallRequirements(roles, ctx).filter(matches);
    lines.push('');
    lines.push(
      required.length
        ? `This node (${roles.join(', ')}) needs it for ${required.map((p) => p.port.purpose).join(', ')}.`
        : `This node's roles (${roles.join(', ') || 'none'}) do not require it.`,
    );
  }
  lines.push('', portsLink(ctx));
  return lines.join('\n');
}

/** Markdown for a role: what runs there and which inbound ports it needs. */
export function roleHover(role: Role, ctx: PlacementContext): string {
  const running = componentsOn([role], ctx).map((p) => p.port.component);
  const required = firewallRequirements([role], { ...ctx, etcdHasPeers: true, controlPlaneHasPeers: true });
  const lines = [`**${role}**`, ''];
  if (ctx.distribution !== 'kubeadm')
    lines.push(`${DISTRIBUTIONS[ctx.distribution].label} cluster: its ${DISTRIBUTIONS[ctx.distribution].roleNames}.`, '');
  lines.push(`Runs: ${[...new Set(running)].join(', ') || 'no Kubernetes component by itself'}.`);
  if (role === 'control-plane' && !ctx.anyEtcdRole)
    lines.push('With no node of role etcd, control-plane nodes are the etcd members (stacked etcd).');
  if (role === 'etcd' && !ctx.anyEtcdRole)
    lines.push('Nodes with this role become the etcd members instead of the control-plane nodes.');
  lines.push('', 'Inbound ports it needs:');
  for (const p of required) {
    const peers = p.port.onlyWithPeers ? ` (with more than one of the ${PLACEMENT_TEXT[p.port.onlyWithPeers]})` : '';
    lines.push(`- ${formatTransport(p.range, p.port.protocol)} — ${p.port.purpose}${peers}`);
  }
  lines.push('', portsLink(ctx));
  return lines.join('\n');
}

/** The NodePort static band (KEP-3668): ports chosen by hand should come from it. */
export function staticBand(range: PortRange): PortRange | undefined {
  const size = portRangeSize(range);
  if (size <= 16) return undefined;
  const bandSize = Math.min(Math.max(16, Math.floor(size / 32)), 128);
  return { low: range.low, high: range.low + bandSize - 1 };
}

/** Markdown for a Service's nodePort value. */
export function nodePortHover(port: number, range: PortRange, source: string | undefined): string {
  const inRange = port >= range.low && port <= range.high;
  const lines = [`**nodePort ${port}**`, ''];
  lines.push(
    inRange
      ? `Inside the cluster's NodePort range ${formatPortRange(range)}${source ? ` (${source})` : ''}. kube-proxy opens it on every node.`
      : `Outside the cluster's NodePort range ${formatPortRange(range)}${source ? ` (${source})` : ''}: the API server will reject this Service.`,
  );
  const band = staticBand(range);
  if (band && inRange) {
    lines.push(
      port <= band.high
        ? `It is in the static band ${formatPortRange(band)}, which the control plane assigns last: the right place for ports chosen by hand.`
        : `It is in the dynamic band ${band.high + 1}-${range.high}, which the control plane assigns automatically first; a port chosen by hand is safer in ${formatPortRange(band)}.`,
    );
  }
  lines.push('', `[NodePort Services](${DOCS.nodePortService})`);
  return lines.join('\n');
}
