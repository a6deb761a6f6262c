import type { Finding } from '../core/findings';
import { matchesGlob } from '../core/globs';
import { shiftRange } from '../core/text/positions';
import type { ContentChange } from '../core/text/textBuffer';
import { asDirectory, isFileUri, isWithin, parentDirectory } from '../core/uris';
import { layoutClusters, nodesChanged, type ClusterAssignment, type LayoutKey } from './clusterLayout';
import { ClusterModelBuilder, type ClusterModel, type Member } from '../model/cluster';
import { placementOf, type PlacementContext } from '../model/placement';
import { NO_SETTINGS, resolveSettings, type EffectiveSettings } from '../model/settings';
import type { DocumentKind, SourceDocument } from '../sources/kind';
import {
  applyRuleControl,
  CONFIG_FILE_NAMES,
  declaredClustersOf,
  isConfigFile,
  isIgnoredBy,
  projectConfigOf,
  readProjectConfig,
  type ProjectConfig,
  type RuleLevels,
  unknownRuleKeys,
} from './ruleControl';
import { ProjectConfigDocument } from '../sources/config/kind';
import { RuleRunner, type ClusterRun, type ContributionFailure } from './runner';
import { DEFAULT_MAX_FILE_SIZE, SourceFile, type SourceFileOptions } from './sourceFile';

export interface WorkspaceOptions {
  /** Gets the stack of anything that throws while checking (a bug, reported as internal-error). */
  log?: (message: string) => void;
  /** Files above this size (bytes) are not checked (default 10 MB). */
  maxFileSize?: number;
}

/** One cluster's model and what the rules said about it, valid until one of its files changes. */
interface ClusterState {
  model: ClusterModel;
  run: ClusterRun;
}

/** What a hover may know about a file's cluster without analysing anything. */
export interface ClusterView {
  placement: PlacementContext;
  settings: EffectiveSettings;
  /** The whole model, when the cluster has been checked. */
  model?: ClusterModel;
}

/**
 * All YAML files the tool knows, grouped into clusters (analysis/clusterLayout.ts: an
 * inventory, k0sctl file, Kubespray inventory directory or RKE2 node tree anchors one; the files
 * around it join it; a file no anchor takes is checked alone). Costs are linear in the number of
 * files: clusters are grouped once per change of layout, and a cluster's results are kept until
 * one of its files changes.
 */
export class Workspace {
  private readonly files = new Map<string, SourceFile>();
  /** Files whose text changed since they were last analysed. */
  private readonly stale = new Set<SourceFile>();
  private roots: string[] = [];
  /** Where the search for a project config stops (the repository's root), when it is above a root. */
  private configRoots: string[] = [];
  private readonly runner: RuleRunner;
  private readonly results = new Map<string, ClusterState>();
  /** The last results of each cluster, kept across changes for hovers. */
  private readonly lastResults = new Map<string, ClusterState>();
  /** Which cluster each file belongs to and why, computed once per change of layout. */
  private layout: Map<string, ClusterAssignment> | undefined;
  /** The files whose nodes the last layout asked about (a kubeadm file beside two inventories naming a node). */
  private nodesAsked = new Set<string>();
  /** The files the last layout placed, or could have placed, by the nodes they name. */
  private claimsAsked = new Set<string>();
  private members: Map<string, SourceFile[]> | undefined;

  /** Levels that win over every project's (the editor's clusterPreflight.rules, the CLI's --disable). */
  private overrides: RuleLevels = [];
  private forcedConfig: ProjectConfig | undefined;
  private readonly configs = new WeakMap<SourceFile, { text: string; config: ProjectConfig }>();

  private readonly log: (message: string) => void;
  /** Files above this size (bytes) are not checked: they get one file-too-large note. */
  maxFileSize: number;

  constructor(options: WorkspaceOptions = {}) {
    this.log = options.log ?? (() => {});
    this.maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
    this.runner = new RuleRunner(this.log);
  }

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

  /** Changes the size limit: every file is analysed again under it. */
  setMaxFileSize(bytes: number): void {
    if (bytes === this.maxFileSize) return;
    this.maxFileSize = bytes;
    for (const file of this.files.values()) {
      file.invalidate();
      this.stale.add(file);
    }
    this.invalidateLayout();
  }

