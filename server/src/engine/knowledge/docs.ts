/** Kubernetes documentation pages that diagnostics and hovers link to. */
export const DOCS = {
  networking: 'https://kubernetes.io/docs/concepts/cluster-administration/networking/',
  uniqueMac: 'https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/install-kubeadm/#verify-mac-address',
  dnsSubdomainNames: 'https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-subdomain-names',
  nodeNameUniqueness: 'https://kubernetes.io/docs/concepts/architecture/nodes/#node-name-uniqueness',
  portsAndProtocols: 'https://kubernetes.io/docs/reference/networking/ports-and-protocols/',
  portsControlPlane: 'https://kubernetes.io/docs/reference/networking/ports-and-protocols/#control-plane',
  portsWorkerNode: 'https://kubernetes.io/docs/reference/networking/ports-and-protocols/#node',
  nodePortService: 'https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport',
  haTopology: 'https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/ha-topology/',
  kubeadmConfigV1beta4: 'https://kubernetes.io/docs/reference/config-api/kubeadm-config.v1beta4/',
  kubeadmConfigV1beta3: 'https://kubernetes.io/docs/reference/config-api/kubeadm-config.v1beta3/',
  kubeletConfig: 'https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/',
  kubeProxyConfig: 'https://kubernetes.io/docs/reference/config-api/kube-proxy-config.v1alpha1/',
  kubeadmInit: 'https://kubernetes.io/docs/reference/setup-tools/kubeadm/kubeadm-init/',
  kubeadmJoin: 'https://kubernetes.io/docs/reference/setup-tools/kubeadm/kubeadm-join/',
  kubeadmHa: 'https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/high-availability/',
  kubeadmConfigMigrate: 'https://kubernetes.io/docs/reference/setup-tools/kubeadm/kubeadm-config/#cmd-config-migrate',
  kubeApiserverFlags: 'https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/',
  dualStack: 'https://kubernetes.io/docs/concepts/services-networking/dual-stack/',
} as const;

/** Pages of the installers and distributions whose files Cluster Preflight reads. */
export const FORMAT_DOCS = {
  k0sctl: 'https://github.com/k0sproject/k0sctl#configuration-file',
  k0sConfiguration: 'https://docs.k0sproject.io/stable/configuration/',
  k0sNetworking: 'https://docs.k0sproject.io/stable/networking/',
  k0sHighAvailability: 'https://docs.k0sproject.io/stable/high-availability/',
  kubesprayInventory: 'https://github.com/kubernetes-sigs/kubespray/blob/master/docs/ansible/inventory.md',
  kubesprayVars: 'https://github.com/kubernetes-sigs/kubespray/blob/master/docs/ansible/vars.md',
  rke2Configuration: 'https://docs.rke2.io/install/configuration',
  rke2ServerConfig: 'https://docs.rke2.io/reference/server_config',
  rke2Ha: 'https://docs.rke2.io/install/ha',
  k3sConfiguration: 'https://docs.k3s.io/installation/configuration',
  k3sServer: 'https://docs.k3s.io/cli/server',
  k3sHaEmbedded: 'https://docs.k3s.io/datastore/ha-embedded',
} as const;
