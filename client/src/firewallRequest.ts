/**
 * The firewall requests as the client sends them, and what the cluster map's page may ask for:
 * the page is untrusted, so a "copyRules" message is accepted only for a format the server
 * offers and a node or role the map drew. No vscode import, so that it is tested on its own.
 * (The client never imports the server: these names mirror `clusterPreflight/firewall` and
 * `clusterPreflight/firewallFormats` in server/src/lsp/languageServer.ts.)
 */
export const FIREWALL_REQUEST = 'clusterPreflight/firewall';
export const FIREWALL_FORMATS_REQUEST = 'clusterPreflight/firewallFormats';

export interface FirewallFormatInfo {
  id: string;
  label: string;
  description: string;
  language: string;
}

export interface FirewallRequestParams {
  uri: string;
  format: string;
  node?: string;
  role?: string;
}

export interface FirewallResponse {
  text?: string;
  language?: string;
  format?: string;
  error?: string;
}

const ROLES = ['control-plane', 'worker', 'etcd'];

/** What to generate for a "copyRules" message from the map's page, or undefined when the page asked for something the map did not draw. */
export function copyRulesRequest(
  message: unknown,
  formats: ReadonlySet<string>,
  nodes: ReadonlySet<string>,
): { format: string; node?: string; role?: string } | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const { type, format, node, role } = message as Record<string, unknown>;
  if (type !== 'copyRules' || typeof format !== 'string' || !formats.has(format)) return undefined;
  if (node !== undefined && (typeof node !== 'string' || !nodes.has(node))) return undefined;
  if (role !== undefined && (typeof role !== 'string' || !ROLES.includes(role))) return undefined;
  if ((node === undefined) === (role === undefined)) return undefined;
  return { format, node: node as string | undefined, role: role as string | undefined };
}
