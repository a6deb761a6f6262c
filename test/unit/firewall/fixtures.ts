/** Small clusters of each distribution and network plugin mode, for the firewall generator's tests. */
import { controlPlane, inventory, worker } from '../../helpers';

/** Two control-plane nodes (etcd has a peer) and a worker, without firewall lists. */
function nodes(): string {
  const strip = (item: string) => item.replace(/ {6}firewall:\n(?: {8}- port: .*\n)*/, '');
  return strip(controlPlane('cp-1', 11)) + strip(controlPlane('cp-2', 12)) + strip(worker('w-1', 1));
}

export const CLUSTERS: Record<string, string> = {
  'kubeadm-calico-ipip': inventory(nodes(), '  cni:\n    plugin: calico\n'),
  'kubeadm-calico-vxlan': inventory(nodes(), '  cni:\n    plugin: calico\n    mode: vxlan\n'),
  'kubeadm-cilium': inventory(nodes(), '  cni:\n    plugin: cilium\n'),
  'rke2-canal': inventory(nodes(), '  distribution: rke2\n'),
  'k3s-flannel': inventory(nodes(), '  distribution: k3s\n'),
  'k0s-kube-router': inventory(nodes(), '  distribution: k0s\n'),
};
