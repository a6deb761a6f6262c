import * as assert from 'node:assert/strict';
import { expectRule, findingsOf, inventory, ofRule, spanOf } from '../../helpers';

describe('missing-interface', () => {
  it('reports a node without interfaces, empty or null interfaces on its hostname value', () => {
    const text = inventory(
      [
        '    - hostname: absent',
        '      roles: [worker]',
        '    - hostname: empty',
        '      roles: [worker]',
        '      interfaces: []',
        '    - hostname: nothing',
        '      roles: [worker]',
        '      interfaces:',
        '',
      ].join('\n'),
    );
    expectRule(findingsOf(text), 'missing-interface', [
      { range: spanOf(text, 'absent'), message: /Node "absent" has no network interfaces/ },
      { range: spanOf(text, 'empty') },
      { range: spanOf(text, 'nothing') },
    ]);
    assert.equal(ofRule(findingsOf(text), 'schema').length, 0, 'a null interfaces list is not also a schema error');
  });
});
