/**
 * Which files describe one cluster. Cross-file rules compare only the files of one cluster, so
 * this decides what may be called a duplicate or a disagreement:
 *
 * - An *anchor* defines a cluster: a file with an Inventory or a k0sctl Cluster (the file is the
 *   cluster: two of them never merge, even side by side), a Kubespray inventory directory
 *   (Ansible's `-i dir/`: its inventory files merge) or an RKE2/K3s node tree.
 * - Every other file joins the anchor of its directory or of the nearest directory above that
 *   has one. Where that directory has several anchors, the file joins the one whose name it
 *   carries (kubeadm `clusterName` = Inventory or k0sctl `metadata.name`); failing that, the one
 *   that describes the node it names (a kubeadm `nodeRegistration.name`, advertise address or
 *   join endpoint), when exactly one does; else it stands alone.
 * - A kubeadm ClusterConfiguration with no anchor above it is an anchor itself: the files
 *   around it join it (by `clusterName` when a directory holds several).
 * - A file that no anchor takes is checked alone: without an anchor, files are not compared.
 *
 * The whole layout costs O(files × depth) plus one lookup per named node and competing anchor,
 * and is computed once per change of layout.
 */
import { isFileUri, isWithin, parentDirectory } from '../core/uris';
import type { NodeClaim } from '../model/nodeIdentities';
import type { SourceDocument } from '../sources/kind';

/** How a file came to its cluster, for hovers and the CLI's summary: `node` is by a node it names. */
export type Membership = 'anchor' | 'folder' | 'name' | 'node' | 'alone' | 'declared';

export interface ClusterAssignment {
  /** The cluster's id: the anchor file's URI, the anchor directory's URI (with a slash), or the file's own URI. */
  id: string;
  why: Membership;
  /** The name a project config declared the cluster by. */
  name?: string;
  /** For a file checked alone: the clusters that could have taken it, none carrying its name (their ids). */
  among?: string[];
  /** For a file joined by a node it names: how it names it ("node name cp-1"). */
  byNode?: string;
}

/** What the layout needs to know of one file. */
export interface LayoutFile {
  uri: string;
  documents: readonly SourceDocument[];
}

interface Anchor {
  id: string;
  names: Set<string>;
  /** The cluster-defining documents, whose nodes a file may name, and their files' URIs. */
  describers: Array<{ uri: string; doc: SourceDocument }>;
}

/**
 * What of a file decides the layout: `groups` (whether and how it defines a cluster, the name
 * it carries), `claims` (the nodes it names) and `nodes` (the nodes it describes, as a
 * fingerprint, where they were counted: a layout that asked about them counted them). A change
 * of `groups` regroups the clusters; of `claims` or `nodes` only where the last layout asked
 * about them (`ClusterLayout.claimsAsked`, `nodesAsked`, and `nodesChanged`).
 */
export interface LayoutKey {
  groups: string;
  /** The nodes the file names (kubeadm): they matter only where the layout asked about them. */
  claims: string;
  nodes: string;
}

/** The fingerprint of the nodes a file's anchors describe; `count`: count them where nobody has yet. */
function nodesKey(documents: readonly SourceDocument[], count: boolean): string {
  let nodes = '';
  for (const d of documents) {
    if (!(d.definesCluster ?? d.kind.definesCluster)) continue;
    const set = count ? d.nodeIdentities : d.countedNodes;
    if (set) nodes += `${set.fingerprint}|`;
  }
  return nodes;
}

/** Whether the nodes a file describes are another set than `before` said (counting them now if needed). */
export function nodesChanged(before: LayoutKey, documents: readonly SourceDocument[]): boolean {
  return before.nodes !== nodesKey(documents, true);
}

export function layoutKey(documents: readonly SourceDocument[]): LayoutKey {
  let groups = '';
  let claims = '';
  const nodes = nodesKey(documents, false);
  for (const d of documents) {
    const defines = d.definesCluster ?? d.kind.definesCluster;
    if (!defines && d.namedNodes?.length) claims += `${d.namedNodes.map((c) => c.identity).join(',')}|`;
    if (!defines && !d.definesClusterAlone && d.clusterName === undefined) continue;
    groups += `${defines ? 'A' : d.definesClusterAlone ? 'a' : '-'}${d.clusterScope ?? ''}:${d.clusterName ?? ''}|`;
  }
  return { groups, claims, nodes };
}

/** A grouping of files into clusters, and the anchors whose nodes it asked about (their files' URIs). */
export interface ClusterLayout {
  assignments: Map<string, ClusterAssignment>;
  /** A change in the nodes of these files may regroup others; a change elsewhere cannot. */
  nodesAsked: Set<string>;
  /** The files placed by the nodes they name, or that could be (several anchors, no name decided). */
  claimsAsked: Set<string>;
}

function namesOf(documents: readonly SourceDocument[]): string[] {
  const names: string[] = [];
  for (const d of documents) if (d.clusterName) names.push(d.clusterName);
  return names;
}

function claimsOf(documents: readonly SourceDocument[]): NodeClaim[] {
  const claims: NodeClaim[] = [];
  for (const d of documents) if (d.namedNodes) claims.push(...d.namedNodes);
  return claims;
}

/**
 * Groups files into clusters. `roots` (directories with a trailing slash, longest first) bound
 * the walk upwards: a file never joins an anchor above its root.
 */
export function layoutClusters(files: readonly LayoutFile[], roots: readonly string[]): ClusterLayout {
  const result = new Map<string, ClusterAssignment>();
  const nodesAsked = new Set<string>();
  const claimsAsked = new Set<string>();
  const anchors = new Map<string, Anchor>();
  const anchorsByDir = new Map<string, Anchor[]>();
  const addAnchor = (id: string, dir: string, file: LayoutFile): void => {
    let anchor = anchors.get(id);
    if (!anchor) {
      anchor = { id, names: new Set(), describers: [] };
      anchors.set(id, anchor);
      const list = anchorsByDir.get(dir);
      if (list) list.push(anchor);
      else anchorsByDir.set(dir, [anchor]);
    }
    for (const name of namesOf(file.documents)) anchor.names.add(name);
    // Their nodes are counted only when a file names one (the `has` below), not here.
    for (const doc of file.documents)
      if (doc.definesCluster ?? doc.kind.definesCluster) anchor.describers.push({ uri: file.uri, doc });
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
    addAnchor(id, dir, file);
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
    if (named.length === 1) return { id: named[0].id, why: 'name' };
    // No name decides: the nodes the file names may (among the named anchors, when several carry its name).
    // A node that one anchor describes decides; one that several describe (the same host names in
    // prod and staging) says nothing; nodes that decide for different anchors leave the file alone.
    claimsAsked.add(file.uri);
    const claims = claimsOf(file.documents);
    if (!claims.length) return undefined;
    const among = named.length ? named : candidates;
    for (const anchor of among) for (const { uri } of anchor.describers) nodesAsked.add(uri);
    let found: { anchor: Anchor; claim: NodeClaim } | undefined;
    for (const claim of claims) {
      const describing = among.filter((a) => a.describers.some(({ doc }) => doc.nodeIdentities?.has(claim.identity)));
      if (describing.length !== 1) continue;
      if (found && found.anchor !== describing[0]) return undefined;
      found ??= { anchor: describing[0], claim };
    }
    return found && { id: found.anchor.id, why: 'node', byNode: found.claim.says };
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
      list.push({ id, names: new Set([name]), describers: [] });
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
  return { assignments: result, nodesAsked, claimsAsked };
}
