/**
 * Terraform files (`*.tf`, `*.tfvars`): the firewalls a cloud puts in front of the cluster's
 * machines, and which machines they guard. The files of one directory are one module: its
 * variables, `.tfvars` values and locals are evaluated together (evaluate.ts), then its security
 * groups become the model's external firewalls (model/firewalls.ts) and its instances the
 * selectors that link them to the nodes other files describe.
 *
 * A Terraform file defines no cluster: it joins the cluster of its directory or the nearest
 * one above (analysis/clusterLayout.ts), or a cluster `.cluster-preflight.yaml` declares.
 * Nothing in it is reported unless it guards a node of that cluster.
 */
import type { Finding } from '../../core/findings';
import type { Range } from '../../core/text/positions';
import { parentDirectory } from '../../core/uris';
import type { ClusterModelBuilder, Member } from '../../model/cluster';
import { ParsedDocument, type DocumentKind } from '../kind';
import { readAws } from './aws';
import { readHcloud } from './hcloud';
import { readOpenstack } from './openstack';
import { readGcp } from './gcp';
import { terraformHover } from './hover';
import { TerraformModule, type ModuleFile } from './evaluate';
import { hclParserLoading, parseHcl, type HclFile } from './hcl';

export const TERRAFORM_KIND_ID = 'terraform';

export class TerraformDocument extends ParsedDocument {
  readonly findings: readonly Finding[] = [];
  readonly role: string;
  constructor(
    readonly kind: DocumentKind,
    end: number,
    /** Undefined when the HCL parser is not loaded (the file then contributes nothing). */
    readonly file: HclFile | undefined,
    readonly vars: ModuleFile['vars'],
  ) {
    super(0, 0, end);
    this.role = vars ? 'Terraform variables' : 'Terraform configuration';
  }
}

const TERRAFORM_FILE = /\.(tf|tfvars)$/i;

/** Which `.tfvars` Terraform loads by itself; others are passed with -var-file. */
function varsOf(uri: string): ModuleFile['vars'] {
  if (!/\.tfvars$/i.test(uri)) return undefined;
  const name = uri.slice(uri.lastIndexOf('/') + 1);
  return name === 'terraform.tfvars' || /\.auto\.tfvars$/i.test(name) ? 'auto' : 'file';
}

/** One module's contribution, kept while its documents are the same objects (a keystroke elsewhere reuses it). */
const contributions = new WeakMap<TerraformDocument, { docs: TerraformDocument[]; read: ReturnType<typeof readAws> }>();

export const terraformKind: DocumentKind<TerraformDocument> = {
  id: TERRAFORM_KIND_ID,
  label: 'Terraform',
  definesCluster: false,
  interpolates: true,
  claimsFile: (uri) => TERRAFORM_FILE.test(uri),
  recognize: () => false,
  *analyze({ uri, text }) {
    // The language server waits here for the parser it started loading; a synchronous analysis goes on without it.
    const loading = hclParserLoading();
    if (loading) yield loading;
    return new TerraformDocument(terraformKind, text.length, parseHcl(text), varsOf(uri));
  },
  hoverFile: (_doc, position, context) => terraformHover(position, context),
  contribute(members: ReadonlyArray<Member<TerraformDocument>>, into: ClusterModelBuilder) {
    const modules = new Map<string, Array<Member<TerraformDocument>>>();
    for (const m of members) {
      if (!m.doc.file) continue;
      const dir = parentDirectory(m.uri);
      const list = modules.get(dir);
      if (list) list.push(m);
      else modules.set(dir, [m]);
    }
    for (const [dir, files] of modules) {
      const docs = files.map((f) => f.doc);
      const cached = contributions.get(docs[0]);
      let read =
        cached && cached.docs.length === docs.length && cached.docs.every((d, i) => d === docs[i]) ? cached.read : undefined;
      if (!read) {
        const module = new TerraformModule(files.map((f) => ({ uri: f.uri, body: f.doc.file!.body, vars: f.doc.vars })));
        const owners = new Map(files.map((f) => [f.uri, f.doc]));
        const ctx = {
          module,
          dir,
          place: (uri: string, range: Range) => ({
            origin: { uri, chunk: owners.get(uri)!.chunk },
            range,
            owner: owners.get(uri),
          }),
        };
        const aws = readAws(ctx);
        const hcloud = readHcloud(ctx);
        const all = [aws, hcloud, readOpenstack(ctx), readGcp(ctx)];
        read = { firewalls: all.flatMap((r) => r.firewalls), selectors: all.flatMap((r) => r.selectors) };
        contributions.set(docs[0], { docs, read });
      }
      into.firewalls.push(...read.firewalls);
      into.guardSelectors.push(...read.selectors);
    }
  },
};