  /** Files whose text changed since their last analysis. */
  staleFiles(): SourceFile[] {
    return [...this.stale];
  }

  /** Adds a file or replaces its whole text. */
  setText(uri: string, text: string, version?: number): SourceFile {
    const existing = this.files.get(uri);
    if (existing) {
      if (existing.text !== text) {
        existing.applyChanges([{ text }], version);
        this.changed(existing);
      } else if (version !== undefined) existing.version = version;
      return existing;
    }
    return this.add(new SourceFile(uri, text, version, this.fileOptions()));
  }

  /** Adds a file too large to read whole: `head` is its beginning, `size` its size on disk. */
  setOversized(uri: string, head: string, size: number): SourceFile {
    this.remove(uri);
    return this.add(new SourceFile(uri, head, undefined, { ...this.fileOptions(), size }));
  }

  private fileOptions(): SourceFileOptions {
    return { log: this.log, maxFileSize: () => this.maxFileSize };
  }

  private add(file: SourceFile): SourceFile {
    this.files.set(file.uri, file);
    this.stale.add(file);
    this.invalidateLayout();
    return file;
  }

  applyChanges(uri: string, changes: readonly ContentChange[], version?: number): SourceFile | undefined {
    const file = this.files.get(uri);
    if (!file) return undefined;
    const layoutBefore = file.layoutKey;
    file.applyChanges(changes, version);
    // An edit applied in place (inside an inventory's node list) is analysed already: a host it
    // renamed may move a file that named that host to another cluster.
    if (!file.needsAnalysis && this.layoutMoved(file, layoutBefore)) this.invalidateLayout();
    this.changed(file);
    return file;
  }

  remove(uri: string): void {
    const file = this.files.get(uri);
    if (!file) return;
    this.files.delete(uri);
    this.stale.delete(file);
    this.invalidateLayout();
  }

  private changed(file: SourceFile): void {
    if (file.needsAnalysis) this.stale.add(file);
    this.results.delete(this.clusterOf(file.uri));
    // A project config decides which files are ignored, in every cluster below it.
    if (isConfigFile(file.uri)) this.invalidateLayout();
  }

  /**
   * Runs `use` on a draft of one file: `draft(text)` gives the file that text, and findings, models
   * and fixes then see it in its real cluster, under its real config and overrides. Afterwards the
   * workspace is as it was: the file's own object (its analysis untouched), the layout and every
   * cluster's results are put back, so other files never see the draft and nothing is analysed again.
   */
  withDraft<T>(uri: string, use: (draft: (text: string) => SourceFile) => T): T {
    const original = this.files.get(uri);
    if (!original) throw new Error(`no file ${uri} to draft`);
    // Nothing stale is left behind to be analysed against the draft's layout.
    this.analyzeAll();
    const saved = {
      layout: this.layout,
      members: this.members,
      results: [...this.results],
      lastResults: [...this.lastResults],
    };
    const draft = new SourceFile(uri, original.text, original.version, this.fileOptions());
    this.add(draft);
    try {
      return use((text) => this.setText(uri, text));
    } finally {
      this.files.set(uri, original);
      this.stale.delete(draft);
      this.layout = saved.layout;
      this.members = saved.members;
      this.results.clear();
      for (const [id, state] of saved.results) this.results.set(id, state);
      this.lastResults.clear();
      for (const [id, state] of saved.lastResults) this.lastResults.set(id, state);
    }
  }

  /** Rule levels that win over the projects' own (an editor setting, a command-line --disable). */
  setRuleOverrides(levels: RuleLevels): void {
    this.overrides = levels;
  }

  /**
   * The directories up to which project configs are searched (each root's repository root): a
   * `.cluster-preflight.yaml` above the folder checked still applies, as it does to `cluster-preflight .`.
   */
  setConfigRoots(roots: readonly string[]): void {
    this.configRoots = roots.map(asDirectory).sort((a, b) => b.length - a.length);
    this.invalidateLayout();
  }

  /** One config for every file, instead of the nearest one (the command line's --config). */
  setProjectConfig(config: ProjectConfig | undefined): void {
    this.forcedConfig = config;
    this.invalidateLayout();
  }

