import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { applyEdits } from '../edits';
import { KUBESPRAY, spanOf } from '../helpers';
import { LspClient } from '../support/lspClient';

/** A Kubespray inventory with its Terraform beside it: the group admits everything but etcd's ports. */
const TERRAFORM = `resource "aws_security_group" "k8s" {
  ingress {
    from_port = 6443
    to_port   = 6443
    protocol  = "tcp"
    self      = true
  }

  ingress {
    from_port = 10250
    to_port   = 10259
    protocol  = "tcp"
    self      = true
  }

  ingress {
    from_port = 30000
    to_port   = 32767
    protocol  = "tcp"
    self      = true
  }

  ingress {
    from_port = 4789
    to_port   = 4789
    protocol  = "udp"
    self      = true
  }

  ingress {
    from_port = var.etcd_port
    to_port   = var.etcd_port
    protocol  = "tcp"
    self      = true
  }
}

resource "aws_instance" "node" {
  count                  = 4
  private_ip             = "10.0.1.\${11 + count.index}"
  vpc_security_group_ids = [aws_security_group.k8s.id]
}
`;

describe('Terraform files over LSP', function () {
  this.timeout(30_000);
  let client: LspClient;
  afterEach(async () => client?.stop());

  it('publishes findings on the security group, hovers its rules and applies the quick-fix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-terraform-'));
    mkdirSync(join(dir, 'terraform'));
    writeFileSync(join(dir, 'inventory.ini'), KUBESPRAY);
    // The unknown rule first: nothing it could cover is reported.
    writeFileSync(join(dir, 'terraform', 'main.tf'), TERRAFORM);
    const uri = (name: string) => pathToFileURL(join(dir, name)).href;
    const tf = uri('terraform/main.tf');
    client = LspClient.start();
    await client.initialize(pathToFileURL(dir).href);

    // Hover on the rule whose port Terraform knows only when it runs: it says why it is neither open nor missing.
    await client.open(tf, TERRAFORM, 1, 'terraform');
    await client.waitFor(tf, (p) => p.version === 1);
    const unknownHover: any = await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: tf },
      position: spanOf(TERRAFORM, 'var.etcd_port').start,
    });
    assert.match(unknownHover.contents.value, /its port is not known \(var\.etcd_port is not declared in this module\)/);
    assert.match(unknownHover.contents.value, /neither counts as admitting a port nor makes one missing/);

    // Without the unknown rule the etcd ports are missing, on the group's resource line.
    const closed = TERRAFORM.replace(/\n  ingress \{\n    from_port = var[^}]*\}\n/, '');
    await client.change(tf, 2, [{ text: closed }]);
    const published = await client.waitFor(tf, (p) => p.version === 2);
    const header = spanOf(closed, 'resource "aws_security_group" "k8s" {');
    assert.deepEqual(
      published.diagnostics.map((d) => [d.code, d.range, d.message.slice(0, 45)]),
      [
        ['missing-port-rule', header, 'aws_security_group "k8s" admits no 2379/TCP ('],
        ['missing-port-rule', header, 'aws_security_group "k8s" admits no 2380/TCP ('],
      ],
    );
    assert.equal(published.diagnostics[0].relatedInformation?.[0].location.uri, uri('inventory.ini'));

    const hover: any = await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: tf },
      position: spanOf(closed, '10259').start,
    });
    assert.match(hover.contents.value, /admits 10250-10259\/TCP from members of aws_security_group "k8s"/);
    assert.match(hover.contents.value, /10257\/TCP — kube-controller-manager/);

    const actions: any[] = await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: tf },
      range: header,
      context: { diagnostics: published.diagnostics, only: ['quickfix'] },
    });
    const adds = actions.filter((a) => a.title.startsWith('Add'));
    assert.deepEqual(
      adds.map((a) => a.title),
      [
        'Add all 2 missing rules to aws_security_group "k8s"',
        'Add ingress rule 2379/TCP (etcd server client API) to aws_security_group "k8s"',
        'Add ingress rule 2380/TCP (etcd peer communication) to aws_security_group "k8s"',
      ],
    );
    await client.change(tf, 3, [{ text: applyEdits(closed, adds[0].edit.changes[tf]) }]);
    const after = await client.waitFor(tf, (p) => p.version === 3);
    assert.deepEqual(after.diagnostics, []);
  });
});
