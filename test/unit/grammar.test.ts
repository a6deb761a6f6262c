import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The grammar's regexes use only features JavaScript shares with Oniguruma, so they can be checked here. */
const grammar = JSON.parse(readFileSync(resolve(__dirname, '../../../syntaxes/inventory.injection.tmLanguage.json'), 'utf8'));
const rule = (name: string) => grammar.repository[name].patterns.map((p: { match: string }) => new RegExp(p.match));

function scopeOf(text: string): string | undefined {
  for (const name of ['mac-address', 'ip-address', 'port-range']) {
    for (const re of rule(name)) {
      const m = re.exec(text);
      if (m && m[0] === text) return name;
    }
  }
  return undefined;
}

describe('TextMate injection grammar', () => {
  it('highlights MACs, IPs with prefixes and port ranges', () => {
    for (const mac of ['52:54:00:aa:bb:01', '52-54-00-AA-BB-01', '5254.00aa.bb01'])
      assert.equal(scopeOf(mac), 'mac-address', mac);
    for (const ip of ['192.168.1.11', '10.0.0.0/8', 'fd00::1', 'fd00:30::11/64', '2001:db8:0:0:0:0:0:1'])
      assert.equal(scopeOf(ip), 'ip-address', ip);
    for (const ports of ['30000-32767', '2379-2380']) assert.equal(scopeOf(ports), 'port-range', ports);
  });
  it('leaves versions, dates and plain numbers alone', () => {
    for (const text of ['1.30.2', '2026-11-24', '6443', 'v1beta4', '192.168.1.300']) assert.equal(scopeOf(text), undefined, text);
  });
});