  /** The nearest `.cluster-preflight.yaml` above a file, up to its repository root (else its workspace root). */
  projectConfig(uri: string): ProjectConfig | undefined {
    if (this.forcedConfig) return this.forcedConfig;
    if (!isFileUri(uri)) return undefined;
    // The nearest repository root holding the file (a submodule's own, inside another repository).
    const root = this.configRoots.find((r) => isWithin(uri, r)) ?? this.roots.find((r) => isWithin(uri, r));
    for (let dir = parentDirectory(uri); dir.startsWith('file:///');) {
      for (const name of CONFIG_FILE_NAMES) {
        const file = this.files.get(dir + name);
        if (!file) continue;
        const cached = this.configs.get(file);
        if (cached?.text === file.text) return cached.config;
        const config = configOfFile(dir, file);
        this.configs.set(file, { text: file.text, config });
        return config;
      }
      if (root && dir === root) break;
      const parent = parentDirectory(dir);
      if (parent === dir) break;
      dir = parent;
    }
    return undefined;
  }

  /** Whether the project's config tells Cluster Preflight to skip a file. */
  isIgnored(uri: string): boolean {
    const config = this.projectConfig(uri);
    return !!config && isIgnoredBy(config, uri);
  }

  /** Analyses a file whose text changed; a change in whether it defines a cluster regroups the clusters. */
  analyze(file: SourceFile): void {
    const layoutBefore = file.layoutKey;
    file.analyze();
    this.noteAnalyzed(file, layoutBefore);
  }

  /**
   * For callers that drive `file.analysis()` themselves: call with what `file.layoutKey` said
   * before. Returns whether the clusters were regrouped (then every file's findings may change).
   */
  noteAnalyzed(file: SourceFile, layoutBefore: LayoutKey): boolean {
    if (file.needsAnalysis) return false;
    this.stale.delete(file);
    // A new layout drops every result. Without one (a file before this one changed it) there are no
    // results to drop, and computing the layout here for each of 20,000 files being indexed was quadratic.
    if (this.layoutMoved(file, layoutBefore)) {
      this.invalidateLayout();
      return true;
    }
    if (this.layout) this.results.delete(this.clusterOf(file.uri));
    return false;
  }

  /**
   * Whether a file's change regroups the clusters. A host renamed in an inventory does only when
   * a file beside it was placed by its nodes, and a node a kubeadm file names only when several
   * anchors compete for it: typing in a 5,000-node inventory does not compute the layout again,
   * nor drop every cluster's results, at each keystroke.
   */
  private layoutMoved(file: SourceFile, layoutBefore: LayoutKey): boolean {
    const after = file.layoutKey;
    if (layoutBefore.groups !== after.groups) return true;
    // Typing a kubeadm nodeRegistration.name beside one inventory regroups nothing.
    if (layoutBefore.claims !== after.claims && this.claimsAsked.has(file.uri)) return true;
    // Only the anchors the layout asked about count their nodes, and only they need to.
    return this.nodesAsked.has(file.uri) && nodesChanged(layoutBefore, file.documents);
  }

  /** Analyses every file whose text changed: which files define clusters decides the grouping. */
  analyzeAll(): void {
    for (const file of [...this.stale]) {
      if (file.needsAnalysis) this.analyze(file);
      else this.stale.delete(file);
    }
  }

  /** The cluster a file belongs to (analysis/clusterLayout.ts says how): its id. */
  clusterOf(uri: string): string {
    return this.membership(uri).id;
  }

  /** The cluster a file belongs to and why: it defines it, joined it by folder or by name, or stands alone. */
  membership(uri: string): ClusterAssignment {
    return this.clusterLayout().get(uri) ?? { id: uri, why: 'alone' };
  }

  private clusterLayout(): Map<string, ClusterAssignment> {
    if (!this.layout) {
      // Clusters a project config declares take their files first; the rest are grouped by anchors.
      const declared = new Map<string, ClusterAssignment>();
      const rest: SourceFile[] = [];
      for (const file of this.files.values()) {
        const config = this.isIgnored(file.uri) ? undefined : this.projectConfig(file.uri);
        if (!config) {
          if (!this.isIgnored(file.uri)) rest.push(file);
          continue;
        }
        const [first] = declaredClustersOf(config, file.uri);
        if (first === undefined) rest.push(file);
        else {
          const name = config.clusters[first].name;
          const id = `${config.directory}${CONFIG_FILE_NAMES[0]}#${encodeURIComponent(name)}`;
          declared.set(file.uri, { id, why: 'declared', name });
        }
      }
      const layout = layoutClusters(rest, this.roots);
      this.layout = layout.assignments;
      this.nodesAsked = layout.nodesAsked;
      this.claimsAsked = layout.claimsAsked;
      for (const [uri, assignment] of declared) this.layout.set(uri, assignment);
    }
    return this.layout;
  }

