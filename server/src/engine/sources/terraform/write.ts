/**
 * Writing a missing allow into a security group, in the file's own style: an `ingress { ... }`
 * block inside the group when it writes its rules inline, an `aws_security_group_rule` resource
 * after it when it uses separate rules, a `rule { ... }` block in a Hetzner Cloud firewall. One insertion, nothing else of the file touched; the
 * indentation, the line ending and `terraform fmt`'s alignment of `=` follow the file.
 */
import type { TextEdit } from '../../core/edits';
import type { PortRange, Transport } from '../../knowledge/ports';
import { parseHcl, type HclBlock } from './hcl';

/** Where the new rule admits traffic from. */
export type NewRuleSource = { self: true } | { cidrs: string[] };

export interface NewRule {
  ports: PortRange;
  protocol: Transport;
  description: string;
  source: NewRuleSource;
}

/** AWS's protocol value and port fields for a requirement. */
function awsFields(rule: NewRule): Array<[string, string]> {
  const fields: Array<[string, string]> = [['description', JSON.stringify(rule.description)]];
  const protocol = rule.protocol;
  if (protocol === 'TCP' || protocol === 'UDP' || protocol === 'SCTP') {
    fields.push(['from_port', String(rule.ports.low)], ['to_port', String(rule.ports.high)]);
    fields.push(['protocol', JSON.stringify(protocol === 'SCTP' ? '132' : protocol.toLowerCase())]);
  } else if (protocol === 'ICMP') {
    fields.push(['from_port', '-1'], ['to_port', '-1'], ['protocol', '"icmp"']);
  } else {
    const number = { IPIP: 4, GRE: 47, ESP: 50 }[protocol];
    fields.push(['from_port', '0'], ['to_port', '0'], ['protocol', JSON.stringify(String(number))]);
  }
  if ('self' in rule.source) fields.push(['self', 'true']);
  else fields.push(['cidr_blocks', `[${rule.source.cidrs.map((c) => JSON.stringify(c)).join(', ')}]`]);
  return fields;
}

/** Hetzner Cloud's rule fields for a requirement (no group references: the source is CIDRs). */
function hcloudFields(rule: NewRule): Array<[string, string]> | undefined {
  if (!('cidrs' in rule.source)) return undefined;
  const fields: Array<[string, string]> = [
    ['description', JSON.stringify(rule.description)],
    ['direction', '"in"'],
    ['protocol', JSON.stringify(rule.protocol.toLowerCase())],
  ];
  if (rule.protocol === 'TCP' || rule.protocol === 'UDP')
    fields.push([
      'port',
      JSON.stringify(rule.ports.low === rule.ports.high ? String(rule.ports.low) : `${rule.ports.low}-${rule.ports.high}`),
    ]);
  else if (rule.protocol !== 'ICMP' && rule.protocol !== 'ESP' && rule.protocol !== 'GRE') return undefined;
  fields.push(['source_ips', `[${rule.source.cidrs.map((c) => JSON.stringify(c)).join(', ')}]`]);
  return fields;
}

function aligned(fields: Array<[string, string]>, indent: string, eol: string): string {
  const width = Math.max(...fields.map(([k]) => k.length));
  return fields.map(([k, v]) => `${indent}${k.padEnd(width)} = ${v}${eol}`).join('');
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function indentAt(text: string, offset: number): string {
  const start = lineStart(text, offset);
  return /^[ \t]*/.exec(text.slice(start, offset))![0];
}

/**
 * The edit that adds `rules` to the security group `resource "aws_security_group" "<name>"` whose
 * header is on `line`; undefined when the text no longer has it there or its shape leaves no
 * place for a minimal insertion (a one-line block).
 */
export function addSecurityGroupRules(
  text: string,
  positionAt: (offset: number) => { line: number; character: number },
  line: number,
  name: string,
  style: 'aws-inline' | 'aws-rules' | 'hcloud',
  rules: readonly NewRule[],
): TextEdit[] | undefined {
  const file = parseHcl(text);
  if (!file || rules.length === 0) return undefined;
  const type = style === 'hcloud' ? 'hcloud_firewall' : 'aws_security_group';
  const group = file.body.blocks.find(
    (b) => b.type === 'resource' && b.labels[0]?.value === type && b.labels[1]?.value === name && b.header.start.line === line,
  );
  if (!group || group.closeBrace === undefined) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const blockIndent = indentAt(text, group.start);
  if (style === 'aws-inline' || style === 'hcloud') {
    const blockType = style === 'hcloud' ? 'rule' : 'ingress';
    const fields = rules.map((rule) => (style === 'hcloud' ? hcloudFields(rule) : awsFields(rule)));
    if (fields.some((f) => !f)) return undefined;
    const close = group.closeBrace;
    // The closing brace must be alone on its line: the new block goes on the lines before it.
    if (text.slice(lineStart(text, close), close).trim() !== '') return undefined;
    const existing = group.body.blocks.find((b) => b.type === blockType || b.type === 'dynamic');
    const indent = existing ? indentAt(text, existing.start) : `${blockIndent}  `;
    const firstAttribute = existing?.body.attributes[0];
    const inner = firstAttribute
      ? /^[ \t]*/.exec(text.slice(offsetOfLine(text, firstAttribute.range.start.line)))![0]
      : `${indent}  `;
    const at = lineStart(text, close);
    const inserted = rules
      .map(
        (_, i) =>
          `${existing || i > 0 ? eol : ''}${indent}${blockType} {${eol}${aligned(fields[i]!, inner, eol)}${indent}}${eol}`,
      )
      .join('');
    // Before the closing brace; a blank line separates it from the block above, as `terraform fmt` keeps it.
    const position = positionAt(at);
    return [{ range: { start: position, end: position }, newText: inserted }];
  }
  const end = endOfBlock(text, group);
  const inner = `${blockIndent}  `;
  const taken = new Set(
    file.body.blocks.filter((b) => b.type === 'resource').map((b) => `${b.labels[0]?.value}.${b.labels[1]?.value}`),
  );
  const inserted = rules
    .map((rule) => {
      const base =
        `${name}_${rule.protocol.toLowerCase()}_${rule.ports.low}${rule.ports.high !== rule.ports.low ? `_${rule.ports.high}` : ''}`.replace(
          /[^A-Za-z0-9_-]/g,
          '_',
        );
      let resourceName = base;
      for (let i = 2; taken.has(`aws_security_group_rule.${resourceName}`); i++) resourceName = `${base}_${i}`;
      taken.add(`aws_security_group_rule.${resourceName}`);
      const fields: Array<[string, string]> = [
        ['type', '"ingress"'],
        ...awsFields(rule),
        ['security_group_id', `aws_security_group.${name}.id`],
      ];
      return `${eol}${blockIndent}resource "aws_security_group_rule" "${resourceName}" {${eol}${aligned(fields, inner, eol)}${blockIndent}}${eol}`;
    })
    .join('');
  const position = positionAt(end);
  return [{ range: { start: position, end: position }, newText: inserted }];
}

function offsetOfLine(text: string, line: number): number {
  let offset = 0;
  for (let i = 0; i < line; i++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return offset;
}

/** Just past the line the block's closing brace is on (the end of the file when it has no newline). */
function endOfBlock(text: string, block: HclBlock): number {
  const newline = text.indexOf('\n', block.closeBrace!);
  return newline < 0 ? text.length : newline + 1;
}
