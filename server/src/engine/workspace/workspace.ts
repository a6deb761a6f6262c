import { clusterSettings, type ClusterMember, type ClusterSettings } from '../cluster/settings';
import type { Finding, Severity } from '../findings';
import { InventoryDocument } from '../inventory/inventoryDocument';
import { ConfigDocument } from '../kubeadm/configDocument';
import { CLUSTER_RULES, CONFIG_RULES } from '../rules/catalogue';
import { makeReporter, type ClusterView } from '../rules/types';
import { ServiceDocument } from '../service/serviceDocument';
import { compareRanges } from '../text/positions';
import type { ContentChange } from '../text/textBuffer';
import { shiftFindings } from './document';
import { SourceFile } from './sourceFile';
import { asDirectory, isFileUri, isWithin, parentDirectory } from './uris';

/** A configuration document's own findings: parser and schema, then the per-document rules (relative ranges). */
function configFindings(doc: ConfigDocument): Finding[] {
  const out = [...doc.parseFindings];
  for (const rule of CONFIG_RULES) rule.checkConfig!(doc, makeReporter(rule.meta.id, rule.meta.severity, out));
  return out;
}

/** Errors first among findings at the same place. */
const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

/** The files of one cluster and what they say together. */
interface ClusterState {
  id: string;
  files: SourceFile[];
  /** Changes whenever a member file changes; the cached results below are valid for it. */
  stamp: string;
  settings: ClusterSettings;
  findings: Map<string, Finding[]>;
}

/**
 * All YAML files the tool knows, grouped into clusters. A cluster is the directory that
 * holds an Inventory, with its subdirectories down to the next Inventory; files outside
 * every inventory's tree form one cluster per root (workspace folder, or CLI path).
 */
export class Workspace {
  private readonly files = new Map<string, SourceFile>();
  private roots: string[] = [];
  private clusters = new Map<string, ClusterState>();
  /** Bumped when the set of files or of inventory directories changes. */
  private layoutRevision = 0;
  private inventoryDirs: Set<string> | undefined;
  private clusterIds = new Map<string, string>();

  setRoots(roots: readonly string[]): void {
    // Longest first, so that nested roots win.
    this.roots = roots.map(asDirectory).sort((a, b) => b.length - a.length);
    this.invalidateLayout();
  }

  file(uri: string): SourceFile | undefined {
    return this.files.get(uri);
  }

  allFiles(): SourceFile[] {
    return [...this.files.values()];
  }

  /** Adds a file or replaces its whole text. */
  setText(uri: string, text: string, version?: number): SourceFile {
    const existing = this.files.get(uri);
    if (existing) {
      if (existing.text !== text) existing.applyChanges([{ text }], version);
      else if (version !== undefined) existing.version = version;
      return existing;
    }
    const file = new SourceFile(uri, text, version);
    this.files.set(uri, file);
    this.invalidateLayout();
    return file;
  }

  applyChanges(uri: string, changes: readonly ContentChange[], version?: number): SourceFile | undefined {
    const file = this.files.get(uri);
    file?.applyChanges(changes, version);
    return file;
  }

  remove(uri: string): void {
    if (this.files.delete(uri)) this.invalidateLayout();
  }

  /** Analyses a file whose text changed; a change in whether it holds an inventory regroups the clusters. */
  analyze(file: SourceFile): void {
    const hadInventory = this.holdsInventory(file);
    file.analyze();
    this.noteAnalyzed(file, hadInventory);
  }

  /** For callers that drive `file.analysis()` themselves: call with what `holdsInventory` said before. */
  noteAnalyzed(file: SourceFile, hadInventory: boolean): void {
    if (hadInventory !== this.holdsInventory(file)) this.invalidateLayout();
  }

  holdsInventory(file: SourceFile): boolean {
    return file.documents.some((d) => d.kind === 'inventory');
  }

  /** The cluster a file belongs to: the nearest directory holding an inventory, else its root. */
  clusterOf(uri: string): string {
    let id = this.clusterIds.get(uri);
    if (id === undefined) {
      id = this.findCluster(uri);
      this.clusterIds.set(uri, id);
    }
    return id;
  }

