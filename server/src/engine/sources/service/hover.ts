import { isScalar } from 'yaml';
import { nodePortHover } from '../../model/portDocs';
import type { HoverContext, LocatedYaml } from '../kind';

/** A Service's nodePort: inside the cluster's range or not, and in which band of it. */
export function serviceHover(located: LocatedYaml, context: HoverContext): string | undefined {
  const { at } = located;
  if (!at || at.onKey || at.path[0] !== 'spec' || at.path[1] !== 'ports' || at.path[3] !== 'nodePort') return undefined;
  const value = isScalar(at.node) ? at.node.value : undefined;
  if (typeof value !== 'number') return undefined;
  const { range, source } = context.settings.nodePortRange;
  return nodePortHover(value, range, source && (source.elsewhere ?? source.description));
}
