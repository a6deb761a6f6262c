/**
 * Which files describe one cluster. Cross-file rules compare only the files of one cluster, so
 * this decides what may be called a duplicate or a disagreement:
 *
 * - An *anchor* defines a cluster: a file with an Inventory or a k0sctl Cluster (the file is the
 *   cluster: two of them never merge, even side by side), a Kubespray inventory directory
 *   (Ansible's `-i dir/`: its inventory files merge) or an RKE2/K3s node tree.
 * - Every other file joins the anchor of its directory or of the nearest directory above that
 *   has one. Where that directory has several anchors, the file joins the one whose name it
 *   carries (kubeadm `clusterName` = Inventory or k0sctl `metadata.name`), else it stands alone.
 * - A kubeadm ClusterConfiguration with no anchor above it is an anchor itself: the files
 *   around it join it (by `clusterName` when a directory holds several).
 * - A file that no anchor takes is checked alone: without an anchor, files are not compared.
 *
 * The whole layout costs O(files × depth) and is computed once per change of layout.
 */
import { isFileUri, isWithin, parentDirectory } from '../core/uris';
import type { SourceDocument } from '../sources/kind';

/** How a file came to its cluster, for hovers and the CLI's summary. */
export type Membership = 'anchor' | 'folder' | 'name' | 'alone' | 'declared';

export interface ClusterAssignment {
  /** The cluster's id: the anchor file's URI, the anchor directory's URI (with a slash), or the file's own URI. */
  id: string;
  why: Membership;
  /** The name a project config declared the cluster by. */
  name?: string;
  /** For a file checked alone: the clusters that could have taken it, none carrying its name (their ids). */
  among?: string[];
}

/** What the layout needs to know of one file. */
export interface LayoutFile {
  uri: string;
  documents: readonly SourceDocument[];
}

interface Anchor {
  id: string;
  names: Set<string>;
}

/** A file's layout-relevant facts as one string: when it changes, the clusters must be regrouped. */
export function layoutKey(documents: readonly SourceDocument[]): string {
  let key = '';
  for (const d of documents) {
    const defines = d.definesCluster ?? d.kind.definesCluster;
    if (!defines && !d.definesClusterAlone && d.clusterName === undefined) continue;
    key += `${defines ? 'A' : d.definesClusterAlone ? 'a' : '-'}${d.clusterScope ?? ''}:${d.clusterName ?? ''}|`;
  }
  return key;
}

function namesOf(documents: readonly SourceDocument[]): string[] {
  const names: string[] = [];
  for (const d of documents) if (d.clusterName) names.push(d.clusterName);
  return names;
}

/**
 * Groups files into clusters. `roots` (directories with a trailing slash, longest first) bound
 * the walk upwards: a file never joins an anchor above its root.
 */
export function layoutClusters(files: readonly LayoutFile[], roots: readonly string[]): Map<string, ClusterAssignment> {
  const result = new Map<string, ClusterAssignment>();
  const anchors = new Map<string, Anchor>();
  const anchorsByDir = new Map<string, Anchor[]>();
  const addAnchor = (id: string, dir: string, names: readonly string[]): void => {
    let anchor = anchors.get(id);
    if (!anchor) {
      anchor = { id, names: new Set() };
      anchors.set(id, anchor);
      const list = anchorsByDir.get(dir);
      if (list) list.push(anchor);
      else anchorsByDir.set(dir, [anchor]);
    }
    for (const name of names) anchor.names.add(name);
  };

  // 1. Anchors: files whose documents define a cluster.
  const supporting: LayoutFile[] = [];
  for (const file of files) {
    if (!isFileUri(file.uri)) {
      result.set(file.uri, { id: file.uri, why: 'alone' });
      continue;
    }
    const defining = file.documents.find((d) => d.definesCluster ?? d.kind.definesCluster);
    if (!defining) {
      supporting.push(file);
      continue;
    }
    const dir = defining.clusterRoot?.(file.uri) ?? parentDirectory(file.uri);
    const id = defining.clusterScope === 'directory' ? dir : file.uri;
    addAnchor(id, dir, namesOf(file.documents));
    result.set(file.uri, { id, why: 'anchor' });
  }

  // 2. Files that join an anchor of their directory or one above.
  const rootOf = (uri: string) => roots.find((r) => isWithin(uri, r));
  const nearest = (uri: string, byDir: ReadonlyMap<string, Anchor[]>): Anchor[] | undefined => {
    const root = rootOf(uri);
    for (let dir = parentDirectory(uri); dir.startsWith('file:///');) {
      const found = byDir.get(dir);
      if (found) return found;
      if (root && dir === root) break;
      const parent = parentDirectory(dir);
      if (parent === dir) break;
      dir = parent;
    }
    return undefined;
  };
  const join = (file: LayoutFile, candidates: Anchor[]): ClusterAssignment | undefined => {
    if (candidates.length === 1) return { id: candidates[0].id, why: 'folder' };
    const names = namesOf(file.documents);
    const named = candidates.filter((a) => names.some((n) => a.names.has(n)));
    return named.length === 1 ? { id: named[0].id, why: 'name' } : undefined;
  };

  const unanchored: LayoutFile[] = [];
  for (const file of supporting) {
    const candidates = nearest(file.uri, anchorsByDir);
    const assignment = candidates && join(file, candidates);
    if (assignment) result.set(file.uri, assignment);
    else if (candidates) result.set(file.uri, { id: file.uri, why: 'alone', among: candidates.map((a) => a.id) });
    else unanchored.push(file);
  }

  // 3. Where no anchor reaches, a kubeadm ClusterConfiguration is one: one per clusterName and directory.
  const byDirAndName = new Map<string, Map<string, LayoutFile[]>>();
  for (const file of unanchored) {
    const doc = file.documents.find((d) => d.definesClusterAlone);
    if (!doc) continue;
    const dir = parentDirectory(file.uri);
    let names = byDirAndName.get(dir);
    if (!names) byDirAndName.set(dir, (names = new Map()));
    const name = doc.clusterName ?? '';
    const list = names.get(name);
    if (list) list.push(file);
    else names.set(name, [file]);
  }
  const fallbackByDir = new Map<string, Anchor[]>();
  for (const [dir, names] of byDirAndName) {
    const list: Anchor[] = [];
    for (const [name, members] of names) {
      // The directory names the cluster while it holds one clusterName; with several, each is its first file's.
      const id = names.size === 1 ? dir : members[0].uri;
      list.push({ id, names: new Set([name]) });
      for (const member of members) result.set(member.uri, { id, why: 'anchor' });
    }
    fallbackByDir.set(dir, list);
  }

  for (const file of unanchored) {
    if (result.has(file.uri)) continue;
    const candidates = nearest(file.uri, fallbackByDir);
    const assignment = candidates && join(file, candidates);
    result.set(file.uri, assignment ?? { id: file.uri, why: 'alone', among: candidates?.map((a) => a.id) });
  }
  return result;
}