  /** Where a project config declares clusters that share a file: an error at the glob of each later one. */
  private declaredOverlaps(configUri: string, doc: ProjectConfigDocument): Finding[] {
    const config = this.projectConfig(configUri);
    if (!config?.clusters.length || !doc.clusterGlobs.length) return [];
    const findings: Finding[] = [];
    const reported = new Set<string>();
    for (const file of this.files.values()) {
      if (this.projectConfig(file.uri) !== config) continue;
      const matched = declaredClustersOf(config, file.uri);
      if (matched.length < 2) continue;
      const relative = decodeURIComponent(file.uri.slice(config.directory.length));
      for (const later of matched.slice(1)) {
        const glob = doc.clusterGlobs.find((g) => g.cluster === later && matchesGlob(g.glob.value, relative));
        if (!glob || reported.has(`${later}\n${glob.glob.value}`)) continue;
        reported.add(`${later}\n${glob.glob.value}`);
        findings.push({
          ruleId: 'schema',
          severity: 'error',
          message: `${relative} is already in cluster "${config.clusters[matched[0]].name}", so cluster "${glob.name}" cannot have it too: a file belongs to one cluster. Narrow one of the globs.`,
          range: shiftRange(glob.glob.range, doc.chunk.startLine),
        });
      }
    }
    return findings;
  }

  /**
   * How a cluster is named and where it is: the name a project config declared, else its anchor's
   * (`metadata.name`, kubeadm `clusterName`), else none; its root directory (with a slash); and
   * the files of ours in it, in URI order.
   */
  describeCluster(id: string): { name?: string; root: string; files: SourceFile[] } {
    const files = this.membersOf(id).filter((f) => f.isOurs);
    let name: string | undefined;
    for (const file of files) {
      const membership = this.membership(file.uri);
      name =
        membership.name ?? (membership.why === 'anchor' ? file.documents.find((d) => d.clusterName)?.clusterName : undefined);
      if (name) break;
    }
    const hash = id.indexOf('#');
    const root = hash >= 0 ? parentDirectory(id.slice(0, hash)) : id.endsWith('/') ? id : parentDirectory(id);
    return { name, root, files };
  }

  /** The files sharing a cluster with `uri` (itself included), in URI order. */
  clusterFiles(uri: string): SourceFile[] {
    return this.membersOf(this.clusterOf(uri));
  }

  /** The ids of every cluster and their files. */
  clusters(): ReadonlyMap<string, SourceFile[]> {
    if (!this.members) {
      const members = new Map<string, SourceFile[]>();
      for (const file of [...this.files.values()].sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0))) {
        // An ignored file is not part of any cluster: it neither contributes nor is reported.
        if (this.isIgnored(file.uri)) continue;
        const id = this.clusterOf(file.uri);
        const list = members.get(id);
        if (list) list.push(file);
        else members.set(id, [file]);
      }
      this.members = members;
    }
    return this.members;
  }

  private membersOf(id: string): SourceFile[] {
    return this.clusters().get(id) ?? [];
  }

  /**
   * Findings for one file, its cluster's cross-file findings included. Analyses what needs
   * it first (an editor analyses in slices beforehand, so this finds nothing to do).
   */
  findings(uri: string): Finding[] {
    const file = this.files.get(uri);
    if (!file) return [];
    this.analyzeAll();
    if (!file.isOurs || this.isIgnored(uri)) return [];
    let raw = this.cluster(uri).run.findings.get(uri) ?? [];
    // A project config's rule keys are checked against the catalogue, which its kind cannot see.
    for (const doc of file.documents)
      if (doc instanceof ProjectConfigDocument)
        raw = [
          ...raw,
          ...unknownRuleKeys(doc.ruleKeys, doc.chunk.startLine, doc.ignoreGlobs),
          ...this.declaredOverlaps(uri, doc),
        ].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    return applyRuleControl(
      raw,
      file.mayHaveDirectives ? file.text : '',
      [this.projectConfig(uri)?.rules ?? [], this.overrides],
      /\.ini$/i.test(uri) ? 'ini' : 'yaml',
    );
  }

  /** The model of a file's cluster (analysing what needs it first). */
  model(uri: string): ClusterModel {
    this.analyzeAll();
    return this.cluster(uri).model;
  }

  /** What a file's cluster looked like at its last check, without analysing anything (for hovers and fixes). */
  lastView(uri: string): ClusterView {
    const last = this.lastResults.get(this.clusterOf(uri));
    return last
      ? { placement: last.run.placement, settings: last.model.settings, model: last.model }
      : { placement: placementOf(NO_SETTINGS), settings: NO_SETTINGS };
  }

  private cluster(uri: string): ClusterState {
    const id = this.clusterOf(uri);
    let state = this.results.get(id);
    if (!state) {
      const files = this.membersOf(id);
      const { model, failures } = buildModel(id, files, this.log);
      state = { model, run: this.runner.run(model, files, failures) };
      this.results.set(id, state);
      this.lastResults.set(id, state);
    }
    return state;
  }

  /** Counts the times the clusters were regrouped: a front end that sees it move re-reports every file. */
  layoutGeneration = 0;

  private invalidateLayout(): void {
    this.layoutGeneration++;
    this.layout = undefined;
    this.members = undefined;
    this.results.clear();
  }
}

