/**
 * Every document kind Cluster Preflight reads. Adding a format means a folder under
 * sources/ and one line here; nothing else dispatches on kinds.
 */
import { isMap } from 'yaml';
import { findPair, stringValue } from '../core/yaml/ast';
import { parseYaml } from '../core/yaml/parse';
import { ansibleFirewallKind } from './ansible/kind';
import { configKind } from './config/kind';
import { inventoryKind } from './inventory/kind';
import type { DocumentHead, DocumentKind } from './kind';
import { k0sConfigKind, k0sctlKind } from './k0s/kind';
import { kubeadmKind } from './kubeadm/kind';
import { kubesprayKind } from './kubespray/kind';
import { rke2Kind } from './rke2/kind';
import { serviceKind } from './service/kind';
import { terraformKind } from './terraform/kind';

export const KINDS: readonly DocumentKind[] = [
  configKind,
  inventoryKind,
  kubeadmKind,
  serviceKind,
  k0sctlKind,
  k0sConfigKind,
  // Before RKE2/K3s: a group_vars file is Ansible's, whatever its keys look like.
  kubesprayKind,
  rke2Kind,
  // Task lists that open host firewall ports; after the kinds a YAML list could otherwise be.
  ansibleFirewallKind,
  terraformKind,
];

const API_VERSION = /^apiVersion:[ \t]*(?:"([^"\n]*)"|'([^'\n]*)'|([^\s#'"][^\s#]*))[ \t]*(?:#.*)?\r?$/m;
const KIND = /^kind:[ \t]*(?:"([^"\n]*)"|'([^'\n]*)'|([^\s#'"][^\s#]*))[ \t]*(?:#.*)?\r?$/m;
/** Flow-style or JSON documents are parsed to find their kind only when they are this small. */
const MAX_FLOW_PROBE = 1 << 20;

/**
 * The kind of one YAML document of a file, decided from its text without parsing large
 * documents: apiVersion and kind are read from their top-level lines. Templates (Helm,
 * Jinja) are not YAML until rendered, so they are never ours.
 */
export function recognize(uri: string, text: string): DocumentKind | undefined {
  return recognizeHead(uri, text)?.kind;
}

/** The kind that claims a whole file that is not YAML (an Ansible INI inventory), if any. */
export function recognizeFile(uri: string, text: string): DocumentKind | undefined {
  return KINDS.find((kind) => kind.claimsFile?.(uri, text));
}

/** The kind of a document and what recognition read of it. */
export function recognizeHead(uri: string, text: string): { kind: DocumentKind; head: DocumentHead } | undefined {
  const head = readHead(uri, text);
  const kind = KINDS.find((k) => k.recognize(head));
  // Helm and Jinja templates are claimed only by kinds that describe a cluster: a templated
  // Service in a Helm chart is not one.
  if (!kind || (!kind.claimsTemplates && (text.includes('{{') || text.includes('{%')))) return undefined;
  return { kind, head };
}

function readHead(uri: string, text: string): DocumentHead {
  const api = API_VERSION.exec(text);
  const kind = KIND.exec(text);
  if (api && kind) return { uri, text, apiVersion: api[1] ?? api[2] ?? api[3], kind: kind[1] ?? kind[2] ?? kind[3] };
  if (text.length > MAX_FLOW_PROBE || !text.includes('apiVersion') || !text.includes('kind')) return { uri, text };
  const root = parseYaml(text).doc.contents;
  if (!isMap(root)) return { uri, text };
  return {
    uri,
    text,
    apiVersion: stringValue(findPair(root, 'apiVersion')?.value),
    kind: stringValue(findPair(root, 'kind')?.value),
  };
}
