import * as assert from 'node:assert/strict';
import { codeActions } from '../../../server/src/engine/features/codeActions';
import { Workspace } from '../../../server/src/engine/analysis/workspace';
import { applyEdits } from '../../edits';
import { check, expectRule, ofRule, ROOT, ruleFixes, spanAfter, spanOf } from '../../helpers';

const RULE = 'join-address';

/** A three-server RKE2 cluster whose first server names a load balancer and a virtual IP in tls-san. */
const rke2Server1 = 'token: secret\ncni: canal\ntls-san:\n  - rke2.lab.example.net\n  - 10.0.0.100\nnode-ip: 10.0.0.11\n';
const rke2Joiner = (url: string, ip: number) => `server: ${url}\ntoken: secret\ncni: canal\nnode-ip: 10.0.0.${ip}\n`;
const agentOf = (url: string) => `server: ${url}\ntoken: secret\nnode-ip: 10.0.0.21\n`;

function rke2(agentUrl: string, extra: Record<string, string> = {}) {
  return {
    'rke2/server-1/config.yaml': rke2Server1,
    'rke2/server-2/config.yaml': rke2Joiner('https://10.0.0.11:9345', 12),
    'rke2/server-3/config.yaml': rke2Joiner('https://rke2.lab.example.net:9345', 13),
    'rke2/agent-1/config.yaml': agentOf(agentUrl),
    ...extra,
  };
}

const k3sServer1 = 'token: secret\ncluster-init: true\nnode-ip: 10.0.0.11\n';
function k3s(agentUrl: string, server1 = k3sServer1) {
  return {
    'k3s/server-1/config.yaml': server1,
    'k3s/server-2/config.yaml': 'server: https://10.0.0.11:6443\ntoken: secret\nnode-ip: 10.0.0.12\n',
    'k3s/agent-1/config.yaml': agentOf(agentUrl),
  };
}

const agentFindings = (files: Record<string, string>, dir = 'rke2') => check(files)(`${dir}/agent-1/config.yaml`);

function fixesFor(files: Record<string, string>, name: string) {
  return ruleFixes(files, name, RULE);
}

/** Applies the one fix offered for a file and returns the file's new text, after checking the cluster is then clean. */
function fixed(files: Record<string, string>, name: string): string {
  const fixes = fixesFor(files, name);
  assert.equal(fixes.length, 1, JSON.stringify(fixes.map((f) => f.title)));
  const text = applyEdits(files[name], fixes[0].edits);
  assert.deepEqual(ofRule(check({ ...files, [name]: text })(name), RULE), [], text);
  return text;
}

