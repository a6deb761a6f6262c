import * as assert from 'node:assert/strict';
import {
  addressIdentity,
  endpointIdentity,
  identitiesOf,
  nameIdentity,
  NodeIdentitySet,
} from '../../server/src/engine/model/nodeIdentities';

describe('node identities (how a kubeadm file finds the anchor listing its node)', () => {
  it('names are compared as the kubelet registers them, addresses in canonical form', () => {
    assert.equal(nameIdentity(' CP-1 '), nameIdentity('cp-1'));
    assert.equal(addressIdentity('fd00:0::1/64'), addressIdentity('fd00::1'));
    assert.equal(addressIdentity('10.0.0.1'), 'address:10.0.0.1');
    assert.equal(addressIdentity('cp-1'), undefined);
    assert.deepEqual(identitiesOf(['cp-1'], ['10.0.0.1/24', 'not-an-address'], true), [
      'name:cp-1',
      'cp-name:cp-1',
      'address:10.0.0.1',
      'cp-address:10.0.0.1',
    ]);
  });

  it("a join's API server endpoint names a control-plane node by address or name, with or without a port", () => {
    assert.equal(endpointIdentity('10.0.0.1:6443'), 'cp-address:10.0.0.1');
    assert.equal(endpointIdentity('https://10.0.0.1:6443/'), 'cp-address:10.0.0.1');
    assert.equal(endpointIdentity('[fd00::1]:6443'), addressIdentity('fd00::1', true));
    assert.equal(endpointIdentity('fd00::1'), addressIdentity('fd00:0::1', true));
    assert.equal(endpointIdentity('CP-1:6443'), 'cp-name:cp-1');
    assert.equal(endpointIdentity('api.lab.example.net'), 'cp-name:api.lab.example.net');
    assert.equal(endpointIdentity(':6443'), undefined);
    assert.equal(endpointIdentity('{{ api }}:6443'), undefined);
  });

  it('the fingerprint follows the set, whatever the order, and a shared address stays while one node keeps it', () => {
    const a = new NodeIdentitySet(['name:a', 'address:10.0.0.1', 'name:b']);
    const b = new NodeIdentitySet(['name:b', 'name:a', 'address:10.0.0.1', 'address:10.0.0.1']);
    assert.equal(a.fingerprint, b.fingerprint);
    b.remove('address:10.0.0.1');
    assert.ok(b.has('address:10.0.0.1'));
    assert.equal(a.fingerprint, b.fingerprint);
    b.remove('address:10.0.0.1');
    assert.ok(!b.has('address:10.0.0.1'));
    assert.notEqual(a.fingerprint, b.fingerprint);
    b.add('address:10.0.0.1');
    assert.equal(a.fingerprint, b.fingerprint);
    b.remove('name:never-there');
    assert.equal(a.fingerprint, b.fingerprint);
    assert.equal(new NodeIdentitySet().fingerprint, '');
  });
});