  private findCluster(uri: string): string {
    if (!isFileUri(uri)) return uri;
    const dirs = this.inventoryDirectories();
    for (let dir = parentDirectory(uri); dir.startsWith('file:///');) {
      if (dirs.has(dir)) return dir;
      const parent = parentDirectory(dir);
      if (parent === dir) break;
      dir = parent;
    }
    return this.roots.find((root) => isWithin(uri, root)) ?? uri;
  }

  /** The files sharing a cluster with `uri` (itself included). */
  clusterFiles(uri: string): SourceFile[] {
    const id = this.clusterOf(uri);
    return [...this.files.values()].filter((f) => this.clusterOf(f.uri) === id);
  }

  /** Analyses every file whose text changed: which files hold inventories decides the clusters. */
  analyzeAll(): void {
    for (const file of this.files.values()) if (file.needsAnalysis) this.analyze(file);
  }

  /**
   * Findings for one file, its cluster's cross-file findings included. Analyses what needs
   * it first (an editor analyses in slices beforehand, so this finds nothing to do).
   */
  findings(uri: string): Finding[] {
    const file = this.files.get(uri);
    if (!file) return [];
    this.analyzeAll();
    if (!file.isOurs) return [];
    const cluster = this.cluster(uri);
    const out: Finding[] = [];
    for (const doc of file.documents) {
      if (doc instanceof InventoryDocument) out.push(...doc.findings(cluster.settings));
      else if (doc instanceof ServiceDocument) shiftFindings(doc.parseFindings, doc.chunk.startLine, out);
      else if (doc instanceof ConfigDocument) shiftFindings(configFindings(doc), doc.chunk.startLine, out);
    }
    out.push(...(cluster.findings.get(uri) ?? []));
    return out.sort(
      (a, b) =>
        compareRanges(a.range, b.range) ||
        SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
        a.ruleId.localeCompare(b.ruleId) ||
        a.message.localeCompare(b.message),
    );
  }

  /** The settings of a file's cluster as last computed, without analysing anything (for hovers). */
  lastSettings(uri: string): ClusterSettings | undefined {
    return this.clusters.get(this.clusterOf(uri))?.settings;
  }

  private cluster(uri: string): ClusterState {
    const files = this.clusterFiles(uri);
    const id = this.clusterOf(uri);
    const stamp = `${this.layoutRevision}:${files.map((f) => `${f.uri}@${f.revision}`).join(',')}`;
    const cached = this.clusters.get(id);
    if (cached && cached.stamp === stamp) return cached;

    const inventories: ClusterMember<InventoryDocument>[] = [];
    const services: ClusterMember<ServiceDocument>[] = [];
    const configs: ClusterMember<ConfigDocument>[] = [];
    for (const f of files) {
      for (const doc of f.documents) {
        if (doc instanceof InventoryDocument) inventories.push({ uri: f.uri, doc });
        else if (doc instanceof ServiceDocument) services.push({ uri: f.uri, doc });
        else if (doc instanceof ConfigDocument) configs.push({ uri: f.uri, doc });
      }
    }
    const settings = clusterSettings(inventories, configs);
    const view: ClusterView = { settings, inventories, services, configs };
    const findings = new Map<string, Finding[]>();
    for (const rule of CLUSTER_RULES) {
      rule.checkCluster!(view, (fileUri, range, message, options) => {
        const list = findings.get(fileUri) ?? [];
        findings.set(fileUri, list);
        makeReporter(rule.meta.id, rule.meta.severity, list)(range, message, options);
      });
    }
    const state: ClusterState = { id, files, stamp, settings, findings };
    this.clusters.set(id, state);
    return state;
  }

  private inventoryDirectories(): Set<string> {
    if (!this.inventoryDirs) {
      this.inventoryDirs = new Set(
        [...this.files.values()].filter((f) => isFileUri(f.uri) && this.holdsInventory(f)).map((f) => parentDirectory(f.uri)),
      );
    }
    return this.inventoryDirs;
  }

  private invalidateLayout(): void {
    this.layoutRevision++;
    this.inventoryDirs = undefined;
    this.clusterIds.clear();
  }
}
