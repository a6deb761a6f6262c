/**
 * Hovers in Kubespray files say what Cluster Preflight made of them: a host's groups, roles,
 * address and the ports it needs; a group's meaning; a variable's meaning, default and the
 * value the cluster gets, with where it comes from.
 */
import { isScalar } from 'yaml';
import type { Position, Range } from '../../core/text/positions';
import { FORMAT_DOCS } from '../../knowledge/docs';
import { cniMtuHover } from '../../model/mtuDocs';
import { guardHover } from '../../model/firewalls';
import { roleHover } from '../../model/portDocs';
import { hoverTarget, type HoverContext, type LocatedYaml } from '../kind';
import { kubesprayCluster, type KubesprayCluster } from './cluster';
import { KUBESPRAY_KIND_ID, KubesprayInventoryDocument, KubesprayVarsDocument } from './document';
import type { AnsibleVar } from './ansible';
import { canonicalGroup, GROUPS, VARIABLES } from './variables';

const ADDRESS_ORDER = ['ip', 'access_ip', 'ansible_host'];
const MTU_VARIABLES = ['calico_mtu', 'calico_veth_mtu', 'cilium_mtu'];

function clusterOf(context: HoverContext): KubesprayCluster | undefined {
  const members = context.model?.members(KUBESPRAY_KIND_ID) ?? [];
  return members.length ? kubesprayCluster(members) : undefined;
}

function hostHover(name: string, context: HoverContext): string {
  const lines = [`**${name}** — Kubespray host`, ''];
  const host = clusterOf(context)?.nodes.find((h) => h.name === name);
  if (!host) {
    lines.push('Not in a Kubernetes group (kube_control_plane, kube_node, etcd, calico_rr): not a node of the cluster.');
  } else {
    const groups = [...host.groups].filter((g) => g !== 'all');
    lines.push(`Groups: ${groups.join(', ')}; roles: ${host.roles.join(', ') || 'none'}.`);
    const address = ADDRESS_ORDER.map((v) => ({ v, r: host.variable(v) })).find(
      ({ r }) => r && r.variable.value !== '' && r.variable.value !== null,
    );
    lines.push(
      '',
      address
        ? `Address: ${address.r!.variable.templated ? 'a template, unknown until Ansible renders it' : String(address.r!.variable.value)} (\`${address.v}\`, from ${address.r!.source}).`
        : 'No `ip`, `access_ip` or `ansible_host`: Kubespray uses the address Ansible finds on the host, which Cluster Preflight cannot check.',
    );
    // The model's node for this host: the one read from the host's first mention.
    const first = host.first;
    const node = context.model?.nodes.find(
      (n) =>
        n.kind === KUBESPRAY_KIND_ID &&
        n.origin.uri === first.origin.uri &&
        n.itemRange.start.line === first.range.start.line &&
        n.itemRange.start.character === first.range.start.character,
    );
    const firewalls = node && context.model && guardHover(context.model.firewalls, context.model.nodes, node);
    if (firewalls) lines.push('', firewalls);
    for (const role of host.roles) lines.push('', roleHover(role, context.placement));
  }
  lines.push('', `[Kubespray inventory](${FORMAT_DOCS.kubesprayInventory})`);
  return lines.join('\n');
}

function groupHover(name: string, context: HoverContext): string | undefined {
  const canonical = canonicalGroup(name);
  const meaning = GROUPS[canonical];
  if (!meaning) return undefined;
  const lines = [`**${name}**${canonical !== name ? ` (the old name of ${canonical})` : ''}`, '', meaning.description];
  const cluster = clusterOf(context);
  if (cluster) {
    const members = cluster.nodes.filter((h) => h.groups.has(canonical)).length;
    lines.push('', `${members} ${members === 1 ? 'host' : 'hosts'} in this cluster.`);
  }
  if (meaning.role) lines.push('', roleHover(meaning.role, context.placement));
  lines.push('', `[Kubespray inventory](${FORMAT_DOCS.kubesprayInventory})`);
  return lines.join('\n');
}

