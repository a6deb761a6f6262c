import { controlPlane, expectRule, findingsOf, inventory, spanOf, worker } from '../../helpers';

describe('duplicate-ip', () => {
  it('ignores the prefix and compares IPv6 canonically', () => {
    const text = inventory(
      controlPlane('cp-1', 11).replace('192.168.1.11/24', 'fd00::11/64') +
        worker('w-1', 1).replace('192.168.1.101/24', 'fd00:0:0::11/120') +
        worker('w-2', 2),
    );
    expectRule(findingsOf(text), 'duplicate-ip', [
      { range: spanOf(text, 'fd00::11/64'), message: /Address fd00:0:0:0:0:0:0:11 is on 2 nodes/ },
      { range: spanOf(text, 'fd00:0:0::11/120') },
    ]);
  });

  it("reads each of a dual-stack interface's addresses, each on its own value", () => {
    const text = inventory(
      controlPlane('cp-1', 11).replace(
        '          address: 192.168.1.11/24',
        '          addresses: [192.168.1.11/24, fd00::11/64]',
      ) +
        worker('w-1', 1).replace(
          '          address: 192.168.1.101/24',
          '          addresses:\n            - 192.168.1.101/24\n            - fd00::11/64',
        ),
    );
    expectRule(findingsOf(text), 'duplicate-ip', [
      { range: spanOf(text, 'fd00::11/64'), message: /Address fd00:0:0:0:0:0:0:11 is on 2 nodes \("cp-1", "w-1"\)/ },
      { range: spanOf(text, 'fd00::11/64', 1) },
    ]);
  });
});
