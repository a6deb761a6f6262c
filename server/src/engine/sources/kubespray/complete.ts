/**
 * Completion in Kubespray YAML files: in an inventory, the keys of a group (hosts, children,
 * vars), Kubespray's group names under children, and the host variables Cluster Preflight reads;
 * in group_vars and host_vars, the variables it reads, with their defaults.
 */
import type { CompletionCandidate, CompletionPlace } from '../../schema/complete';
import type { CompletionContext } from '../kind';
import { KubesprayInventoryDocument, KubesprayVarsDocument } from './document';
import { GROUPS, VARIABLES } from './variables';

const HOST_VARIABLES = [
  'ansible_host',
  'ansible_port',
  'ip',
  'access_ip',
  'ip6',
  'access_ip6',
  'kube_override_hostname',
  'etcd_member_name',
];

function variables(names: readonly string[], present: ReadonlySet<string>): CompletionCandidate[] {
  return names
    .filter((name) => !present.has(name) && VARIABLES[name])
    .map((name) => ({
      label: name,
      kind: 'property' as const,
      detail: VARIABLES[name].description,
      documentation: VARIABLES[name].default
        ? `${VARIABLES[name].description}\n\nKubespray's default: ${VARIABLES[name].default}.`
        : VARIABLES[name].description,
      insertText: `${name}: `,
    }));
}

export function kubesprayComplete(place: CompletionPlace, context: CompletionContext): CompletionCandidate[] {
  if (place.position !== 'key') return [];
  const path = place.path;
  if (context.document instanceof KubesprayVarsDocument || (!context.document && /\/(group|host)_vars\//.test(context.uri))) {
    // Another Ansible project's group_vars get nothing from us: only those next to a Kubespray inventory.
    if (!(context.document instanceof KubesprayVarsDocument) || !context.model || !context.document.reportsIn(context.model))
      return [];
    if (path.length !== 0) return [];
    const forHost = /\/host_vars\//.test(context.uri);
    return variables(forHost ? HOST_VARIABLES : Object.keys(VARIABLES).filter((n) => !HOST_VARIABLES.includes(n)), place.present);
  }
  const parent = path[path.length - 1];
  const grandparent = path[path.length - 2];
  if (parent === 'children') return childGroups(path, place);
  // Under a group's `hosts:` come host names: those the inventory names elsewhere, never group keys.
  if (parent === 'hosts') return hostNames(context, place);
  if (grandparent === 'hosts') return variables(HOST_VARIABLES, place.present);
  if (parent === 'vars')
    return variables(
      Object.keys(VARIABLES).filter((n) => !HOST_VARIABLES.includes(n)),
      place.present,
    );
  // A group's own keys.
  return ['hosts', 'children', 'vars']
    .filter((key) => !place.present.has(key))
    .map((key) => ({ label: key, kind: 'property', insertText: `${key}:\n${' '.repeat(place.column + 2)}` }));
}

/** What Kubespray's sample inventory puts under k8s_cluster: every Kubernetes node's group, and nothing else. */
const K8S_CLUSTER_CHILDREN = ['kube_control_plane', 'kube_node', 'calico_rr'];

/**
 * Kubespray's groups under a `children:` key. Under `all` a group is declared with its hosts; under
 * any other group it is a reference to a group declared elsewhere, so it gets no `hosts:`. A group is
 * never offered inside itself or its ancestors (Ansible rejects the cycle).
 */
function childGroups(path: CompletionPlace['path'], place: CompletionPlace): CompletionCandidate[] {
  const owner = path[path.length - 2];
  const ancestors = new Set(path.filter((p): p is string => typeof p === 'string'));
  const declaring = owner === 'all' || owner === undefined;
  const names =
    owner === 'k8s_cluster' ? K8S_CLUSTER_CHILDREN : Object.keys(GROUPS).filter((name) => declaring || !ancestors.has(name));
  return names
    .filter((name) => !place.present.has(name))
    .map((name) => ({
      label: name,
      kind: 'property',
      detail: GROUPS[name].description,
      insertText: declaring ? `${name}:\n${' '.repeat(place.column + 2)}hosts:\n${' '.repeat(place.column + 4)}` : `${name}:`,
    }));
}

function hostNames(context: CompletionContext, place: CompletionPlace): CompletionCandidate[] {
  if (!(context.document instanceof KubesprayInventoryDocument)) return [];
  const names = new Set<string>();
  for (const group of context.document.inventory.groups) for (const host of group.hosts) names.add(host.name);
  return [...names]
    .filter((name) => !place.present.has(name))
    .map((name) => ({ label: name, kind: 'reference', detail: 'A host of this inventory', insertText: `${name}:` }));
}
