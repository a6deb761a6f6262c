/**
 * Completion in Kubespray YAML files: in an inventory, the keys of a group (hosts, children,
 * vars), Kubespray's group names under children, and the host variables Cluster Preflight reads;
 * in group_vars and host_vars, the variables it reads, with their defaults.
 */
import type { CompletionCandidate, CompletionPlace } from '../../schema/complete';
import type { CompletionContext } from '../kind';
import { KubesprayVarsDocument } from './document';
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
  if (parent === 'children')
    return Object.entries(GROUPS)
      .filter(([name]) => !place.present.has(name))
      .map(([name, meaning]) => ({
        label: name,
        kind: 'property',
        detail: meaning.description,
        insertText: `${name}:\n${' '.repeat(place.column + 2)}hosts:\n${' '.repeat(place.column + 4)}`,
      }));
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
