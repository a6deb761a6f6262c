import * as assert from 'node:assert/strict';
import { hover } from '../../../server/src/engine/features/hover';
import { Workspace } from '../../../server/src/engine/analysis/workspace';
import { firewallRequirements } from '../../../server/src/engine/model/placement';
import { check, expectRule, ofRule, ROOT, spanOf } from '../../helpers';

const server1 = 'token: secret\ncni: canal\ntls-san:\n  - rke2.lab.example.net\nnode-ip: 10.0.0.11\n';
const server2 = 'server: https://rke2.lab.example.net:9345\ntoken: secret\ncni: canal\nnode-ip: 10.0.0.12\n';
const server3 = 'server: https://rke2.lab.example.net:9345\ntoken: secret\ncni: canal\nnode-ip: 10.0.0.13\n';
const agent = 'server: https://rke2.lab.example.net:9345\ntoken: secret\nnode-ip: 10.0.0.21\n';

function workspaceOf(files: Record<string, string>): Workspace {
  const workspace = new Workspace();
  workspace.setRoots([ROOT]);
  for (const [name, text] of Object.entries(files)) workspace.setText(ROOT + name, text);
  return workspace;
}

describe('RKE2 and K3s node configs', () => {
  const clean = {
    'rke2/server-1/config.yaml': server1,
    'rke2/server-2/config.yaml': server2,
    'rke2/server-3/config.yaml': server3,
    'rke2/agent-1/config.yaml': agent,
  };

  it('a node label without "=" is a key with an empty value, as the kubelet reads it; a space in one is still an error', () => {
    const text = agent + 'node-label:\n  - worker\n  - role=edge\n  - "bad label"\n';
    const schema = ofRule(check({ 'rke2/agent-1/config.yaml': text })('rke2/agent-1/config.yaml'), 'schema');
    assert.deepEqual(
      schema.map((f) => f.range.start.line),
      [text.split('\n').findIndex((l) => l.includes('bad label'))],
      JSON.stringify(schema.map((f) => f.message)),
    );
    const k3s = 'node-label: worker\nnode-ip: 10.0.0.21\nserver: https://k3s.lab:6443\n';
    assert.deepEqual(ofRule(check({ 'k3s/agent-1/config.yaml': k3s })('k3s/agent-1/config.yaml'), 'schema'), []);
  });

  it('a clean three-server cluster with an agent has no findings', () => {
    const findings = check(clean);
    for (const name of Object.keys(clean)) assert.deepEqual(findings(name), [], name);
  });

  it('recognises a node config by its path, or elsewhere by flags only these configs use', () => {
    const workspace = workspaceOf({
      'rke2/config.yaml': 'token: secret\n',
      'nodes/cp.yaml': 'cluster-cidr: 10.42.0.0/16\nservice-cidr: 10.43.0.0/16\nwrite-kubeconfig-mode: "0644"\n',
      // An installer's own settings in snake_case, a Helm values file and a Kubernetes object are not node configs.
      'rke2/vars.yaml': 'rke2_version: v1.30.1\nrke2_token: secret\ncluster_cidr: 10.42.0.0/16\n',
      'helm/values.yaml': 'token: abc\nserver: https://example.net\nreplicas: 3\n',
      'k8s/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\ndata:\n  cluster-cidr: 10.42.0.0/16\n',
    });
    workspace.analyzeAll();
    const kinds = (name: string) => workspace.file(ROOT + name)?.documents.map((d) => d.kind.id) ?? [];
    assert.deepEqual(kinds('rke2/config.yaml'), ['rke2']);
    assert.deepEqual(kinds('nodes/cp.yaml'), ['rke2']);
    assert.ok(!kinds('rke2/vars.yaml').includes('rke2'));
    assert.ok(!kinds('helm/values.yaml').includes('rke2'));
    assert.ok(!kinds('k8s/cm.yaml').includes('rke2'));
  });

  it('a config.yaml rendered by Ansible stays in its cluster, its Jinja values unknown, with the template note', () => {
    const templated =
      'server: https://rke2.lab.example.net:9345\ntoken: "{{ rke2_token }}"\ncni: "{{ rke2_cni }}"\nnode-ip: {{ ansible_host }}\n';
    const files = { ...clean, 'rke2/server-2/config.yaml': templated };
    const workspace = workspaceOf(files);
    workspace.analyzeAll();
    assert.deepEqual(
      workspace.file(ROOT + 'rke2/server-2/config.yaml')!.documents.map((d) => d.kind.id),
      ['rke2'],
    );
    assert.equal(workspace.clusterOf(ROOT + 'rke2/server-2/config.yaml'), ROOT + 'rke2/');
    const findings = check(files);
    // One note where the first placeholder is; its values (a token, a plugin) are not compared with the other servers'.
    assert.deepEqual(
      findings('rke2/server-2/config.yaml').map((f) => ({ ruleId: f.ruleId, range: f.range })),
      [{ ruleId: 'template-placeholder', range: spanOf(templated, '{{ rke2_token }}') }],
    );
    // Still three servers: three etcd members, no even-count warning.
    for (const name of Object.keys(clean)) assert.deepEqual(ofRule(findings(name), 'etcd-quorum'), [], name);
    assert.deepEqual(ofRule(findings('rke2/server-1/config.yaml'), 'config-mismatch'), []);
  });

  it('servers that disagree on a cluster-wide setting: an error on each written value, drop-ins override config.yaml', () => {
    const first = server1 + 'cluster-cidr: 10.42.0.0/16\n';
    const second = server2 + 'cluster-cidr: 10.42.0.0/16\n';
    const dropIn = 'cluster-cidr: 10.52.0.0/16\n';
    const findings = check({
      ...clean,
      'rke2/server-1/config.yaml': first,
      'rke2/server-2/config.yaml': second,
      'rke2/server-2/config.yaml.d/50-network.yaml': dropIn,
    });
    expectRule(findings('rke2/server-2/config.yaml.d/50-network.yaml'), 'config-mismatch', [
      {
        range: spanOf(dropIn, '10.52.0.0/16'),
        severity: 'error',
        message:
          /cluster-cidr is 10\.52\.0\.0\/16 here, but server-1 has 10\.42\.0\.0\/16, server-3 has 10\.42\.0\.0\/16 \(the default\)/,
      },
    ]);
    expectRule(findings('rke2/server-1/config.yaml'), 'config-mismatch', [
      { range: spanOf(first, '10.42.0.0/16'), severity: 'error', message: /but server-2 has 10\.52\.0\.0\/16/ },
    ]);
    // server-2's own config.yaml value is overridden by its drop-in: nothing is reported on it.
    assert.deepEqual(ofRule(findings('rke2/server-2/config.yaml'), 'config-mismatch'), []);
    // The CNI is not part of the join check, but each server deploys the one it names.
    const cni = check({ ...clean, 'rke2/server-2/config.yaml.d/50-cni.yaml': 'cni: cilium\n' });
    expectRule(cni('rke2/server-2/config.yaml.d/50-cni.yaml'), 'config-mismatch', [
      {
        range: { start: { line: 0, character: 5 }, end: { line: 0, character: 11 } },
        message: /each server deploys the CNI it names/,
      },
    ]);
    // A setting each node chooses for itself is not compared.
    const own = check({ ...clean, 'rke2/server-2/config.yaml.d/50-taint.yaml': 'node-taint:\n  - dedicated=db:NoSchedule\n' });
    assert.deepEqual(ofRule(own('rke2/server-2/config.yaml.d/50-taint.yaml'), 'config-mismatch'), []);
  });

  it('a default counts: a server that writes a non-default value differs from one that writes nothing', () => {
    const other = 'server: https://rke2.lab.example.net:9345\ntoken: secret\ncni: canal\ncluster-cidr: 10.50.0.0/16\n';
    const findings = check({ 'rke2/server-1/config.yaml': server1, 'rke2/server-2/config.yaml': other });
    expectRule(findings('rke2/server-2/config.yaml'), 'config-mismatch', [
      { range: spanOf(other, '10.50.0.0/16'), message: /server-1 has 10\.42\.0\.0\/16 \(the default\)/ },
    ]);
  });

  it('two servers are two etcd members; K3s servers without cluster-init or a server to join keep state in SQLite', () => {
    const findings = check({ 'rke2/server-1/config.yaml': server1, 'rke2/server-2/config.yaml': server2 });
    // On the first server's first key: RKE2 nodes have no list to point at.
    expectRule(findings('rke2/server-1/config.yaml'), 'etcd-quorum', [{ range: spanOf(server1, 'token') }]);
    const sqlite = 'token: secret\nflannel-backend: vxlan\nwrite-kubeconfig-mode: "0644"\n';
    const k3s = check({ 'k3s/a/config.yaml': sqlite, 'k3s/b/config.yaml': sqlite });
    assert.deepEqual(ofRule(k3s('k3s/a/config.yaml'), 'etcd-quorum'), []);
  });

  it('a config with no server-only flag is a server when its node directory is named like one; flags win', () => {
    const workspace = workspaceOf({
      // A K3s server joining with token and node-ip only: nothing but the directory says it is a server.
      'k3s/server-1/config.yaml': 'token: secret\nnode-ip: 10.0.0.11\n',
      'k3s/cp-2/config.yaml': 'server: https://10.0.0.11:6443\ntoken: secret\nnode-ip: 10.0.0.12\n',
      'k3s/node-1/config.yaml': 'server: https://10.0.0.11:6443\ntoken: secret\nnode-ip: 10.0.0.21\n',
      'k3s/lab-1/config.yaml': 'server: https://10.0.0.11:6443\ntoken: secret\nnode-ip: 10.0.0.22\n',
      'k3s/agent-9/config.yaml': 'cluster-init: true\ntoken: secret\nnode-ip: 10.0.0.13\n',
    });
    workspace.analyzeAll();
    const model = workspace.model(`${ROOT}k3s/server-1/config.yaml`);
    assert.deepEqual(Object.fromEntries(model.nodes.map((n) => [n.label, n.roles.join(',')])), {
      'node agent-9': 'control-plane,etcd',
      'node cp-2': 'control-plane,etcd',
      'node lab-1': 'worker',
      'node node-1': 'worker',
      'node server-1': 'control-plane,etcd',
    });
    // The server by its directory needs the supervisor and API port, as any K3s server does.
    workspace.findings(`${ROOT}k3s/server-1/config.yaml`);
    const placement = workspace.lastView(`${ROOT}k3s/server-1/config.yaml`).placement;
    const server1 = model.nodes.find((n) => n.label === 'node server-1')!;
    assert.ok(firewallRequirements(server1.roles, placement).some((p) => p.port.id === 'kube-apiserver' && p.range.low === 6443));
    // An unknown key is skipped by k3s server (a warning), not fatal as for an agent.
    const unknown = 'token: secret\nnode-ipp: 10.0.0.11\n';
    expectRule(check({ 'k3s/server-1/config.yaml': unknown })('k3s/server-1/config.yaml'), 'schema', [
      { range: spanOf(unknown, 'node-ipp'), severity: 'warning', message: /k3s skips it/ },
    ]);
  });

  it('reports one node address on two nodes, naming the nodes by directory', () => {
    const findings = check({ ...clean, 'rke2/agent-1/config.yaml': agent.replace('10.0.0.21', '10.0.0.11') });
    expectRule(findings('rke2/agent-1/config.yaml'), 'duplicate-ip', [
      { range: spanOf(agent, '10.0.0.21'), message: /node agent-1, node server-1/ },
    ]);
  });

  it('unknown flags: rke2 and k3s server skip them (a warning), k3s agent refuses to start (an error)', () => {
    const rke2 = 'token: secret\ncni: canal\ncluster-init: true\n';
    expectRule(check({ 'rke2/s/config.yaml': rke2 })('rke2/s/config.yaml'), 'schema', [
      {
        range: spanOf(rke2, 'cluster-init'),
        severity: 'warning',
        message: /Unknown key "cluster-init".*It is a K3s flag\. rke2 skips it/,
      },
    ]);
    const k3sAgent = 'server: https://k3s.lab.example.net:6443\ntoken: secret\nnode-ipp: 10.0.0.21\n';
    expectRule(check({ 'k3s/a/config.yaml': k3sAgent })('k3s/a/config.yaml'), 'schema', [
      { range: spanOf(k3sAgent, 'node-ipp'), severity: 'error', message: /Did you mean "node-ip"\?.*k3s agent refuses to start/ },
    ]);
  });

  it('the nearest evidence decides RKE2 or K3s: the directory named k3s or rke2, else flags only one of them has', () => {
    const k3sServer = 'token: secret\ncluster-init: true\ndocker: true\nnode-ip: 10.0.0.11\n';
    // /etc/rancher/k3s/ beats an rke2 folder higher up: every K3s flag is simply a flag.
    const nested = 'my-rke2-lab/etc/rancher/k3s/config.yaml';
    assert.deepEqual(check({ [nested]: k3sServer })(nested), [], nested);
    // A folder that only mentions rke2 in its name gives way to K3s-only flags.
    const mentioned = 'my-rke2-lab/server-1/config.yaml';
    assert.deepEqual(check({ [mentioned]: k3sServer })(mentioned), [], mentioned);
    // ...and to RKE2-only flags the other way round.
    const rke2Server = 'token: secret\ncni: canal\nprofile: cis\nnode-ip: 10.0.0.11\n';
    const k3sMentioned = 'old-k3s-notes/server-1/config.yaml';
    assert.deepEqual(check({ [k3sMentioned]: rke2Server })(k3sMentioned), [], k3sMentioned);
    // The config's own directory decides over flags: a K3s habit in /etc/rancher/rke2/ is still reported.
    const own = 'k3s-lab/etc/rancher/rke2/config.yaml';
    const k3sHabits = 'token: secret\ncluster-init: true\nflannel-backend: none\n';
    expectRule(check({ [own]: k3sHabits })(own), 'schema', [
      { range: spanOf(k3sHabits, 'cluster-init'), severity: 'warning', message: /It is a K3s flag\. rke2 skips it/ },
      { range: spanOf(k3sHabits, 'flannel-backend'), severity: 'warning', message: /It is a K3s flag\. rke2 skips it/ },
    ]);
    // Flags of both kinds in a folder that only mentions rke2: the folder decides, as before.
    const mixed = 'token: secret\ncni: canal\ndocker: true\n';
    expectRule(check({ [mentioned]: mixed })(mentioned), 'schema', [
      { range: spanOf(mixed, 'docker'), severity: 'warning', message: /It is a K3s flag\. rke2 skips it/ },
    ]);
  });

  it('keys with + append and one-letter aliases name their flags', () => {
    const text = 'token: secret\ncni: canal\nnode-label+:\n  - zone=a\ni: 10.0.0.11\n';
    const findings = check({
      'rke2/server-1/config.yaml': text,
      'rke2/server-2/config.yaml': server2.replace('10.0.0.12', '10.0.0.11'),
    });
    assert.deepEqual(ofRule(findings('rke2/server-1/config.yaml'), 'schema'), []);
    expectRule(findings('rke2/server-1/config.yaml'), 'duplicate-ip', [{ range: spanOf(text, '10.0.0.11') }]);
  });

  it('a NodePort range from 0 is what kube-apiserver accepts: reported for the ports it swallows, not as malformed', () => {
    const text = 'token: secret\nflannel-backend: vxlan\nservice-node-port-range: 0-32767\n';
    const findings = check({ 'k3s/s/config.yaml': text })('k3s/s/config.yaml');
    assert.deepEqual(ofRule(findings, 'invalid-port-range'), []);
    expectRule(findings, 'nodeport-range-overlap', [
      { range: spanOf(text, '0-32767'), message: /6443\/TCP \(Kubernetes API server\)/ },
    ]);
  });

  it('hovers describe a flag and say when all servers must agree on it', () => {
    const workspace = workspaceOf({ 'rke2/server-1/config.yaml': server1 });
    workspace.findings(ROOT + 'rke2/server-1/config.yaml');
    const at = spanOf(server1, 'cni');
    const result = hover(workspace, ROOT + 'rke2/server-1/config.yaml', {
      line: at.start.line,
      character: at.start.character + 1,
    });
    assert.match(result!.markdown, /\*\*cni\*\*/);
    assert.match(result!.markdown, /Only `server` takes this flag/);
    const cidr = workspaceOf({ 'rke2/server-1/config.yaml': server1 + 'cluster-cidr: 10.42.0.0/16\n' });
    const text = server1 + 'cluster-cidr: 10.42.0.0/16\n';
    const key = spanOf(text, 'cluster-cidr');
    const shared = hover(cidr, ROOT + 'rke2/server-1/config.yaml', { line: key.start.line, character: key.start.character + 1 });
    assert.match(shared!.markdown, /All servers of a cluster must set the same value/);
    assert.match(result!.markdown, /\[RKE2 configuration\]\(https:\/\/docs\.rke2\.io/);
  });
});
