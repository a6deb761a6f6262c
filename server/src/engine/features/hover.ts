import { isScalar } from 'yaml';
import { clusterPorts } from '../cluster/ports';
import { NO_CLUSTER_SETTINGS } from '../cluster/settings';
import { DEFAULT_NODEPORT_RANGE, PROTOCOLS, ROLES, type Protocol, type Role } from '../kubernetes/ports';
import type { PlacementContext } from '../inventory/requirements';
import { parsePortRange, portRangeOf } from '../net/portRange';
import { schemaDocument } from '../schema/registry';
import type { Position, Range } from '../text/positions';
import type { Workspace } from '../workspace/workspace';
import { configApi } from '../kubeadm/kinds';
import { portOfBindAddress } from '../net/endpoints';
import { findPair, locatePath, stringValue } from '../yaml/ast';
import { absoluteRange, locate, type LocatedYaml } from './locate';
import { nodePortHover, portHover, roleHover } from './portDocs';

export interface HoverResult {
  markdown: string;
  range: Range;
}

/** Hover for ports, roles and keys of inventories and Services. */
export function hover(workspace: Workspace, uri: string, position: Position): HoverResult | undefined {
  const file = workspace.file(uri);
  if (!file) return undefined;
  const offset = file.buffer.offsetAt(position);
  const located = locate(file, offset);
  if (!located?.at) return undefined;
  const { at } = located;
  const target = at.onKey ? at.key : at.node;
  if (!target?.range) return undefined;
  const range = absoluteRange(located, target.range[0], target.range[1]);
  const markdown =
    located.kind === 'service'
      ? serviceHover(workspace, uri, located)
      : located.kind === 'config'
        ? configHover(workspace, uri, located)
        : inventoryHover(workspace, uri, located);
  return markdown ? { markdown, range } : undefined;
}

function inventoryHover(workspace: Workspace, uri: string, located: LocatedYaml): string | undefined {
  const { at } = located;
  if (!at) return undefined;
  const ctx = contextFor(workspace, uri, located);
  const path = at.path;
  const valueText = isScalar(at.node) ? at.node.value : undefined;
  if (!at.onKey && located.region === 'item') {
    // firewall[i].port, listeners[i].port, roles[i]
    if ((path[0] === 'firewall' || path[0] === 'listeners') && path[2] === 'port') {
      const range = portRangeOf(valueText);
      const protocolText = stringValue(findPair(parentOf(located, located.itemNode), 'protocol')?.value);
      const protocol = PROTOCOLS.includes(protocolText as Protocol) ? (protocolText as Protocol) : 'TCP';
      if (range) return portHover(range, protocol, ctx, located.node?.roles);
    }
    if (path[0] === 'roles' && ROLES.includes(valueText as Role)) return roleHover(valueText as Role, ctx);
  }
  if (!at.onKey && located.region === 'document' && path[0] === 'spec') {
    if (path[1] === 'apiServerPort' && typeof valueText === 'number')
      return portHover({ low: valueText, high: valueText }, 'TCP', ctx);
    if (path[1] === 'nodePortRange' && typeof valueText === 'string') {
      const parsed = parsePortRange(valueText);
      if (parsed.ok) return portHover(parsed.range, 'TCP', ctx);
    }
  }
  const root = schemaDocument('inventory');
  return schemaHover(root, root, located.region === 'item' ? ['spec', 'nodes', 0, ...path] : path, at.onKey);
}

/** Keys of kubeadm, kubelet and kube-proxy configs: description, default and the reference anchor of their type; port values as in inventories. */
function configHover(workspace: Workspace, uri: string, located: LocatedYaml): string | undefined {
  const { at, parsed } = located;
  if (!at) return undefined;
  const root = parsed.doc.contents;
  const api = configApi(stringValue(findPair(root, 'apiVersion')?.value) ?? '');
  const kind = stringValue(findPair(root, 'kind')?.value) ?? '';
  if (!api?.schema || !api.kinds.includes(kind)) return undefined;
  const value = isScalar(at.node) ? at.node.value : undefined;
  if (!at.onKey && value !== undefined && value !== null) {
    const port = configPortValue(at.path, String(value), located);
    if (port) {
      const ctx = contextFor(workspace, uri, located);
      return portHover(port, 'TCP', ctx);
    }
  }
  const schemaRoot = schemaDocument(api.schema);
  return schemaHover(schemaRoot, schemaRoot.definitions[kind], at.path, at.onKey, api.reference);
}