describe('join-address', () => {
  describe('RKE2: the supervisor on 9345', () => {
    it('reports an agent joining on 6443 on its server value and names the URL to use', () => {
      const url = 'https://10.0.0.11:6443';
      const text = agentOf(url);
      expectRule(agentFindings(rke2(url)), RULE, [
        {
          range: spanAfter(text, 'server: ', url),
          severity: 'error',
          message:
            /^RKE2 agents register with the supervisor on 9345, not 6443 \(the Kubernetes API server\): use https:\/\/10\.0\.0\.11:9345\.$/,
        },
      ]);
    });

    it('accepts 9345 on a server address, a tls-san name, a tls-san address and a name the files cannot resolve', () => {
      for (const url of [
        'https://10.0.0.11:9345',
        'https://rke2.lab.example.net:9345',
        'https://10.0.0.100:9345',
        'https://lb.elsewhere.example:9345/',
        'https://server-2:9345',
      ]) {
        const findings = check(rke2(url));
        for (const name of Object.keys(rke2(url))) assert.deepEqual(ofRule(findings(name), RULE), [], `${url} in ${name}`);
      }
    });

    it('reports the port whatever the host, since an RKE2 agent dials the URL port on every server it learns of', () => {
      const url = 'https://lb.elsewhere.example:6443';
      expectRule(agentFindings(rke2(url)), RULE, [
        { range: spanAfter(agentOf(url), 'server: ', url), message: /use https:\/\/lb\.elsewhere\.example:9345\.$/ },
      ]);
      // Even with no server in view.
      expectRule(check({ 'rke2/agent-1/config.yaml': agentOf(url) })('rke2/agent-1/config.yaml'), RULE, [
        { range: spanAfter(agentOf(url), 'server: ', url) },
      ]);
    });

    it('reports a URL without a port: the agent dials 443, https’s default', () => {
      const url = 'https://rke2.lab.example.net';
      expectRule(agentFindings(rke2(url)), RULE, [
        {
          range: spanAfter(agentOf(url), 'server: ', url),
          message:
            /on 9345, this URL has no port, so the node dials 443 \(https's default\): use https:\/\/rke2\.lab\.example\.net:9345\.$/,
        },
      ]);
      // An empty port is no port.
      assert.equal(ofRule(agentFindings(rke2('"https://rke2.lab.example.net:"')), RULE).length, 1);
    });

    it('reports a joining server too, and says RKE2 ignores supervisor-port written on a server', () => {
      const server2 = rke2Joiner('https://10.0.0.11:9346', 12);
      const files = rke2('https://10.0.0.11:9345', {
        'rke2/server-1/config.yaml': rke2Server1 + 'supervisor-port: 9346\n',
        'rke2/server-2/config.yaml': server2,
      });
      expectRule(check(files)('rke2/server-2/config.yaml'), RULE, [
        {
          range: spanOf(server2, 'https://10.0.0.11:9346'),
          message:
            /^RKE2 servers joining a cluster register with the supervisor on 9345, not 9346: use https:\/\/10\.0\.0\.11:9345\. RKE2 ignores supervisor-port: its servers listen on 9345 whatever they set\.$/,
        },
      ]);
      assert.deepEqual(ofRule(check(files)('rke2/agent-1/config.yaml'), RULE), []);
    });

    it('reads IPv6 hosts in brackets and compares their spellings', () => {
      const url = 'https://[fd00:0:0::11]:6443';
      const files = rke2(url, {
        'rke2/server-1/config.yaml': rke2Server1.replace('node-ip: 10.0.0.11', 'node-ip: 10.0.0.11,fd00::11'),
      });
      expectRule(agentFindings(files), RULE, [
        { range: spanAfter(agentOf(url), 'server: ', url), message: /, not 6443 .*: use https:\/\/\[fd00:0:0::11\]:9345\.$/ },
      ]);
      assert.deepEqual(
        ofRule(agentFindings({ ...files, 'rke2/agent-1/config.yaml': agentOf('https://[fd00::11]:9345') }), RULE),
        [],
      );
      // An unbracketed IPv6 address with a port is no URL to compare: the schema's business, not this rule's.
      assert.deepEqual(ofRule(agentFindings(rke2('https://fd00::11:9345')), RULE), []);
    });

    it('skips values with template placeholders', () => {
      for (const url of [
        'https://${SERVER_IP}:6443',
        'https://<server-ip>:6443',
        'https://10.0.0.11:$PORT',
        'https://{{ server }}:6443',
      ]) {
        assert.deepEqual(ofRule(agentFindings(rke2(url)), RULE), [], url);
      }
    });

    it('reads the server flag from a drop-in, which overrides config.yaml', () => {
      const dropIn = 'server: "https://10.0.0.11:6443"\n';
      const files = rke2('https://10.0.0.11:9345', { 'rke2/agent-1/config.yaml.d/90-join.yaml': dropIn });
      const findings = check(files);
      expectRule(findings('rke2/agent-1/config.yaml.d/90-join.yaml'), RULE, [
        { range: spanOf(dropIn, '"https://10.0.0.11:6443"') },
      ]);
      assert.deepEqual(ofRule(findings('rke2/agent-1/config.yaml'), RULE), []);
    });
  });

  describe('K3s: the servers’ https-listen-port', () => {
    it('reports an agent joining a server on 9345 and names its port', () => {
      const url = 'https://10.0.0.11:9345';
      expectRule(agentFindings(k3s(url), 'k3s'), RULE, [
        {
          range: spanAfter(agentOf(url), 'server: ', url),
          message:
            /^K3s agents register with the supervisor and API server on 6443 at server-1, not 9345: use https:\/\/10\.0\.0\.11:6443\.$/,
        },
      ]);
      const clean = check(k3s('https://10.0.0.11:6443'));
      for (const name of Object.keys(k3s(''))) assert.deepEqual(ofRule(clean(name), RULE), [], name);
    });

    it('follows the server’s https-listen-port and supervisor-port, relating the finding to the setting', () => {
      const moved = k3sServer1 + 'https-listen-port: 7443\n';
      const url = 'https://10.0.0.11:6443';
      const findings = agentFindings(k3s(url, moved), 'k3s');
      expectRule(findings, RULE, [
        { range: spanAfter(agentOf(url), 'server: ', url), message: /on 7443 at server-1 \(its https-listen-port\), not 6443/ },
      ]);
      assert.deepEqual(findings.find((f) => f.ruleId === RULE)!.related?.[0].range, spanOf(moved, '7443'));
      const split = moved + 'supervisor-port: 9346\n';
      expectRule(agentFindings(k3s(url, split), 'k3s'), RULE, [
        {
          range: spanAfter(agentOf(url), 'server: ', url),
          message: /on 9346 at server-1 \(its supervisor-port\), not 6443: use https:\/\/10\.0\.0\.11:9346\.$/,
        },
      ]);
      assert.deepEqual(ofRule(agentFindings(k3s('https://10.0.0.11:9346', split), 'k3s'), RULE), []);
      // supervisor-port 0 means "the same as https-listen-port".
      assert.deepEqual(ofRule(agentFindings(k3s('https://10.0.0.11:7443', moved + 'supervisor-port: 0\n'), 'k3s'), RULE), []);
    });

    it('leaves the port of a load balancer or DNS name alone: a K3s agent uses it only for its first connection', () => {
      for (const url of ['https://k3s.example.net', 'https://k3s.example.net:9345', 'https://k3s.example.net:443']) {
        assert.deepEqual(ofRule(agentFindings(k3s(url), 'k3s'), RULE), [], url);
      }
    });

    it('reports a server address without a port (443)', () => {
      const url = 'https://10.0.0.11';
      expectRule(agentFindings(k3s(url), 'k3s'), RULE, [
        { range: spanAfter(agentOf(url), 'server: ', url), message: /this URL has no port, so the node dials 443/ },
      ]);
    });
  });

  describe('the host', () => {
    it('reports an IP address that is no server’s and in no tls-san, listing the servers', () => {
      const url = 'https://10.0.0.99:9345';
      expectRule(agentFindings(rke2(url)), RULE, [
        {
          range: spanAfter(agentOf(url), 'server: ', url),
          message:
            /^10\.0\.0\.99 is neither the address of a server \(server-1: 10\.0\.0\.11; server-2: 10\.0\.0\.12; server-3: 10\.0\.0\.13\) nor in any server's tls-san: .* add 10\.0\.0\.99 to every server's tls-san\.$/,
        },
      ]);
    });

    it('names both the host and the port when both are wrong', () => {
      const url = 'https://10.0.0.99:6443';
      expectRule(agentFindings(rke2(url)), RULE, [
        {
          range: spanAfter(agentOf(url), 'server: ', url),
          // No URL to suggest: the right server is not known.
          message: /^10\.0\.0\.99 is neither .* register with the supervisor on 9345, not 6443 \(the Kubernetes API server\)\.$/,
        },
      ]);
      // Several server addresses: no fix can know which one was meant.
      assert.deepEqual(fixesFor(rke2(url), 'rke2/agent-1/config.yaml'), []);
    });

    it('stays silent about the host when a server does not state its address, when the first server is not in view, or for names', () => {
      const url = 'https://10.0.0.99:9345';
      const unstated = rke2(url, { 'rke2/server-3/config.yaml': 'server: https://10.0.0.11:9345\ntoken: secret\ncni: canal\n' });
      assert.deepEqual(ofRule(agentFindings(unstated), RULE), []);
      const templated = rke2(url, {
        'rke2/server-3/config.yaml': rke2Joiner('https://10.0.0.11:9345', 13).replace('10.0.0.13', '${SERVER3_IP}'),
      });
      assert.deepEqual(ofRule(agentFindings(templated), RULE), []);
      const joinersOnly = rke2(url);
      delete (joinersOnly as Record<string, string>)['rke2/server-1/config.yaml'];
      assert.deepEqual(ofRule(agentFindings(joinersOnly), RULE), []);
      assert.deepEqual(ofRule(agentFindings(rke2('https://nowhere.example:9345')), RULE), []);
    });

    it('matches wildcard tls-san names, node-name and the node directory', () => {
      const files = rke2('https://api.lab.example.net:9345', {
        'rke2/server-1/config.yaml': rke2Server1.replace('  - 10.0.0.100\n', '  - "*.lab.example.net"\n') + 'node-name: cp-a\n',
      });
      assert.deepEqual(ofRule(agentFindings(files), RULE), []);
      // A K3s URL naming a server by node-name or directory gets that server's port checked.
      for (const host of ['cp-a', 'server-1', 'SERVER-1']) {
        const url = `https://${host}:9345`;
        const k3sFiles = k3s(url, k3sServer1 + 'node-name: cp-a\n');
        expectRule(agentFindings(k3sFiles, 'k3s'), RULE, [
          { range: spanAfter(agentOf(url), 'server: ', url), message: /on 6443 at server-1/ },
        ]);
      }
    });
  });

  describe('quick-fixes', () => {
    it('puts the expected port in place, keeping quotes, comments and every other byte', () => {
      const text =
        '# joins the lab\r\nserver: "https://10.0.0.11:6443/"   # the servers\r\ntoken: secret\r\nnode-ip: 10.0.0.21\r\n';
      const files = rke2('', { 'rke2/agent-1/config.yaml': text });
      const fixes = fixesFor(files, 'rke2/agent-1/config.yaml');
      assert.deepEqual(
        fixes.map((f) => [f.title, f.edits.map((e) => [e.range, e.newText])]),
        [['Use https://10.0.0.11:9345/', [[spanOf(text, '6443'), '9345']]]],
      );
      assert.equal(fixed(files, 'rke2/agent-1/config.yaml'), text.replace('6443', '9345'));
    });

    it('adds the missing port after the host', () => {
      const text = "server: 'https://[fd00::11]'\ntoken: secret\n";
      const files = rke2('', {
        'rke2/server-1/config.yaml': rke2Server1.replace('node-ip: 10.0.0.11', 'node-ip: 10.0.0.11,fd00::11'),
        'rke2/agent-1/config.yaml': text,
      });
      assert.equal(fixed(files, 'rke2/agent-1/config.yaml'), "server: 'https://[fd00::11]:9345'\ntoken: secret\n");
    });

    it('replaces a wrong host when the cluster has exactly one server address', () => {
      const files = {
        'k3s/server-1/config.yaml': 'token: secret\nnode-ip: 10.0.0.11\nhttps-listen-port: 7443\n',
        'k3s/agent-1/config.yaml': 'server: https://10.0.0.99:6443\ntoken: secret\n',
      };
      assert.equal(fixed(files, 'k3s/agent-1/config.yaml'), 'server: https://10.0.0.11:7443\ntoken: secret\n');
    });

    it('offers nothing once the value no longer reads as it did', () => {
      const url = 'https://10.0.0.11:6443';
      const workspace = new Workspace();
      workspace.setRoots([ROOT]);
      for (const [file, text] of Object.entries(rke2(url))) workspace.setText(ROOT + file, text);
      const uri = `${ROOT}rke2/agent-1/config.yaml`;
      const diagnostics = ofRule(workspace.findings(uri), RULE).map((f) => ({ range: f.range, code: f.ruleId, data: f.data }));
      workspace.setText(uri, agentOf('https://10.0.0.12:6443'));
      assert.deepEqual(
        codeActions(workspace, uri, diagnostics).filter((f) => !f.title.startsWith('Disable')),
        [],
      );
    });
  });
});
