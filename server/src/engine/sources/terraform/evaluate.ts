/**
 * A small evaluator for the Terraform expressions firewalls are written with: literals,
 * variables (defaults, `terraform.tfvars`, `*.auto.tfvars`, other `*.tfvars`), locals,
 * `count`/`for_each` over known collections, `dynamic` blocks' iterators, references to
 * resources (kept as references: they link instances to security groups) and a few functions.
 * Whatever it cannot know is `Unknown` with the reason, never a guess: a data source, a module
 * output, an attribute only the cloud knows, a function it does not implement.
 *
 * Work is bounded whatever the input: every evaluation step counts against a budget, lists are
 * capped, locals are evaluated once (a cycle is unknown), and expansion of `count`/`for_each`
 * stops at MAX_INSTANCES.
 */
import { parseCidr } from '../../knowledge/net/addresses';
import type { HclBlock, HclBody, HclExpr } from './hcl';

export class Unknown {
  constructor(readonly why: string) {}
}

/** A resource's attribute, which only the cloud knows (`aws_security_group.k8s.id`): kept for linking. */
export class ResourceRef {
  constructor(
    /** `aws_security_group.k8s` */
    readonly address: string,
    readonly attr: string | undefined,
  ) {}
}

export type HclValue = string | number | boolean | null | Unknown | ResourceRef | HclValue[] | HclObject;
export interface HclObject {
  [key: string]: HclValue;
}

export function isObject(v: HclValue): v is HclObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Unknown) && !(v instanceof ResourceRef);
}

/** `count` or `for_each` beyond this many instances is not expanded. */
export const MAX_INSTANCES = 1000;
/** Lists longer than this are unknown. */
const MAX_LIST = 10_000;
/** Evaluation steps per module analysis. */
const BUDGET = 2_000_000;

/** One `.tf` or `.tfvars` file of a module, parsed. */
export interface ModuleFile {
  uri: string;
  body: HclBody;
  /** `terraform.tfvars`, `*.auto.tfvars` (always loaded) or another `*.tfvars` (passed with -var-file). */
  vars?: 'auto' | 'file';
}

/** What names mean where an expression is evaluated: count.index, each.key/value, a dynamic block's iterator. */
export interface Scope {
  count?: HclValue;
  each?: { key: HclValue; value: HclValue };
  iterators?: ReadonlyMap<string, { key: HclValue; value: HclValue }>;
}

export const ROOT_SCOPE: Scope = {};

/** The files of one directory: Terraform reads them as one module. */
export class TerraformModule {
  private readonly variableDefaults = new Map<string, HclExpr | null>();
  private readonly variableValues = new Map<string, HclExpr[]>();
  private readonly autoValues = new Map<string, HclExpr>();
  private readonly localExprs = new Map<string, HclExpr>();
  private readonly localValues = new Map<string, HclValue>();
  private readonly evaluating = new Set<string>();
  private steps = 0;
  readonly resources: Array<{ uri: string; type: string; name: string; block: HclBlock }> = [];

  constructor(readonly files: readonly ModuleFile[]) {
    for (const file of files) {
      if (file.vars) {
        for (const a of file.body.attributes) {
          if (file.vars === 'auto') this.autoValues.set(a.name, a.value);
          else {
            const list = this.variableValues.get(a.name);
            if (list) list.push(a.value);
            else this.variableValues.set(a.name, [a.value]);
          }
        }
        continue;
      }
      for (const block of file.body.blocks) {
        if (block.type === 'variable' && block.labels.length === 1) {
          this.variableDefaults.set(
            block.labels[0].value,
            block.body.attributes.find((a) => a.name === 'default')?.value ?? null,
          );
        } else if (block.type === 'locals') {
          for (const a of block.body.attributes) this.localExprs.set(a.name, a.value);
        } else if (block.type === 'resource' && block.labels.length === 2) {
          this.resources.push({ uri: file.uri, type: block.labels[0].value, name: block.labels[1].value, block });
        }
      }
    }
  }