function variableHover(name: string, context: HoverContext): string | undefined {
  const meaning = VARIABLES[name];
  if (!meaning) return undefined;
  const lines = [`**${name}**`, '', meaning.description];
  if (meaning.default) lines.push('', `Kubespray's default: ${meaning.default}.`);
  const effective = clusterOf(context)?.setting(name);
  if (effective && !['ip', 'access_ip', 'ansible_host', 'ansible_port', 'ip6', 'access_ip6'].includes(name)) {
    const value = effective.variable.templated
      ? 'a template, unknown until Ansible renders it'
      : `\`${JSON.stringify(effective.variable.value)}\``;
    lines.push('', `The cluster gets ${value}, from ${effective.source}.`);
  }
  // The plugin's MTU: the arithmetic against the nodes' interfaces, when it is the value in force.
  if (
    MTU_VARIABLES.includes(name) &&
    effective &&
    !effective.variable.templated &&
    /^\d+$/.test(String(effective.variable.value).trim())
  )
    lines.push('', cniMtuHover(Number(effective.variable.value), name, context.settings, context.model));
  lines.push('', `[Kubespray variables](${FORMAT_DOCS.kubesprayVars})`);
  return lines.join('\n');
}

/** Hovers in a YAML inventory or a group_vars/host_vars file. */
export function kubesprayHover(located: LocatedYaml, context: HoverContext): string | undefined {
  const { at } = located;
  if (!at) return undefined;
  const path = at.path.map(String);
  const document = located.document;
  if (document instanceof KubesprayVarsDocument || (!document && /\/(group|host)_vars\//.test(context.uri))) {
    // Another Ansible project's group_vars get nothing from us: only those next to a Kubespray inventory.
    if (!(document instanceof KubesprayVarsDocument) || !context.model || !document.reportsIn(context.model)) return undefined;
    return path.length === 1 ? variableHover(path[0], context) : undefined;
  }
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  if (at.onKey && parent === 'hosts') return hostHover(last, context);
  if (at.onKey && (parent === 'children' || path.length === 1)) return groupHover(last, context);
  // A variable of a host (all.hosts.node1.ip) or of a group (vars.kube_apiserver_port).
  const hostVar = path.length >= 2 && path[path.length - 3] === 'hosts';
  const groupVar = parent === 'vars';
  if ((hostVar || groupVar) && (at.onKey || isScalar(hoverTarget(at)))) return variableHover(last, context);
  return undefined;
}

const contains = (range: Range, position: Position) =>
  (range.start.line < position.line || (range.start.line === position.line && range.start.character <= position.character)) &&
  (position.line < range.end.line || (position.line === range.end.line && position.character <= range.end.character));

/** Hovers in an INI inventory: a section's group name, a host name, or a variable's name or value. */
export function kubesprayIniHover(
  doc: KubesprayInventoryDocument | KubesprayVarsDocument,
  position: Position,
  context: HoverContext,
): { markdown: string; range: Range } | undefined {
  if (!(doc instanceof KubesprayInventoryDocument)) return undefined;
  const at = { line: position.line - doc.chunk.startLine, character: position.character };
  const shift = (range: Range): Range => ({
    start: { line: range.start.line + doc.chunk.startLine, character: range.start.character },
    end: { line: range.end.line + doc.chunk.startLine, character: range.end.character },
  });
  for (const group of doc.inventory.groups) {
    if (contains(group.keyRange, at)) {
      const markdown = groupHover(group.name, context);
      return markdown ? { markdown, range: shift(group.keyRange) } : undefined;
    }
    for (const child of group.children) {
      if (contains(child.range, at)) {
        const markdown = groupHover(child.name, context);
        return markdown ? { markdown, range: shift(child.range) } : undefined;
      }
    }
    // A group's variables, then each host's name and variables.
    const variable = (vars: readonly AnsibleVar[]) => {
      const hit = vars.find((v) => contains(v.keyRange, at) || contains(v.range, at));
      const markdown = hit && variableHover(hit.name, context);
      return hit
        ? markdown
          ? { markdown, range: shift(contains(hit.keyRange, at) ? hit.keyRange : hit.range) }
          : null
        : undefined;
    };
    const inGroup = variable(group.vars);
    if (inGroup !== undefined) return inGroup ?? undefined;
    for (const host of group.hosts) {
      if (contains(host.nameRange, at)) return { markdown: hostHover(host.name, context), range: shift(host.nameRange) };
      const inHost = variable(host.vars);
      if (inHost !== undefined) return inHost ?? undefined;
    }
  }
  return undefined;
}
