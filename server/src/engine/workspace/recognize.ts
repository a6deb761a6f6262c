import { isMap } from 'yaml';
import { isConfigDocument } from '../kubeadm/kinds';
import { findPair, stringValue } from '../yaml/ast';
import { parseYaml } from '../yaml/parse';

/** The document kinds Cluster Preflight checks. Everything else is foreign and gets no findings. */
export type OurKind = 'inventory' | 'service' | 'config';

export interface Recognized {
  kind: OurKind;
  apiVersion: string;
  typeName: string;
}

const API_VERSION = /^apiVersion:[ \t]*(?:"([^"\n]*)"|'([^'\n]*)'|([^\s#'"][^\s#]*))[ \t]*(?:#.*)?\r?$/m;
const KIND = /^kind:[ \t]*(?:"([^"\n]*)"|'([^'\n]*)'|([^\s#'"][^\s#]*))[ \t]*(?:#.*)?\r?$/m;
/** Flow-style or JSON documents are parsed to find their kind only when they are this small. */
const MAX_FLOW_PROBE = 1 << 20;

export function classify(apiVersion: string, typeName: string): OurKind | undefined {
  if (apiVersion === 'cluster-preflight/v1alpha1' && typeName === 'Inventory') return 'inventory';
  if (apiVersion === 'v1' && typeName === 'Service') return 'service';
  if (isConfigDocument(apiVersion, typeName)) return 'config';
  return undefined;
}

/**
 * Decides from a document's text whether it is ours, without parsing large documents:
 * apiVersion and kind are read from their top-level lines. Templates (Helm, Jinja) are
 * not YAML until rendered, so they are never ours.
 */
export function recognize(text: string): Recognized | undefined {
  if (text.includes('{{') || text.includes('{%')) return undefined;
  const api = API_VERSION.exec(text);
  const kind = KIND.exec(text);
  if (api && kind) {
    const apiVersion = api[1] ?? api[2] ?? api[3];
    const typeName = kind[1] ?? kind[2] ?? kind[3];
    const ours = classify(apiVersion, typeName);
    return ours && { kind: ours, apiVersion, typeName };
  }
  if (text.length > MAX_FLOW_PROBE || !text.includes('apiVersion') || !text.includes('kind')) return undefined;
  const root = parseYaml(text).doc.contents;
  if (!isMap(root)) return undefined;
  const apiVersion = stringValue(findPair(root, 'apiVersion')?.value);
  const typeName = stringValue(findPair(root, 'kind')?.value);
  if (apiVersion === undefined || typeName === undefined) return undefined;
  const ours = classify(apiVersion, typeName);
  return ours && { kind: ours, apiVersion, typeName };
}
