import type { Value } from '../../core/located';
import { fileName } from '../../core/uris';
import { componentPort, type ComponentPortId } from '../../knowledge/ports';
import { portOfBindAddress, portsOfUrls } from '../../knowledge/net/endpoints';
import { parsePortRange } from '../../knowledge/net/portRange';
import type { Member } from '../../model/cluster';
import type { ConfiguredPort, ConfiguredPorts } from '../../model/settings';
import type { PortSetting, SettingSource } from '../../model/settings';
import type { ConfigDocument } from './configDocument';

/**
 * The component ports a cluster's configs set, by kubeadm's precedence: extraArgs override
 * kubeadm's own flags (so apiServer secure-port beats localAPIEndpoint.bindPort).
 */
export function configuredPorts(configs: ReadonlyArray<Member<ConfigDocument>>): ConfiguredPorts {
  const live = configs.filter(({ doc }) => doc.api && doc.api.status !== 'removed');
  const ports = new Map<ComponentPortId, ConfiguredPort>();
  const setting = (uri: string, doc: ConfigDocument, value: Value<unknown>, what: string): SettingSource => ({
    place: { origin: { uri, chunk: doc.chunk }, range: value.range, owner: doc },
    description: `${doc.typeName} ${what} in ${fileName(uri)}`,
  });
  const set = (id: ComponentPortId, key: string, port: number | undefined, at: SettingSource | undefined, disabled = false) => {
    if (ports.get(id)?.setting) return; // the first explicit setting wins
    const range = port === undefined ? componentPort(id).defaultPorts : { low: port, high: port };
    ports.set(id, { id, range, disabled, setting: at, key });
  };
  const byKind = (kind: string) => live.filter(({ doc }) => doc.typeName === kind);
  let externalEtcd = false;
  let nodePortRangeSet = false;

  for (const { uri, doc } of byKind('ClusterConfiguration')) {
    const f = doc.facts;
    externalEtcd ||= f.externalEtcd;
    const securePort = (id: ComponentPortId, args: typeof f.apiServerArgs, component: string) => {
      const arg = args.get('secure-port');
      const port = arg && Number(arg.value);
      if (arg && Number.isInteger(port))
        set(
          id,
          `${component}.extraArgs secure-port`,
          port || undefined,
          setting(uri, doc, arg, `${component}.extraArgs secure-port`),
          port === 0,
        );
    };
    securePort('kube-apiserver', f.apiServerArgs, 'apiServer');
    securePort('kube-scheduler', f.schedulerArgs, 'scheduler');
    securePort('kube-controller-manager', f.controllerManagerArgs, 'controllerManager');
    for (const [id, flag] of [
      ['etcd-client', 'listen-client-urls'],
      ['etcd-peer', 'listen-peer-urls'],
      ['etcd-metrics', 'listen-metrics-urls'],
    ] as const) {
      const arg = f.etcdArgs.get(flag);
      const port = arg && portsOfUrls(arg.value)?.[0];
      if (arg && port) set(id, `etcd.local.extraArgs ${flag}`, port, setting(uri, doc, arg, `etcd.local.extraArgs ${flag}`));
    }
    const range = f.apiServerArgs.get('service-node-port-range');
    if (range && !nodePortRangeSet) {
      nodePortRangeSet = true;
      const parsed = parsePortRange(range.value, 0);
      if (parsed.ok)
        ports.set('nodeport-services', {
          id: 'nodeport-services',
          range: parsed.range,
          disabled: false,
          setting: setting(uri, doc, range, 'apiServer.extraArgs service-node-port-range'),
          key: 'apiServer.extraArgs service-node-port-range',
        });
    }
  }
  for (const kind of ['InitConfiguration', 'JoinConfiguration']) {
    for (const { uri, doc } of byKind(kind)) {
      const bindPort = doc.facts.bindPort;
      if (bindPort)
        set(
          'kube-apiserver',
          'localAPIEndpoint.bindPort',
          bindPort.value,
          setting(
            uri,
            doc,
            bindPort,
            kind === 'JoinConfiguration' ? 'controlPlane.localAPIEndpoint.bindPort' : 'localAPIEndpoint.bindPort',
          ),
        );
    }
  }
  for (const { uri, doc } of byKind('KubeletConfiguration')) {
    const f = doc.facts;
    if (f.kubeletPort) set('kubelet', 'KubeletConfiguration port', f.kubeletPort.value, setting(uri, doc, f.kubeletPort, 'port'));
    if (f.kubeletHealthzPort)
      set(
        'kubelet-healthz',
        'KubeletConfiguration healthzPort',
        f.kubeletHealthzPort.value || undefined,
        setting(uri, doc, f.kubeletHealthzPort, 'healthzPort'),
        f.kubeletHealthzPort.value === 0,
      );
    if (f.kubeletReadOnlyPort)
      set(
        'kubelet-read-only',
        'KubeletConfiguration readOnlyPort',
        f.kubeletReadOnlyPort.value || undefined,
        setting(uri, doc, f.kubeletReadOnlyPort, 'readOnlyPort'),
        f.kubeletReadOnlyPort.value === 0,
      );
  }
  for (const { uri, doc } of byKind('KubeProxyConfiguration')) {
    const f = doc.facts;
    for (const [id, address, key] of [
      ['kube-proxy-healthz', f.proxyHealthzBindAddress, 'healthzBindAddress'],
      ['kube-proxy-metrics', f.proxyMetricsBindAddress, 'metricsBindAddress'],
    ] as const) {
      if (!address) continue;
      const port = portOfBindAddress(address.value);
      if (address.value.trim() === '' || port !== undefined)
        set(id, `KubeProxyConfiguration ${key}`, port, setting(uri, doc, address, key), address.value.trim() === '');
    }
  }
  const keys: Partial<Record<ComponentPortId, string>> = {
    'kube-apiserver': 'localAPIEndpoint.bindPort',
    'kube-scheduler': 'scheduler.extraArgs secure-port',
    'kube-controller-manager': 'controllerManager.extraArgs secure-port',
    'etcd-client': 'etcd.local.extraArgs listen-client-urls',
    'etcd-peer': 'etcd.local.extraArgs listen-peer-urls',
    'etcd-metrics': 'etcd.local.extraArgs listen-metrics-urls',
    kubelet: 'KubeletConfiguration port',
    'kubelet-healthz': 'KubeletConfiguration healthzPort',
    'kubelet-read-only': 'KubeletConfiguration readOnlyPort',
    'kube-proxy-healthz': 'KubeProxyConfiguration healthzBindAddress',
    'kube-proxy-metrics': 'KubeProxyConfiguration metricsBindAddress',
    'nodeport-services': 'apiServer.extraArgs service-node-port-range',
  };
  for (const [id, key] of Object.entries(keys) as Array<[ComponentPortId, string]>) {
    if (!ports.has(id))
      ports.set(id, { id, range: componentPort(id).defaultPorts, disabled: componentPort(id).disabledByDefault ?? false, key });
  }
  if (externalEtcd) for (const id of ['etcd-client', 'etcd-peer', 'etcd-metrics'] as const) ports.get(id)!.disabled = true;

  const clusterConfiguration = byKind('ClusterConfiguration').length > 0;
  const kubeadmControlPlane =
    clusterConfiguration ||
    byKind('InitConfiguration').length > 0 ||
    byKind('JoinConfiguration').some(({ doc }) => doc.facts.joinControlPlane !== undefined);
  return { ports, decidesApiServerPort: kubeadmControlPlane, decidesNodePortRange: clusterConfiguration };
}

/**
 * The port settings the kubeadm configs give the cluster: every explicit one, and kubeadm's
 * own default for the API server port and NodePort range once a config decides them.
 */
export function portSettings(configured: ConfiguredPorts): PortSetting[] {
  const settings: PortSetting[] = [];
  for (const p of configured.ports.values()) {
    if (p.setting) settings.push({ id: p.id, range: p.range, disabled: p.disabled, source: p.setting, tier: 'installer' });
  }
  const implied = (id: ComponentPortId, key: string) =>
    settings.push({
      id,
      range: componentPort(id).defaultPorts,
      tier: 'installer',
      implied: true,
      source: { description: `kubeadm's default (the kubeadm config sets no ${key})` },
    });
  if (configured.decidesApiServerPort && !configured.ports.get('kube-apiserver')?.setting)
    implied('kube-apiserver', 'localAPIEndpoint.bindPort');
  if (configured.decidesNodePortRange && !configured.ports.get('nodeport-services')?.setting)
    implied('nodeport-services', 'service-node-port-range');
  return settings;
}
