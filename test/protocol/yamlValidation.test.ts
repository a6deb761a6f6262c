/**
 * Issue 17 item 3: the schemas our package.json contributes through `yamlValidation` are applied by
 * Red Hat's YAML extension to every file their `fileMatch` names. They must name only files that
 * are unambiguously ours; our own server validates inventories by apiVersion/kind, whatever the name.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import picomatch from 'picomatch';
import { yamlLanguageServer } from '../../bench/anchor';
import { LspClient, REPO } from '../support/lspClient';

interface SchemaAssociation {
  fileMatch: string[];
  uri: string;
}

/** What vscode-yaml sends its server (`json/schemaAssociations`) for our package.json: fileMatch without a `/` gets one. */
function associationsFromPackageJson(): SchemaAssociation[] {
  const manifest = JSON.parse(readFileSync(resolve(REPO, 'package.json'), 'utf8'));
  return (manifest.contributes.yamlValidation as Array<{ fileMatch: string | string[]; url: string }>).map((entry) => ({
    fileMatch: [entry.fileMatch].flat().map((pattern) => (/^(\w+:\/\/|\/|!)/.test(pattern) ? pattern : `/${pattern}`)),
    uri: entry.url.startsWith('./') ? pathToFileURL(resolve(REPO, entry.url)).href : entry.url,
  }));
}

/** File names Ansible, Kubespray and other tools use for their own YAML. */
const GENERIC_NAMES = [
  'inventory.yaml',
  'inventory.yml',
  'prod.inventory.yaml',
  'hosts.yaml',
  'hosts.yml',
  'inventory/mycluster/hosts.yaml',
  'group_vars/all/all.yml',
  'cluster.yaml',
  'config.yaml',
  'kubeadm.yaml',
];

const KUBESPRAY_INVENTORY = `all:
  hosts:
    node1:
      ansible_host: 10.0.0.11
  children:
    kube_control_plane:
      hosts:
        node1:
    kube_node:
      hosts:
        node1:
    etcd:
      hosts:
        node1:
    k8s_cluster:
      children:
        kube_control_plane:
        kube_node:
`;

describe('yamlValidation in package.json (schemas for Red Hat YAML)', function () {
  it('associates no schema with a file name other tools use', () => {
    const associations = associationsFromPackageJson();
    assert.ok(associations.length > 0);
    for (const { fileMatch, uri } of associations) {
      // vscode-yaml matches a leading-slash pattern against the end of the file's path.
      const matches = picomatch(fileMatch.map((p) => `**${p}`));
      for (const name of GENERIC_NAMES)
        assert.equal(matches(`/work/repo/${name}`), false, `${uri} claims ${name} (${fileMatch})`);
    }
  });

  describe('in yaml-language-server with the associations VS Code passes', function () {
    this.timeout(120_000);
    let client: LspClient | undefined;
    afterEach(async () => {
      await client?.connection.sendRequest('shutdown').catch(() => undefined);
      client?.process.kill();
      client = undefined;
    });

    async function diagnosticsOf(files: Record<string, string>, name: string) {
      const dir = mkdtempSync(join(tmpdir(), 'preflight-yamlls-'));
      for (const [n, text] of Object.entries(files)) writeFileSync(join(dir, n), text);
      const yaml = { validate: true, schemaStore: { enable: false }, format: { enable: false } };
      client = LspClient.start(process.execPath, [yamlLanguageServer(), '--stdio'], {
        configuration: { yaml, '[yaml]': {}, http: {}, editor: {}, files: {} },
      });
      await client.initialize(pathToFileURL(dir).href, {}, { workspace: { configuration: true } });
      await client.connection.sendNotification('json/schemaAssociations', associationsFromPackageJson());
      const uri = pathToFileURL(join(dir, name)).href;
      await client.open(uri, files[name], 1);
      await client.waitFor(uri, () => true);
      return client.published.filter((p) => p.uri === uri).at(-1)!.diagnostics;
    }

    it('gives a Kubespray inventory.yaml no diagnostics from our schema', async () => {
      const diagnostics = await diagnosticsOf({ 'inventory.yaml': KUBESPRAY_INVENTORY }, 'inventory.yaml');
      assert.deepEqual(
        diagnostics.map((d) => d.message),
        [],
      );
    });

    it('still validates our .cluster-preflight.yaml (the check above can fail)', async () => {
      const diagnostics = await diagnosticsOf(
        { '.cluster-preflight.yaml': 'rules:\n  duplicate-ip: sometimes\n' },
        '.cluster-preflight.yaml',
      );
      assert.ok(diagnostics.length > 0, 'yaml-language-server applies the config schema');
    });
  });
});