/** Port numbers (and ranges) in config documents: bindPort, secure-port, kubelet ports, bind addresses. */
function configPortValue(path: ReadonlyArray<string | number>, value: string, located: LocatedYaml) {
  const last = path[path.length - 1];
  const flag =
    last === 'value' ? stringValue(findPair(parentOf(located, located.parsed.doc.contents), 'name')?.value) : String(last);
  if (['bindPort', 'port', 'healthzPort', 'readOnlyPort', 'secure-port'].includes(flag ?? '')) return portRangeOf(Number(value));
  if (flag === 'service-node-port-range') return portRangeOf(value);
  if (flag === 'healthzBindAddress' || flag === 'metricsBindAddress') {
    const port = portOfBindAddress(value);
    return port === undefined ? undefined : portRangeOf(port);
  }
  return undefined;
}

function serviceHover(workspace: Workspace, uri: string, located: LocatedYaml): string | undefined {
  const { at } = located;
  if (!at || at.onKey || at.path[0] !== 'spec' || at.path[1] !== 'ports' || at.path[3] !== 'nodePort') return undefined;
  const value = isScalar(at.node) ? at.node.value : undefined;
  if (typeof value !== 'number') return undefined;
  const setting = workspace.lastSettings(uri)?.nodePortRange;
  return nodePortHover(value, setting?.range ?? DEFAULT_NODEPORT_RANGE, setting?.source?.description);
}

/**
 * The schema's description of a key (or of the value under the cursor), with its type and
 * default, and for config APIs a link to the reference section of the type that holds it.
 */
function schemaHover(
  root: any,
  start: any,
  path: ReadonlyArray<string | number>,
  onKey: boolean,
  reference?: string,
): string | undefined {
  let schema: any = start;
  let owner: any = resolveRef(root, start);
  let name = '';
  for (const segment of path) {
    schema = resolveRef(root, schema);
    if (typeof segment === 'number') schema = schema?.items;
    else {
      owner = schema;
      schema =
        schema?.properties?.[segment] ??
        (typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      name = segment;
    }
    if (!schema) return undefined;
  }
  const described = schema.description ? schema : resolveRef(root, schema);
  const resolved = resolveRef(root, schema);
  if (!described?.description || (!onKey && typeof path[path.length - 1] === 'number')) return undefined;
  const type = resolved.enum
    ? resolved.enum.join(' | ')
    : Array.isArray(resolved.type)
      ? resolved.type.join(' | ')
      : (resolved.type ?? '');
  const defaultValue = described.default ?? resolved.default;
  const lines = [`**${name}**${type ? ` \`${type}\`` : ''}`, '', described.description];
  if (defaultValue !== undefined)
    lines.push('', `Default: \`${typeof defaultValue === 'string' ? defaultValue : JSON.stringify(defaultValue)}\``);
  const anchor = owner?.['x-doc-anchor'];
  if (reference && owner?.title)
    lines.push('', `[${owner.title}](${anchor ? `${reference}#${anchor}` : (owner['x-doc-url'] ?? reference)})`);
  return lines.join('\n');
}

function resolveRef(root: any, schema: any): any {
  if (schema?.$ref?.startsWith('#/definitions/')) return root.definitions[schema.$ref.slice('#/definitions/'.length)];
  return schema;
}

/** The mapping holding the hovered value (a firewall rule, a listener, an extraArgs entry). */
function parentOf(located: LocatedYaml, root: unknown): unknown {
  if (!located.at) return undefined;
  return locatePath(root, located.at.path.slice(0, -1).map(String), located.parsed.doc).node;
}

function contextFor(workspace: Workspace, uri: string, located: LocatedYaml): PlacementContext {
  const settings = workspace.lastSettings(uri) ?? NO_CLUSTER_SETTINGS;
  if (located.inventory) return located.inventory.context(settings);
  return { ports: clusterPorts(settings.portOverrides), anyEtcdRole: false, etcdHasPeers: false };
}
