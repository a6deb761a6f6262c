/**
 * What a hover on a document's head says about its cluster: which files it is compared with and
 * why (analysis/clusterLayout.ts decides; this only explains). Cross-file findings are only as
 * good as the grouping, so the user must be able to see it where they write.
 */
import type { Workspace } from '../analysis/workspace';
import type { SourceFile } from '../analysis/sourceFile';
import { CONFIG_FILE_NAMES } from '../analysis/ruleControl';
import { fileName, isFileUri, parentDirectory } from '../core/uris';
import { FOREIGN } from '../sources/kind';

/** How many files the hover lists before "and N more": a Kubespray tree may hold hundreds. */
export const LISTED_FILES = 10;

/** `uri` relative to the directory `from` (with a slash), with `../` where it lies elsewhere. */
function relativeTo(from: string, uri: string): string {
  if (uri === from) return './';
  if (uri.startsWith(from)) return decodeURIComponent(uri.slice(from.length));
  const a = from.split('/');
  const b = uri.split('/');
  let common = 0;
  while (common < a.length - 1 && common < b.length && a[common] === b[common]) common++;
  return decodeURIComponent('../'.repeat(a.length - 1 - common) + b.slice(common).join('/'));
}

/** What a file is, by its first document of ours. */
function roleOf(file: SourceFile): string {
  const doc = file.documents.find((d) => d.kind !== FOREIGN);
  return doc ? (doc.role ?? doc.kind.label) : 'not checked';
}

const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

/** A cluster's id as seen from the directory `from`: a file, or a directory (`this directory`). */
function place(from: string, id: string): string {
  if (!id.endsWith('/')) return code(relativeTo(from, id));
  return id === from ? 'this directory' : `the directory ${code(relativeTo(from, id))}`;
}

/** Lists at most LISTED_FILES items, then says how many more there are. */
function bounded(items: readonly string[]): string {
  const shown = items.slice(0, LISTED_FILES).join(', ');
  return items.length > LISTED_FILES ? `${shown} and ${items.length - LISTED_FILES} more` : shown;
}

/** Why a file's names picked no cluster: it names none, or the nodes it names are in none or several. */
function claimed(workspace: Workspace, uri: string): string {
  const claims = (workspace.file(uri)?.documents ?? []).flatMap((d) => d.namedNodes ?? []);
  return claims.length
    ? `no single one of them carries its cluster name or describes the nodes it names (${bounded(claims.map((c) => c.says))})`
    : 'it names none of them';
}

/** Markdown: the cluster of the file at `uri`, the files it is compared with, and why it belongs there. */
export function clusterExplanation(workspace: Workspace, uri: string): string {
  const membership = workspace.membership(uri);
  const { name, root, files } = workspace.describeCluster(membership.id);
  const others = files.filter((f) => f.uri !== uri);
  const title = name
    ? `**Cluster "${name}"**`
    : membership.why === 'alone'
      ? '**Checked alone**'
      : `**Cluster of ${code(membership.id.endsWith('/') ? relativeTo(parentDirectory(root), root) : fileName(membership.id))}**`;
  const compared = others.length
    ? `Compared with ${others.length} file${others.length === 1 ? '' : 's'}: ${bounded(others.map((f) => `${code(relativeTo(root, f.uri))} (${roleOf(f)})`))}.`
    : 'Compared with no other file.';
  const anchors = () => {
    const list = files.filter((f) => f.uri !== uri && workspace.membership(f.uri).why === 'anchor');
    return list.length ? bounded(list.map((f) => code(relativeTo(root, f.uri)))) : place(parentDirectory(uri), root);
  };
  const doc = workspace.file(uri)?.documents.find((d) => d.definesCluster ?? d.kind.definesCluster);
  let why: string;
  switch (membership.why) {
    case 'declared': {
      const config = membership.id.slice(0, membership.id.indexOf('#'));
      const at = config.endsWith(CONFIG_FILE_NAMES[0]) ? relativeTo(parentDirectory(uri), config) : CONFIG_FILE_NAMES[0];
      why = `Declared in ${code(at)} (\`clusters:\` ${name ?? ''}): a declared cluster takes the files its globs match, whatever their folders.`;
      break;
    }
    case 'anchor':
      why = !doc
        ? 'Its ClusterConfiguration defines the cluster: no inventory, k0sctl file, Kubespray inventory or RKE2/K3s node tree is in its directory or above it, so the files around it join it.'
        : doc.clusterScope === 'directory'
          ? `It defines the cluster of ${place(parentDirectory(uri), root)} with the other files there that define one: they are merged, and the files in the directory and below it join them.`
          : 'It defines this cluster: a file that describes a cluster is one on its own, never merged with another beside it; the files in its directory and below it join it.';
      break;
    case 'folder':
      why = `Joined because it is in the directory of ${anchors()} or below it.`;
      break;
    case 'name': {
      const own = workspace.file(uri)?.documents.find((d) => d.clusterName)?.clusterName;
      why = `Joined by name: its cluster name "${own ?? ''}" is the one of ${anchors()}, among several clusters in its directory or above it.`;
      break;
    }
    case 'node':
      why = `Joined by ${membership.byNode ?? 'a node it names'}: that node is described by ${anchors()} and by no other cluster in its directory or above it.`;
      break;
    case 'alone':
      why = !isFileUri(uri)
        ? 'It is not saved in a folder, so no cluster can take it.'
        : membership.among?.length
          ? `Its directory or one above holds several clusters (${bounded(membership.among.map((id) => place(parentDirectory(uri), id)))}) and ${claimed(workspace, uri)}: a cluster name it shares with one (kubeadm \`clusterName\`, an Inventory's or k0sctl file's \`metadata.name\`) decides, else a node that only one of them describes (kubeadm \`nodeRegistration.name\`, an advertise address, a join's API server endpoint).`
          : 'No cluster description in its directory or above it (an Inventory, a k0sctl file, a Kubespray inventory or an RKE2/K3s node tree), so it is compared with no other file.';
      break;
  }
  return `${title}\n\n${compared}\n\n${why}`;
}
