/**
 * The firewall rules of the clusters of some files, in one format: what the CLI's `firewall`
 * command and the editor's request both call. One cluster's failure costs only its own part of
 * the output (a comment saying so), as one file's failure costs only its findings.
 */
import type { Workspace } from '../../analysis/workspace';
import { parseInterfaceAddress } from '../../knowledge/net/addresses';
import { KUBESPRAY_KIND_ID } from '../../sources/kubespray/document';
import { firewallFormat, type RenderContext } from './formats';
import { firewallPlan, type FirewallOptions, type FirewallPlan } from './plan';
import { oneLine } from './text';

export interface ClusterToGenerate {
  /** A file of the cluster: its model is asked for through it. */
  uri: string;
  /** How the output names the cluster. */
  name: string;
}

export interface GeneratedFirewall {
  text: string;
  plans: FirewallPlan[];
  /** Clusters whose rules could not be computed, with why (also written into the text as comments). */
  failures: string[];
}

/** Whether a text is an IPv4 or IPv6 network (or a single address) as --allow-from takes it; its problem otherwise. */
export function allowFromProblem(text: string): string | undefined {
  const parsed = parseInterfaceAddress(text.trim());
  if (!parsed) return `"${oneLine(text, 80)}" is not an IP address or CIDR (such as 203.0.113.0/24)`;
  return undefined;
}

export function generateFirewall(
  workspace: Workspace,
  clusters: readonly ClusterToGenerate[],
  formatId: string,
  options: FirewallOptions,
): GeneratedFirewall {
  const format = firewallFormat(formatId);
  if (!format) throw new Error(`unknown firewall format ${formatId}`);
  const plans: FirewallPlan[] = [];
  const contexts: RenderContext[] = [];
  const failures: string[] = [];
  for (const cluster of clusters) {
    try {
      const model = workspace.model(cluster.uri);
      plans.push(firewallPlan(model, JSON.stringify(oneLine(cluster.name, 200)), options));
      contexts.push({ kubespray: model.nodes.some((n) => n.kind === KUBESPRAY_KIND_ID) });
    } catch (error) {
      failures.push(`cluster ${oneLine(cluster.name, 200)}: ${oneLine((error as Error)?.message ?? String(error))}`);
    }
  }
  let text = plans.length ? format.render(plans, contexts) : '';
  if (failures.length) {
    const marker = format.id === 'firewalld-xml' ? (t: string) => `<!-- ${t.replace(/--/g, '- -')} -->` : (t: string) => `# ${t}`;
    if (format.id === 'json') {
      const parsed = JSON.parse(text || '{"clusters":[]}') as Record<string, unknown>;
      text = JSON.stringify({ ...parsed, failures }, null, 2) + '\n';
    } else
      text += failures.map((f) => marker(`Not generated (a bug in Cluster Preflight; please report it): ${f}`)).join('\n') + '\n';
  }
  if (clusters.length === 0) {
    const none =
      'No cluster found: no inventory, Kubespray inventory, k0sctl file, RKE2/K3s config or kubeadm config among the files.';
    text =
      format.id === 'json'
        ? JSON.stringify({ clusters: [], notes: [none] }, null, 2) + '\n'
        : format.id === 'firewalld-xml'
          ? `<!-- ${none} -->\n`
          : `# ${none}\n`;
  }
  return { text, plans, failures };
}