  variable(name: string): HclValue {
    // -var-file files: used when they agree, unknown when they do not (which one is passed is not in the files).
    const passed = this.variableValues.get(name);
    if (passed) {
      const values = passed.map((e) => this.evaluate(e, ROOT_SCOPE));
      const first = JSON.stringify(values[0]);
      return values.every((v) => JSON.stringify(v) === first)
        ? values[0]
        : new Unknown(`var.${name} is set differently in several .tfvars files`);
    }
    const auto = this.autoValues.get(name);
    if (auto) return this.evaluate(auto, ROOT_SCOPE);
    if (!this.variableDefaults.has(name)) return new Unknown(`var.${name} is not declared in this module`);
    const def = this.variableDefaults.get(name);
    if (!def) return new Unknown(`var.${name} has no default and no .tfvars value`);
    return this.evaluate(def, ROOT_SCOPE);
  }

  local(name: string): HclValue {
    const known = this.localValues.get(name);
    if (known !== undefined) return known;
    const expr = this.localExprs.get(name);
    if (!expr) return new Unknown(`local.${name} is not defined in this module`);
    if (this.evaluating.has(name)) return new Unknown(`local.${name} refers to itself`);
    this.evaluating.add(name);
    const value = this.evaluate(expr, ROOT_SCOPE);
    this.evaluating.delete(name);
    this.localValues.set(name, value);
    return value;
  }

  evaluate(expr: HclExpr, scope: Scope): HclValue {
    if (++this.steps > BUDGET) return new Unknown('the module is too large to evaluate');
    switch (expr.t) {
      case 'literal':
        return expr.value;
      case 'tuple':
        return capped(expr.items.map((i) => this.evaluate(i, scope)));
      case 'object': {
        const out: HclObject = {};
        for (const { key, value } of expr.items) {
          const k = this.evaluate(key, scope);
          if (typeof k !== 'string' && typeof k !== 'number') return new Unknown('an object key that is not known');
          out[String(k)] = this.evaluate(value, scope);
        }
        return out;
      }
      case 'reference':
        return this.reference(expr, scope);
      case 'call':
        return this.call(expr, scope);
      case 'template': {
        let s = '';
        for (const part of expr.parts) {
          if (typeof part === 'string') s += part;
          else {
            const v = this.evaluate(part, scope);
            if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') s += String(v);
            else return v instanceof Unknown ? v : new Unknown('a template that interpolates a value only the cloud knows');
          }
        }
        return s;
      }
      case 'conditional': {
        const c = this.evaluate(expr.condition, scope);
        if (c === true) return this.evaluate(expr.then, scope);
        if (c === false) return this.evaluate(expr.otherwise, scope);
        return new Unknown('a condition that is not known');
      }
      case 'operation':
        return operate(
          expr.operator,
          expr.operands.map((o) => this.evaluate(o, scope)),
        );
      case 'unsupported':
        return new Unknown(`${expr.what} is not evaluated`);
    }
  }