/**
 * A config file's settings, from its own analysis: a config of 100,000 rule keys (2 MB) is parsed
 * once, for its findings and its settings alike. Analysing it here touches nothing else: a config
 * never defines or joins a cluster. A file split into several documents, or too large to check, is
 * read whole (and says nothing, as its findings explain).
 */
function configOfFile(directory: string, file: SourceFile): ProjectConfig {
  file.analyze();
  const [doc, ...more] = file.documents;
  return doc instanceof ProjectConfigDocument && more.length === 0
    ? projectConfigOf(directory, doc.data)
    : readProjectConfig(directory, file.text);
}

/**
 * Asks every document kind present in the cluster's files to contribute, then resolves the
 * settings once. A kind that throws contributes nothing; its documents report the failure.
 */
function buildModel(
  id: string,
  files: readonly SourceFile[],
  log: (message: string) => void,
): { model: ClusterModel; failures: ContributionFailure[] } {
  const failures: ContributionFailure[] = [];
  const byKind = new Map<DocumentKind, Member<SourceDocument>[]>();
  for (const file of files) {
    for (const doc of file.documents) {
      const list = byKind.get(doc.kind);
      if (list) list.push({ uri: file.uri, doc });
      else byKind.set(doc.kind, [{ uri: file.uri, doc }]);
    }
  }
  const builder = new ClusterModelBuilder();
  for (const [kind, members] of byKind) {
    builder.addMembers(kind.id, members);
    try {
      kind.contribute(members, builder);
    } catch (error) {
      log(`the ${kind.id} documents of ${id} failed to contribute: ${(error as Error)?.stack ?? String(error)}`);
      failures.push({ kind: kind.label, members, problem: (error as Error)?.message ?? String(error) });
    }
  }
  const model: ClusterModel = {
    id,
    rosters: builder.rosters,
    nodes: builder.rosters.length === 1 ? builder.rosters[0].nodes : builder.rosters.flatMap((r) => r.nodes),
    nodePortClaims: builder.nodePortClaims,
    subnets: builder.subnets,
    nodePortRanges: builder.nodePortRanges,
    nodeCidrMasks: builder.nodeCidrMasks,
    cniMtus: builder.cniMtus,
    hostNetworks: builder.hostNetworks,
    dockerHosts: builder.dockerHosts,
    firewalls: { firewalls: builder.firewalls, selectors: builder.guardSelectors },
    settings: resolveSettings(
      builder.portSettings,
      builder.configured,
      builder.cniSettings,
      builder.distributions,
      // WireGuard over IPv6 has its own port: needed once the pod network has IPv6.
      builder.subnets.some((s) => s.role === 'pod' && s.cidrs.some((c) => c.family === 'ipv6')),
    ),
    members: (kind) => builder.members(kind),
  };
  return { model, failures };
}
