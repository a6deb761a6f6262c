import { fileName, parentDirectory } from '../../core/uris';
import type { NodeFacts } from '../../model/cluster';

const COUNT = ['', 'one', 'two', 'three', 'four', 'five'];

/**
 * Why nodes that should be one machine are several, when the cause is the layout: Ansible's
 * `-i dir/` merges every inventory file of a Kubespray directory, so a `hosts.yaml` kept beside
 * the `inventory.ini` it was written from (the same VMs under other names) doubles the
 * cluster. When each of `nodes` comes from a different inventory file of one directory, the
 * message names the files; two of them in one file are a mistake whatever the other files say.
 */
export function inventoryFilesCause(nodes: Iterable<NodeFacts>): string | undefined {
  const files = new Set<string>();
  let directory: string | undefined;
  for (const node of nodes) {
    if (node.kind !== 'kubespray') return undefined;
    const uri = node.origin.uri;
    if (files.has(uri)) return undefined;
    files.add(uri);
    const dir = parentDirectory(uri);
    if (directory !== undefined && dir !== directory) return undefined;
    directory = dir;
  }
  if (files.size < 2) return undefined;
  const names = [...files].map(fileName).sort();
  return `${COUNT[names.length] ?? names.length} inventory files in this directory (${names.join(', ')}) describe the same machines; Kubespray reads the one you pass with -i (passing the directory merges them). Keep one of them in the directory.`;
}

/**
 * For counts (etcd-quorum): whether `nodes` are the same machines listed once per inventory file
 * of one Kubespray directory, each file listing the same addresses; then how many each lists,
 * and the cause. Costs linear time in the nodes.
 */
export function inventoryFilesRepeat(nodes: readonly NodeFacts[]): { each: number; cause: string } | undefined {
  const byFile = new Map<string, Set<string>>();
  let count = 0;
  for (const node of nodes) {
    const address = node.interfaces?.find((i) => i.addressKey)?.addressKey;
    if (node.kind !== 'kubespray' || !address) return undefined;
    let addresses = byFile.get(node.origin.uri);
    if (!addresses) byFile.set(node.origin.uri, (addresses = new Set()));
    addresses.add(address);
    count++;
  }
  if (byFile.size < 2 || count % byFile.size !== 0) return undefined;
  const each = count / byFile.size;
  const [first] = byFile.values();
  for (const addresses of byFile.values())
    if (addresses.size !== each || [...addresses].some((a) => !first.has(a))) return undefined;
  // One node per file and directory: the same check as for a duplicate, on one representative per file.
  const representatives = [...byFile.keys()].map((uri) => nodes.find((n) => n.origin.uri === uri)!);
  const cause = inventoryFilesCause(representatives);
  return cause ? { each, cause } : undefined;
}
