/**
 * Navigation and rename across a cluster's files. The nodes of the cluster model give the
 * places that describe a node (its hostname, MACs and addresses, in whatever format); the
 * document kinds add the places that refer to one (kubeadm's nodeRegistration.name and
 * advertiseAddress, a Kubespray host's other mentions). References list every place with the
 * same value, definition leads to the node's description, rename changes a hostname everywhere.
 */
import { stringify } from 'yaml';
import type { Workspace } from '../analysis/workspace';
import { absoluteRange, type Place } from '../core/located';
import type { TextEdit } from '../core/edits';
import type { Position, Range } from '../core/text/positions';
import { dnsSubdomainProblem } from '../knowledge/net/hostname';
import { placeOf, type ClusterModel } from '../model/cluster';
import { KINDS } from '../sources/registry';

interface Occurrence {
  what: 'hostname' | 'mac' | 'address';
  key: string;
  uri: string;
  range: Range;
  /** It describes the node (rather than referring to it); the inventory's own nodes come first. */
  defines: boolean;
  rank: number;
  renamable: boolean;
}

export interface LocationData {
  uri: string;
  range: Range;
}

function occurrences(model: ClusterModel): Occurrence[] {
  const out: Occurrence[] = [];
  const add = (what: Occurrence['what'], key: string, place: Place, defines: boolean, rank: number, renamable: boolean) =>
    out.push({ what, key, uri: place.origin.uri, range: absoluteRange(place), defines, rank, renamable });
  for (const node of model.nodes) {
    // Our inventory describes nodes first-hand; installers' files describe them as they will install them.
    const rank = node.kind === 'inventory' ? 0 : 1;
    if (node.hostname?.value) add('hostname', node.hostname.value.toLowerCase(), placeOf(node, node.hostname), true, rank, true);
    for (const iface of node.interfaces ?? []) {
      if (iface.mac && iface.macKey) add('mac', iface.macKey, placeOf(node, iface.mac), true, rank, false);
      if (iface.address && iface.addressKey)
        add('address', iface.addressKey.split(' ')[0], placeOf(node, iface.address), true, rank, false);
    }
  }
  for (const kind of KINDS) {
    if (!kind.references) continue;
    const members = model.members(kind.id);
    if (members.length === 0) continue;
    for (const ref of kind.references(members as never)) add(ref.what, ref.key, ref.place, false, 2, ref.renamable);
  }
  return out;
}

const placeKey = (o: Occurrence) => `${o.what} ${o.uri} ${o.range.start.line}:${o.range.start.character}`;

const inside = (range: Range, p: Position) =>
  (range.start.line < p.line || (range.start.line === p.line && range.start.character <= p.character)) &&
  (p.line < range.end.line || (p.line === range.end.line && p.character <= range.end.character));

function at(workspace: Workspace, uri: string, position: Position): { all: Occurrence[]; here: Occurrence } | undefined {
  if (!workspace.file(uri)) return undefined;
  const all = occurrences(workspace.model(uri));
  // A node's own name place may be a pattern its kind marks as not renamable (`node[1:3]` stands for
  // three hosts): what a kind says about a place holds for every occurrence at that place.
  const fixed = new Set(all.filter((o) => !o.renamable).map((o) => placeKey(o)));
  for (const o of all) if (o.renamable && fixed.has(placeKey(o))) o.renamable = false;
  const here = all.find((o) => o.uri === uri && inside(o.range, position));
  return here ? { all, here } : undefined;
}

/** Every place of the cluster with the value under the cursor (a hostname, MAC or address), the cursor's own included. */
export function references(workspace: Workspace, uri: string, position: Position): LocationData[] {
  const found = at(workspace, uri, position);
  if (!found) return [];
  const seen = new Set<string>();
  return found.all
    .filter((o) => o.what === found.here.what && o.key === found.here.key && !seen.has(placeKey(o)) && seen.add(placeKey(o)))
    .map(({ uri, range }) => ({ uri, range }));
}

/** The node's description: in the inventory when there is one, else where its installer's file describes it. */
export function definition(workspace: Workspace, uri: string, position: Position): LocationData[] {
  const found = at(workspace, uri, position);
  if (!found) return [];
  const same = found.all.filter((o) => o.what === found.here.what && o.key === found.here.key && o.defines);
  const best = Math.min(...same.map((o) => o.rank));
  return same.filter((o) => o.rank === best).map(({ uri, range }) => ({ uri, range }));
}

/** The text a value's range covers, without the quotes of a quoted scalar. */
function unquoted(workspace: Workspace, o: Occurrence): Range | undefined {
  const file = workspace.file(o.uri);
  if (!file) return undefined;
  const start = file.buffer.offsetAt(o.range.start);
  const end = file.buffer.offsetAt(o.range.end);
  const text = file.text.slice(start, end);
  const quoted = text.length >= 2 && (text[0] === '"' || text[0] === "'") && text[text.length - 1] === text[0];
  return quoted ? { start: file.buffer.positionAt(start + 1), end: file.buffer.positionAt(end - 1) } : o.range;
}