  private reference(expr: Extract<HclExpr, { t: 'reference' }>, scope: Scope): HclValue {
    const steps = expr.steps;
    const attr = (i: number) => {
      const s = steps[i];
      return s && 'attr' in s ? s.attr : undefined;
    };
    let value: HclValue;
    const rest = 1;
    switch (expr.root) {
      case 'var':
        value = attr(0) ? this.variable(attr(0)!) : new Unknown('`var` alone');
        break;
      case 'local':
        value = attr(0) ? this.local(attr(0)!) : new Unknown('`local` alone');
        break;
      case 'count':
        value =
          attr(0) === 'index' && scope.count !== undefined ? scope.count : new Unknown('count.index outside a counted resource');
        break;
      case 'each':
        value =
          scope.each && (attr(0) === 'key' || attr(0) === 'value')
            ? scope.each[attr(0) as 'key' | 'value']
            : new Unknown('each outside a for_each');
        break;
      case 'data':
        return new Unknown('a data source is read only when Terraform runs');
      case 'module':
        return new Unknown("a module's output is known only when Terraform runs");
      case 'path':
      case 'terraform':
      case 'self':
        return new Unknown(`${expr.root}.* is known only when Terraform runs`);
      default: {
        const iterator = scope.iterators?.get(expr.root);
        if (iterator && (attr(0) === 'key' || attr(0) === 'value')) {
          value = iterator[attr(0) as 'key' | 'value'];
          break;
        }
        // A resource: `type.name`, `type.name[0]`, `type.name["k"]`, then its attribute.
        const name = attr(0);
        if (!name) return new Unknown(`${expr.root} is not a reference this evaluator reads`);
        let i = 1;
        if (steps[i] && 'index' in steps[i]) i++;
        return new ResourceRef(`${expr.root}.${name}`, attr(i));
      }
    }
    for (let i = rest; i < steps.length; i++) {
      const step = steps[i];
      if (value instanceof Unknown) return value;
      if ('splat' in step) return new Unknown('a splat is not evaluated');
      if ('attr' in step)
        value = isObject(value)
          ? (value[step.attr] ?? new Unknown(`no key ${step.attr}`))
          : new Unknown('an attribute of a value that has none');
      else {
        const key = this.evaluate(step.index, scope);
        if (Array.isArray(value) && typeof key === 'number') value = value[key] ?? new Unknown(`no element ${key}`);
        else if (isObject(value) && (typeof key === 'string' || typeof key === 'number'))
          value = value[String(key)] ?? new Unknown(`no key ${key}`);
        else value = new Unknown('an index that is not known');
      }
    }
    return value;
  }

  private call(expr: Extract<HclExpr, { t: 'call' }>, scope: Scope): HclValue {
    const args = expr.args.map((a) => this.evaluate(a, scope));
    if (expr.expandLast) {
      const last = args.pop();
      if (!Array.isArray(last)) return new Unknown('an expanded argument that is not a known list');
      args.push(...last);
    }
    const unknown = args.find((a): a is Unknown => a instanceof Unknown);
    if (unknown && !['lookup', 'merge', 'concat', 'flatten', 'toset', 'tolist', 'distinct'].includes(expr.name)) return unknown;
    return callFunction(expr.name, args);
  }

  /** A block's instances: one scope per `count` index or `for_each` element; unknown collections give one scope marked unknown. */
  instances(body: HclBody): { scopes: Scope[]; unknown?: string } {
    const count = body.attributes.find((a) => a.name === 'count');
    const forEach = body.attributes.find((a) => a.name === 'for_each');
    if (count) {
      const n = this.evaluate(count.value, ROOT_SCOPE);
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_INSTANCES)
        return {
          scopes: [{ count: new Unknown('count is not known') }],
          unknown: n instanceof Unknown ? n.why : 'count is not known',
        };
      return { scopes: Array.from({ length: n }, (_, i) => ({ count: i })) };
    }
    if (forEach) {
      const pairs = this.collectionPairs(forEach.value, ROOT_SCOPE);
      if (pairs instanceof Unknown) return { scopes: [{ each: { key: pairs, value: pairs } }], unknown: pairs.why };
      return { scopes: pairs.map((each) => ({ each })) };
    }
    return { scopes: [ROOT_SCOPE] };
  }

  /** The elements `for_each` iterates: a set or list of strings (key = value), or a map. */
  collectionPairs(expr: HclExpr, scope: Scope): Array<{ key: HclValue; value: HclValue }> | Unknown {
    const value = this.evaluate(expr, scope);
    if (value instanceof Unknown) return value;
    if (Array.isArray(value)) {
      if (value.length > MAX_INSTANCES) return new Unknown(`more than ${MAX_INSTANCES} elements`);
      return value.map((v, i) => ({ key: typeof v === 'string' ? v : i, value: v }));
    }
    if (isObject(value)) {
      const keys = Object.keys(value);
      if (keys.length > MAX_INSTANCES) return new Unknown(`more than ${MAX_INSTANCES} elements`);
      return keys.map((key) => ({ key, value: value[key] }));
    }
    return new Unknown('for_each over a value that is not a collection');
  }
}

