import { isScalar } from 'yaml';
import { findPair, locatePath, stringValue } from '../../core/yaml/ast';
import { portOfBindAddress } from '../../knowledge/net/endpoints';
import { portRangeOf } from '../../knowledge/net/portRange';
import { portHover } from '../../model/portDocs';
import { schemaHover } from '../../schema/hover';
import { schemaDocument } from '../../schema/registry';
import type { HoverContext, LocatedYaml } from '../kind';
import { configApi } from './apis';

/** Keys of kubeadm, kubelet and kube-proxy configs: description, default and the reference anchor of their type; port values as in inventories. */
export function configHover(located: LocatedYaml, context: HoverContext): string | undefined {
  const { at, parsed } = located;
  if (!at) return undefined;
  const root = parsed.doc.contents;
  const api = configApi(stringValue(findPair(root, 'apiVersion')?.value) ?? '');
  const kind = stringValue(findPair(root, 'kind')?.value) ?? '';
  if (!api?.schema || !api.kinds.includes(kind)) return undefined;
  const value = isScalar(at.node) ? at.node.value : undefined;
  if (!at.onKey && value !== undefined && value !== null) {
    const port = configPortValue(at.path, String(value), located);
    if (port) return portHover(port, 'TCP', context.placement);
  }
  const schemaRoot = schemaDocument(api.schema);
  return schemaHover(schemaRoot, schemaRoot.definitions[kind], at.path, at.onKey, api.reference);
}

/** Port numbers (and ranges) in config documents: bindPort, secure-port, kubelet ports, bind addresses. */
function configPortValue(path: ReadonlyArray<string | number>, value: string, located: LocatedYaml) {
  const last = path[path.length - 1];
  const entry = () => locatePath(located.parsed.doc.contents, path.slice(0, -1).map(String), located.parsed.doc).node;
  const flag = last === 'value' ? stringValue(findPair(entry(), 'name')?.value) : String(last);
  if (['bindPort', 'port', 'healthzPort', 'readOnlyPort', 'secure-port'].includes(flag ?? '')) return portRangeOf(Number(value));
  if (flag === 'service-node-port-range') return portRangeOf(value);
  if (flag === 'healthzBindAddress' || flag === 'metricsBindAddress') {
    const port = portOfBindAddress(value);
    return port === undefined ? undefined : portRangeOf(port);
  }
  return undefined;
}
