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
 * For counts (etcd-quorum): whether `nodes` count some machines twice because two inventory
 * files of one Kubespray directory list them under different names (the same address in each);
 * then how many machines they are by their addresses, and the cause. An address repeated
 * inside one file is a mistake of its own, not this. Costs linear time in the nodes.
 */
export function inventoryFilesOverlap(nodes: readonly NodeFacts[]): { machines: number; cause: string } | undefined {
  const filesByAddress = new Map<string, Set<string>>();
  const firstOfFile = new Map<string, NodeFacts>();
  const overlapping = new Map<string, NodeFacts>();
  for (const node of nodes) {
    const address = node.interfaces?.find((i) => i.addressKey)?.addressKey;
    if (node.kind !== 'kubespray' || !address) return undefined;
    let files = filesByAddress.get(address);
    if (!files) filesByAddress.set(address, (files = new Set()));
    if (files.has(node.origin.uri)) return undefined;
    files.add(node.origin.uri);
    if (!firstOfFile.has(node.origin.uri)) firstOfFile.set(node.origin.uri, node);
    // An address is in a few files at most: the loop is short.
    if (files.size > 1) for (const uri of files) if (!overlapping.has(uri)) overlapping.set(uri, firstOfFile.get(uri)!);
  }
  if (overlapping.size < 2) return undefined;
  // One node of each file that shares a machine: they must be files of one directory.
  const cause = inventoryFilesCause(overlapping.values());
  return cause ? { machines: filesByAddress.size, cause } : undefined;
}