export type PrepareRename = { range: Range; placeholder: string } | { refused: string };

/** Only a hostname renames: the value's range and its current text. */
export function prepareRename(workspace: Workspace, uri: string, position: Position): PrepareRename | undefined {
  const found = at(workspace, uri, position);
  if (!found) return undefined;
  if (found.here.what !== 'hostname') return { refused: 'Only a node name can be renamed; MACs and addresses are not names.' };
  if (!found.here.renamable)
    return { refused: 'This is a host range pattern, not one host name: rename the hosts it stands for one by one.' };
  const range = unquoted(workspace, found.here);
  const file = workspace.file(uri)!;
  if (!range) return undefined;
  return { range, placeholder: file.text.slice(file.buffer.offsetAt(range.start), file.buffer.offsetAt(range.end)) };
}

/** `renames`: host_vars files or folders named after the host, which Ansible finds by that name. */
export type RenameResult =
  { changes: Map<string, TextEdit[]>; renames: Array<{ from: string; to: string }> } | { refused: string };

/**
 * The name as a YAML scalar that reads back as that string. Kubernetes' and Ansible's parsers read
 * YAML 1.1 (`yes`, `on`, `017` are not strings there), Cluster Preflight's and others read 1.2
 * (`0o17` is a number there): the yaml library's own stringifier decides under both.
 */
function yamlScalar(name: string): string {
  for (const version of ['1.1', '1.2'] as const) {
    const text = stringify(name, { version }).trimEnd();
    if (text !== name) return text;
  }
  return name;
}

/** Renames a hostname in every file of the cluster that names it; refused when the new name cannot be a node name. */
export function rename(workspace: Workspace, uri: string, position: Position, newName: string): RenameResult | undefined {
  const found = at(workspace, uri, position);
  if (!found || found.here.what !== 'hostname') return undefined;
  const refused = prepareRename(workspace, uri, position);
  if (refused && 'refused' in refused) return refused;
  const problem = dnsSubdomainProblem(newName);
  if (problem) return { refused: `"${newName}" is not a valid node name: ${problem}.` };
  const key = newName.toLowerCase();
  if (key !== found.here.key && found.all.some((o) => o.what === 'hostname' && o.key === key))
    return { refused: `"${newName}" is already a node of this cluster: two nodes cannot share a name.` };
  const changes = new Map<string, TextEdit[]>();
  for (const o of found.all) {
    if (o.what !== 'hostname' || o.key !== found.here.key || !o.renamable) continue;
    const range = unquoted(workspace, o);
    if (!range) continue;
    const list = changes.get(o.uri) ?? [];
    // In YAML a bare `true`, `null` or `123` is no longer a string; a quoted place keeps its quotes,
    // and an INI host name is a name whatever it reads like.
    const isQuoted = range !== o.range;
    const newText = isQuoted || /\.ini$/i.test(o.uri) ? newName : yamlScalar(newName);
    // One place may be both a node's hostname and a reference to it (never twice in one edit).
    if (!list.some((e) => e.range.start.line === range.start.line && e.range.start.character === range.start.character))
      list.push({ range, newText });
    changes.set(o.uri, list);
  }
  return { changes, renames: hostVarsRenames(workspace, [...changes.keys()], found.here.key, key) };
}

/**
 * The host_vars of a renamed Kubespray host: `host_vars/<name>.yml|.yaml` or a `host_vars/<name>/`
 * folder next to an inventory that names it. Ansible reads them by the host's name, so they move with it.
 */
function hostVarsRenames(
  workspace: Workspace,
  uris: readonly string[],
  oldName: string,
  newName: string,
): Array<{ from: string; to: string }> {
  const folders = new Set(uris.map((u) => u.slice(0, u.lastIndexOf('/') + 1) + 'host_vars/'));
  const renames = new Map<string, string>();
  for (const file of workspace.allFiles()) {
    const folder = [...folders].find((f) => file.uri.startsWith(f));
    if (!folder) continue;
    const rest = file.uri.slice(folder.length);
    const match = /^([^/]+?)(\.ya?ml|\/.*)$/i.exec(rest);
    if (!match || decodeURIComponent(match[1]).toLowerCase() !== oldName) continue;
    const isFolder = match[2].startsWith('/');
    const from = folder + match[1] + (isFolder ? '' : match[2]);
    renames.set(from, folder + encodeURIComponent(newName) + (isFolder ? '' : match[2]));
  }
  return [...renames].map(([from, to]) => ({ from, to }));
}
