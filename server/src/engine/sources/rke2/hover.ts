import { FORMAT_DOCS } from '../../knowledge/docs';
import { schemaHover } from '../../schema/hover';
import { schemaDocument } from '../../schema/registry';
import type { HoverContext, LocatedYaml } from '../kind';
import { APPLIED_BY_EVERY_SERVER, flagName, type NodeConfigDocument } from './document';

/** A flag's description from the distribution's flag list, and whether only servers take it or all servers must agree on it. */
export function nodeConfigHover(located: LocatedYaml, _context: HoverContext): string | undefined {
  const { at } = located;
  if (!at || typeof at.path[0] !== 'string') return undefined;
  const distribution = (located.document as NodeConfigDocument | undefined)?.distribution ?? 'rke2';
  const schema = schemaDocument(distribution);
  const name = flagName(at.path[0]);
  const flag = schema.properties[name];
  const text = schemaHover(schema, schema, [name, ...at.path.slice(1)], at.onKey);
  if (!text || !flag) return text;
  const notes: string[] = [];
  if (flag['x-scope'] === 'server') notes.push("Only `server` takes this flag: a config that sets it is a server's.");
  if (flag['x-cluster-wide'])
    notes.push('All servers of a cluster must set the same value, or a joining server refuses to start.');
  else if (APPLIED_BY_EVERY_SERVER[name])
    notes.push(`All servers of a cluster must set the same value: ${APPLIED_BY_EVERY_SERVER[name]}.`);
  const docs = distribution === 'k3s' ? FORMAT_DOCS.k3sServer : FORMAT_DOCS.rke2ServerConfig;
  return [text, ...notes.map((n) => `\n${n}`), '', `[${distribution === 'k3s' ? 'K3s' : 'RKE2'} configuration](${docs})`].join(
    '\n',
  );
}