/** Arithmetic, comparison and logic on known numbers, strings and booleans. */
function operate(operator: string, operands: HclValue[]): HclValue {
  const unknown = operands.find((o): o is Unknown => o instanceof Unknown);
  if (unknown) return unknown;
  if (operands.length === 1) {
    const [a] = operands;
    if (operator === '!' && typeof a === 'boolean') return !a;
    if (operator === '-' && typeof a === 'number') return -a;
    return new Unknown(`the operator ${operator} on this value is not evaluated`);
  }
  const [a, b] = operands;
  if (operator === '==') return JSON.stringify(a) === JSON.stringify(b);
  if (operator === '!=') return JSON.stringify(a) !== JSON.stringify(b);
  if (typeof a === 'boolean' && typeof b === 'boolean') {
    if (operator === '&&') return a && b;
    if (operator === '||') return a || b;
  }
  const x = typeof a === 'string' && /^-?\d+(\.\d+)?$/.test(a) ? Number(a) : a;
  const y = typeof b === 'string' && /^-?\d+(\.\d+)?$/.test(b) ? Number(b) : b;
  if (typeof x === 'number' && typeof y === 'number') {
    switch (operator) {
      case '+':
        return x + y;
      case '-':
        return x - y;
      case '*':
        return x * y;
      case '/':
        return y === 0 ? new Unknown('a division by zero') : x / y;
      case '%':
        return y === 0 ? new Unknown('a division by zero') : x % y;
      case '<':
        return x < y;
      case '>':
        return x > y;
      case '<=':
        return x <= y;
      case '>=':
        return x >= y;
    }
  }
  return new Unknown(`the operator ${operator} on these values is not evaluated`);
}

function capped(list: HclValue[]): HclValue {
  return list.length > MAX_LIST ? new Unknown(`a list of more than ${MAX_LIST} elements`) : list;
}

function callFunction(name: string, args: HclValue[]): HclValue {
  switch (name) {
    case 'concat': {
      if (args.some((a) => !Array.isArray(a))) return new Unknown('concat of values that are not known lists');
      return capped((args as HclValue[][]).flat());
    }
    case 'flatten': {
      const out: HclValue[] = [];
      const walk = (v: HclValue, depth: number): boolean => {
        if (depth > 32 || out.length > MAX_LIST) return false;
        if (v instanceof Unknown) return false;
        if (Array.isArray(v)) return v.every((x) => walk(x, depth + 1));
        out.push(v);
        return true;
      };
      return args.length === 1 && walk(args[0], 0) ? out : new Unknown('flatten of a list with unknown elements');
    }
    case 'toset':
    case 'distinct': {
      const list = args[0];
      if (!Array.isArray(list) || list.some((v) => v instanceof Unknown))
        return new Unknown(`${name} of a list that is not known`);
      const seen = new Set<string>();
      return list.filter((v) => {
        const key = JSON.stringify(v);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    }
    case 'tolist':
      return Array.isArray(args[0]) ? args[0] : new Unknown('tolist of a value that is not a list');
    case 'lookup': {
      const [map, key, fallback] = args;
      if (!isObject(map) || typeof key !== 'string') return new Unknown('lookup in a map that is not known');
      return key in map ? map[key] : (fallback ?? new Unknown(`no key ${key}`));
    }
    case 'merge': {
      const out: HclObject = {};
      for (const a of args) {
        if (a === null) continue;
        if (!isObject(a)) return new Unknown('merge of values that are not known maps');
        Object.assign(out, a);
      }
      return out;
    }
    case 'element': {
      const [list, index] = args;
      if (!Array.isArray(list) || typeof index !== 'number' || list.length === 0)
        return new Unknown('element of a list that is not known');
      return list[Math.floor(index) % list.length];
    }
    case 'length':
      if (Array.isArray(args[0])) return args[0].length;
      if (isObject(args[0])) return Object.keys(args[0]).length;
      if (typeof args[0] === 'string') return [...args[0]].length;
      return new Unknown('length of a value that is not known');
    case 'tostring':
      return typeof args[0] === 'string' || typeof args[0] === 'number' || typeof args[0] === 'boolean'
        ? String(args[0])
        : new Unknown('tostring of a value that is not known');
    case 'tonumber': {
      const n = typeof args[0] === 'number' ? args[0] : typeof args[0] === 'string' ? Number(args[0]) : NaN;
      return Number.isFinite(n) ? n : new Unknown('tonumber of a value that is not a number');
    }
    case 'floor':
    case 'ceil':
      return typeof args[0] === 'number' ? Math[name](args[0]) : new Unknown(`${name} of a value that is not a number`);
    case 'min':
    case 'max':
      return args.length && args.every((a): a is number => typeof a === 'number')
        ? Math[name](...args)
        : new Unknown(`${name} of values that are not numbers`);
    case 'format':
      return format(args);
    case 'cidrsubnet':
      return cidrsubnet(args[0], args[1], args[2]);
    case 'cidrhost':
      return cidrhost(args[0], args[1]);
    default:
      return new Unknown(`the function ${name}() is not evaluated`);
  }
}

function format(args: HclValue[]): HclValue {
  const [spec, ...rest] = args;
  if (typeof spec !== 'string') return new Unknown('format with a pattern that is not known');
  let i = 0;
  let failed = false;
  const out = spec.replace(/%(%|-?\d*(?:\.\d+)?[sdvq])/g, (_, verb: string) => {
    if (verb === '%') return '%';
    const v = rest[i++];
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      failed = true;
      return '';
    }
    const kind = verb[verb.length - 1];
    const width = /^-?\d+/.exec(verb)?.[0];
    let text = kind === 'd' ? String(Math.trunc(Number(v))) : kind === 'q' ? JSON.stringify(String(v)) : String(v);
    if (width) {
      const w = Math.abs(Number(width));
      const zero = width.startsWith('0');
      text = width.startsWith('-') ? text.padEnd(w) : text.padStart(w, zero ? '0' : ' ');
    }
    return text;
  });
  return failed ? new Unknown('format of a value that is not known') : out;
}

/** A CIDR's network as a big integer with its bit length. */
function network(prefix: HclValue): { value: bigint; bits: number; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  if (typeof prefix !== 'string') return undefined;
  const parsed = parseCidr(prefix);
  if (!parsed) return undefined;
  let value = 0n;
  for (const b of parsed.bytes) value = (value << 8n) | BigInt(b);
  const bits = parsed.bytes.length * 8;
  const mask = ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - parsed.prefix)) - 1n);
  return { value: value & mask, bits, prefix: parsed.prefix, family: parsed.family };
}

function formatAddress(value: bigint, family: 'ipv4' | 'ipv6'): string {
  if (family === 'ipv4') return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((value >> s) & 0xffffn).toString(16));
  // The canonical compressed form (the longest run of zero groups becomes ::).
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

function cidrsubnet(prefix: HclValue, newbits: HclValue, netnum: HclValue): HclValue {
  const net = network(prefix);
  if (!net || typeof newbits !== 'number' || typeof netnum !== 'number')
    return new Unknown('cidrsubnet of values that are not known');
  const length = net.prefix + newbits;
  if (!Number.isInteger(newbits) || newbits < 0 || length > net.bits || netnum < 0 || netnum >= 2 ** newbits)
    return new Unknown('cidrsubnet out of range');
  const value = net.value | (BigInt(netnum) << BigInt(net.bits - length));
  return `${formatAddress(value, net.family)}/${length}`;
}

function cidrhost(prefix: HclValue, hostnum: HclValue): HclValue {
  const net = network(prefix);
  if (!net || typeof hostnum !== 'number' || !Number.isInteger(hostnum))
    return new Unknown('cidrhost of values that are not known');
  const size = 1n << BigInt(net.bits - net.prefix);
  const n = hostnum < 0 ? size + BigInt(hostnum) : BigInt(hostnum);
  if (n < 0n || n >= size) return new Unknown('cidrhost out of range');
  return formatAddress(net.value | n, net.family);
}
