import * as YAML from 'yaml';

/**
 * Reads CloudFormation templates (JSON, or YAML with the `!Ref`-style short forms) for the
 * checks, and resolves the intrinsic functions that can be resolved from the templates alone:
 * parameters to their defaults, `Fn::Sub`/`Join`/`Select`/`FindInMap` over known values, and
 * `Fn::ImportValue` to the exporting template's output. A `Ref` or `Fn::GetAtt` to a resource
 * becomes a {@link ResourceRef}; everything else (pseudo parameters, conditions, values known
 * only at deployment) becomes `undefined`, which every rule skips.
 */

/** A resource of a template as written. */
export interface RawResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  /** The construct path a CDK app recorded (`Metadata.aws:cdk:path`), if any. */
  readonly cdkPath?: string;
  /** The name of the condition the resource is created under (`Condition`), if any. */
  readonly condition?: string;
  /**
   * For a nested stack (`AWS::CloudFormation::Stack`): the file of its template, from the CDK
   * asset path (`Metadata.aws:asset:path`) or a literal `TemplateURL`.
   */
  readonly nestedTemplate?: string;
  /** The resource's `DependsOn`. */
  readonly dependsOn?: readonly string[];
}

/** One template read from a file (or built from a CDK stack). */
export interface TemplateSource {
  /** How findings name the template (its file name or stack name). */
  readonly name: string;
  /** The text, when read from a file (for line numbers). */
  readonly text?: string;
  readonly resources: Record<string, RawResource>;
  readonly parameters: Record<string, Record<string, unknown>>;
  readonly mappings: Record<string, Record<string, Record<string, unknown>>>;
  /** Other file names the template is known by (the object key a cloud assembly publishes it under). */
  readonly aliases?: readonly string[];
  /** The template's `Conditions` section (absent when built from a CDK stack). */
  readonly conditions?: Record<string, unknown>;
  /** Export name (resolved) → the output's raw value. */
  readonly outputs: Record<string, { readonly exportName?: unknown; readonly value: unknown }>;
}

/** A `Ref` or `Fn::GetAtt` to a resource of one of the templates. */
export class ResourceRef {
  constructor(public readonly template: string, public readonly logicalId: string, public readonly attribute?: string) {}

  /** The key that identifies the resource across templates. */
  public get key(): string {
    return `${this.template}#${this.logicalId}`;
  }

  /** How a finding shows it. */
  public toString(): string {
    return this.attribute ? `!GetAtt ${this.logicalId}.${this.attribute}` : `!Ref ${this.logicalId}`;
  }
}

/** Why a template could not be read. */
export class TemplateError extends Error {}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const SHORT_FORMS: Record<string, string> = {
  Ref: 'Ref',
  Condition: 'Condition',
  GetAtt: 'Fn::GetAtt',
  Sub: 'Fn::Sub',
  Join: 'Fn::Join',
  Select: 'Fn::Select',
  Split: 'Fn::Split',
  If: 'Fn::If',
  Equals: 'Fn::Equals',
  And: 'Fn::And',
  Or: 'Fn::Or',
  Not: 'Fn::Not',
  FindInMap: 'Fn::FindInMap',
  ImportValue: 'Fn::ImportValue',
  Base64: 'Fn::Base64',
  GetAZs: 'Fn::GetAZs',
  Cidr: 'Fn::Cidr',
  Length: 'Fn::Length',
  ToJsonString: 'Fn::ToJsonString',
};

let tags: Array<YAML.ScalarTag | YAML.CollectionTag> | undefined;

/** The YAML tags of CloudFormation's short-form intrinsics (`!Ref`, `!Sub`, …), as long-form objects; shared with the migration converters. */
export function cfnTags(): Array<YAML.ScalarTag | YAML.CollectionTag> {
  if (tags) return tags;
  tags = [];
  for (const [short, fn] of Object.entries(SHORT_FORMS)) {
    const tag = `!${short}`;
    tags.push({
      tag,
      resolve: (value: string) => {
        if (fn === 'Fn::GetAtt') {
          const dot = value.indexOf('.');
          return { [fn]: dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
        }
        return { [fn]: value };
      },
    } as YAML.ScalarTag);
    for (const collection of ['seq', 'map'] as const) {
      tags.push({ tag, collection, resolve: (node: YAML.YAMLSeq | YAML.YAMLMap) => ({ [fn]: node.toJSON() }) } as unknown as YAML.CollectionTag);
    }
  }
  return tags;
}

/** Parse a template's text; throws {@link TemplateError} for anything that is not a template. */
export function parseTemplateText(text: string, name: string): TemplateSource {
  const trimmed = text.trimStart();
  if (trimmed.length === 0) throw new TemplateError(`${name} is empty: expected a CloudFormation template in JSON or YAML.`);
  let doc: unknown;
  try {
    // a byte order mark (editors on Windows write one) is no part of the JSON
    doc = trimmed.startsWith('{') ? JSON.parse(text.replace(/^\uFEFF/, ''))
      // logLevel 'error': an unknown tag (e.g. `!Ref:`) is kept as a plain value, without a warning on stderr
      : YAML.parse(text, { customTags: cfnTags() as YAML.Tags, uniqueKeys: false, maxAliasCount: 1000, logLevel: 'error' });
  } catch (e) {
    throw new TemplateError(`${name} is not valid JSON or YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  // the output of `aws cloudformation get-template`: the template is its TemplateBody (an object, or YAML text)
  if (isObject(doc) && !isObject(doc.Resources) && doc.TemplateBody !== undefined) {
    if (typeof doc.TemplateBody === 'string') return parseTemplateText(doc.TemplateBody, name);
    if (isObject(doc.TemplateBody) && isObject(doc.TemplateBody.Resources)) return templateSource(name, doc.TemplateBody);
  }
  if (!isObject(doc) || !isObject(doc.Resources)) {
    // the input of `aws ecs create-service` / `update-service` (or its Service Connect part) is a common mix-up
    const api = isObject(doc) && ('serviceConnectConfiguration' in doc || 'containerDefinitions' in doc || 'taskDefinition' in doc ||
      ('enabled' in doc && ('services' in doc || 'namespace' in doc)));
    throw new TemplateError(`${name} is not a CloudFormation template: it has no "Resources" section.` + (api
      ? ' It looks like an ECS API request (the JSON of `aws ecs create-service` / `update-service` / `register-task-definition`); lint reads the templates that declare AWS::ECS::Service resources.'
      : ''));
  }
  return templateSource(name, doc, text);
}

/** A template object (already parsed) as a source. */
export function templateSource(name: string, doc: Record<string, unknown>, text?: string): TemplateSource {
  const resources: Record<string, RawResource> = {};
  for (const [id, r] of Object.entries(isObject(doc.Resources) ? doc.Resources : {})) {
    if (isObject(r) && typeof r.Type === 'string') {
      const cdkPath = isObject(r.Metadata) && typeof r.Metadata['aws:cdk:path'] === 'string' ? r.Metadata['aws:cdk:path'] : undefined;
      const condition = typeof r.Condition === 'string' ? r.Condition : undefined;
      const asset = isObject(r.Metadata) && typeof r.Metadata['aws:asset:path'] === 'string' ? r.Metadata['aws:asset:path'] : undefined;
      const url = isObject(r.Properties) ? templateFile(r.Properties.TemplateURL) : undefined;
      const nestedTemplate = r.Type === 'AWS::CloudFormation::Stack' ? asset ?? url : undefined;
      const dependsOn = (Array.isArray(r.DependsOn) ? r.DependsOn : [r.DependsOn]).filter((d): d is string => typeof d === 'string');
      resources[id] = { Type: r.Type, Properties: isObject(r.Properties) ? r.Properties : undefined, cdkPath, condition, nestedTemplate, dependsOn };
    }
  }
  const outputs: Record<string, { exportName?: unknown; value: unknown }> = {};
  for (const [id, o] of Object.entries(isObject(doc.Outputs) ? doc.Outputs : {})) {
    if (isObject(o)) outputs[id] = { exportName: isObject(o.Export) ? o.Export.Name : undefined, value: o.Value };
  }
  return {
    name,
    text,
    resources,
    parameters: (isObject(doc.Parameters) ? doc.Parameters : {}) as TemplateSource['parameters'],
    mappings: (isObject(doc.Mappings) ? doc.Mappings : {}) as TemplateSource['mappings'],
    conditions: isObject(doc.Conditions) ? doc.Conditions : {},
    outputs,
  };
}

/**
 * The file a nested stack's `TemplateURL` names: a literal URL, or the literal tail of an
 * `Fn::Join` / `Fn::Sub` (how a cloud assembly writes `https://s3.${Region}.${URLSuffix}/<bucket>/<hash>.json`).
 */
function templateFile(url: unknown): string | undefined {
  let text: unknown = url;
  if (isObject(url) && Array.isArray(url['Fn::Join']) && Array.isArray(url['Fn::Join'][1])) {
    const parts = url['Fn::Join'][1] as unknown[];
    text = parts[parts.length - 1];
  } else if (isObject(url) && 'Fn::Sub' in url) {
    text = Array.isArray(url['Fn::Sub']) ? url['Fn::Sub'][0] : url['Fn::Sub'];
  }
  if (typeof text !== 'string') return undefined;
  const file = text.split(/[?#]/)[0].split('/').pop() ?? '';
  return /\.(json|ya?ml|template)$/i.test(file) && !file.includes('${') ? file : undefined;
}

const NO_VALUE = Symbol('AWS::NoValue');

/**
 * Resolves values of a set of templates. Exports are matched across every template of the set,
 * so a `Fn::ImportValue` of another template's output becomes that output's value.
 */
export class TemplateSet {
  private exports?: Map<string, Array<{ source: TemplateSource; value: unknown }>>;
  private parents?: Map<string, { source: TemplateSource; logicalId: string }>;
  private readonly dependencies = new Map<string, Set<string>>();
  private readonly depth: string[] = [];

  constructor(public readonly templates: readonly TemplateSource[]) {}

  /** Resolve every intrinsic of `value` in the context of `source`. */
  public resolve(source: TemplateSource, value: unknown): unknown {
    const v = this.value(source, value);
    return v === NO_VALUE ? undefined : v;
  }

  /**
   * Whether a resource is created: `false` when its `Condition` is known to be false, `true`
   * otherwise (no condition, or one that cannot be decided from the templates).
   */
  public exists(source: TemplateSource, logicalId: string): boolean {
    const condition = source.resources[logicalId]?.condition;
    return condition === undefined || this.condition(source, condition) !== false;
  }

  /** A named condition of the template: `true`, `false`, or `undefined` when it cannot be decided. */
  public condition(source: TemplateSource, name: string): boolean | undefined {
    const body = source.conditions?.[name];
    if (body === undefined || this.depth.length > 50) return undefined;
    this.depth.push(`Condition:${name}`);
    try {
      return this.truth(source, body);
    } finally {
      this.depth.pop();
    }
  }

  /** A condition expression: `true`, `false`, or `undefined` when it cannot be decided. */
  private truth(source: TemplateSource, expr: unknown): boolean | undefined {
    if (typeof expr === 'boolean') return expr;
    if (expr === 'true' || expr === 'false') return expr === 'true';
    if (!isObject(expr)) return undefined;
    const keys = Object.keys(expr);
    if (keys.length !== 1) return undefined;
    const arg = expr[keys[0]];
    const args = Array.isArray(arg) ? arg : [];
    switch (keys[0]) {
      case 'Condition': return typeof arg === 'string' ? this.condition(source, arg) : undefined;
      case 'Fn::Not': return args.length === 1 ? negate(this.truth(source, args[0])) : undefined;
      case 'Fn::And': {
        const values = args.map((a) => this.truth(source, a));
        return values.includes(false) ? false : values.length > 0 && values.every((v) => v === true) ? true : undefined;
      }
      case 'Fn::Or': {
        const values = args.map((a) => this.truth(source, a));
        return values.includes(true) ? true : values.length > 0 && values.every((v) => v === false) ? false : undefined;
      }
      case 'Fn::Equals': {
        if (args.length !== 2) return undefined;
        const [a, b] = args.map((x) => this.resolve(source, x));
        const scalar = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
        return scalar(a) && scalar(b) ? String(a) === String(b) : undefined;
      }
      default: return undefined;
    }
  }

  private value(source: TemplateSource, value: unknown): unknown {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) {
      const list: unknown[] = [];
      for (const item of value) {
        const v = this.value(source, item);
        if (v !== NO_VALUE) list.push(v);
      }
      return list;
    }
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::') || keys[0] === 'Condition')) {
      if (this.depth.length > 50) return undefined;
      this.depth.push(keys[0]);
      try {
        return this.fn(source, keys[0], (value as Record<string, unknown>)[keys[0]]);
      } catch {
        return undefined;
      } finally {
        this.depth.pop();
      }
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const v = this.value(source, (value as Record<string, unknown>)[k]);
      if (v !== NO_VALUE) out[k] = v;
    }
    return out;
  }

  private fn(source: TemplateSource, name: string, arg: unknown): unknown {
    switch (name) {
      case 'Ref': {
        const id = String(arg);
        if (id === 'AWS::NoValue') return NO_VALUE;
        if (source.resources[id]) return new ResourceRef(source.name, id);
        const param = source.parameters[id];
        // a nested stack's parameter: the value its parent passes, in the parent's terms
        const parent = id.startsWith('AWS::') ? undefined : this.parentsByName().get(source.name);
        const passed = parent ? parent.source.resources[parent.logicalId].Properties?.Parameters : undefined;
        if (isObject(passed) && passed[id] !== undefined) return this.value(parent!.source, passed[id]);
        if (param && param.Default !== undefined) return param.Default;
        return undefined;
      }
      case 'Fn::GetAtt': {
        const [id, attr] = Array.isArray(arg) ? arg.map(String) : String(arg).split(/\.(.*)/);
        // a nested stack's output (`!GetAtt Child.Outputs.Name`): the output's value in the child's terms
        const child = attr?.startsWith('Outputs.') ? this.childOf(source, id) : undefined;
        const output = child?.outputs[attr!.slice('Outputs.'.length)];
        if (child && output) return this.value(child, output.value);
        return source.resources[id] ? new ResourceRef(source.name, id, attr) : undefined;
      }
      case 'Fn::Sub': return this.sub(source, arg);
      case 'Fn::If': {
        if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== 'string') return undefined;
        const holds = this.condition(source, arg[0]);
        if (holds !== undefined) return this.value(source, arg[holds ? 1 : 2]);
        const [whenTrue, whenFalse] = [this.value(source, arg[1]), this.value(source, arg[2])];
        if (whenTrue === NO_VALUE) return whenFalse;
        if (whenFalse === NO_VALUE) return whenTrue;
        return sameValue(whenTrue, whenFalse) ? whenTrue : undefined;
      }
      case 'Fn::Split': {
        if (!Array.isArray(arg) || arg.length !== 2 || typeof arg[0] !== 'string') return undefined;
        const text = this.value(source, arg[1]);
        return typeof text === 'string' ? text.split(arg[0]) : undefined;
      }
      case 'Fn::Join': {
        if (!Array.isArray(arg) || arg.length !== 2) return undefined;
        const parts = this.value(source, arg[1]);
        if (!Array.isArray(parts) || !parts.every((p) => typeof p === 'string' || typeof p === 'number')) return undefined;
        return parts.join(String(arg[0]));
      }
      case 'Fn::Select': {
        if (!Array.isArray(arg) || arg.length !== 2) return undefined;
        const list = this.value(source, arg[1]);
        const i = Number(this.value(source, arg[0]));
        return Array.isArray(list) && Number.isInteger(i) ? list[i] : undefined;
      }
      case 'Fn::FindInMap': {
        if (!Array.isArray(arg) || arg.length < 3) return undefined;
        const [m, k1, k2] = arg.slice(0, 3).map((a) => this.value(source, a));
        if (typeof m !== 'string' || typeof k1 !== 'string' || typeof k2 !== 'string') return undefined;
        const v = source.mappings[m]?.[k1]?.[k2];
        return v === undefined ? undefined : this.value(source, v);
      }
      case 'Fn::ImportValue': {
        const exportName = this.value(source, arg);
        if (typeof exportName !== 'string') return undefined;
        // an export of the importer's own assembly first (a pipeline's stages each export the same names)
        const candidates = this.exportsByName().get(exportName) ?? [];
        const exported = candidates.find((c) => unitOf(c.source) === unitOf(source)) ?? candidates[0];
        return exported ? this.value(exported.source, exported.value) : undefined;
      }
      default: return undefined;
    }
  }

  private sub(source: TemplateSource, arg: unknown): unknown {
    const [text, vars] = Array.isArray(arg) ? [arg[0], arg[1]] : [arg, undefined];
    if (typeof text !== 'string') return undefined;
    let ok = true;
    const out = text.replace(/\$\{([^}!][^}]*)\}/g, (_m, name: string) => {
      const given = isObject(vars) && name in vars ? this.value(source, vars[name]) : undefined;
      const v = given !== undefined ? given : (name.includes('.') ? undefined : this.fn(source, 'Ref', name));
      if (typeof v === 'string' || typeof v === 'number') return String(v);
      ok = false;
      return '';
    });
    return ok ? out.replace(/\$\{!/g, '${') : undefined;
  }

  /**
   * Whether CloudFormation creates `to` before `from` (both of `source`): `from` refers to it
   * (`Ref`, `Fn::GetAtt`, `Fn::Sub`) or depends on it (`DependsOn`), directly or through others.
   */
  public dependsOn(source: TemplateSource, from: string, to: string): boolean {
    const seen = new Set<string>([from]);
    const queue = [from];
    while (queue.length > 0) {
      for (const next of this.directDependencies(source, queue.shift()!)) {
        if (next === to) return true;
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    return false;
  }

  private directDependencies(source: TemplateSource, id: string): Set<string> {
    const key = `${source.name}#${id}`;
    let out = this.dependencies.get(key);
    if (!out) {
      out = new Set(source.resources[id]?.dependsOn ?? []);
      const found = out;
      const visit = (v: unknown): void => {
        if (Array.isArray(v)) return v.forEach(visit);
        if (!isObject(v)) return;
        for (const [k, x] of Object.entries(v)) {
          if (k === 'Ref' && typeof x === 'string') {found.add(x);} else if (k === 'Fn::GetAtt') {found.add(Array.isArray(x) ? String(x[0]) : String(x).split('.')[0]);} else if (k === 'Fn::Sub') {
            const text = Array.isArray(x) ? x[0] : x;
            if (typeof text === 'string') for (const m of text.matchAll(/\$\{([^}!.]+)[^}]*\}/g)) found.add(m[1]);
          }
          visit(x);
        }
      };
      visit(source.resources[id]?.Properties);
      for (const d of [...out]) if (!source.resources[d]) out.delete(d);
      this.dependencies.set(key, out);
    }
    return out;
  }

  /** The template of a nested stack resource, when it is one of the set. */
  private childOf(source: TemplateSource, logicalId: string): TemplateSource | undefined {
    for (const [name, parent] of this.parentsByName()) {
      if (parent.source === source && parent.logicalId === logicalId) return this.templates.find((t) => t.name === name);
    }
    return undefined;
  }

  /**
   * Nested template name → its parent template and the `AWS::CloudFormation::Stack` resource.
   * A nested template is the one whose file is the resource's template file (a cloud assembly's
   * `*.nested.template.json`, or the last part of a literal `TemplateURL`); the aspect names a
   * CDK nested stack by its construct path, whose characters and 8-character hash make the file
   * name, and whose path under the parent makes the resource's logical id
   * (`<Path>NestedStack<Id>NestedStackResource<hash>`).
   */
  private parentsByName(): Map<string, { source: TemplateSource; logicalId: string }> {
    if (!this.parents) {
      this.parents = new Map();
      const base = (n: string) => n.split(/[\\/]/).pop()!;
      for (const t of this.templates) {
        for (const [id, r] of Object.entries(t.resources)) {
          if (r.Type !== 'AWS::CloudFormation::Stack') continue;
          const file = r.nestedTemplate === undefined ? undefined : base(r.nestedTemplate);
          const stem = file?.replace(/\.nested\.template\.json$/, '');
          const child = this.templates.find((c) => c !== t && (
            (file !== undefined && (base(c.name) === file || (c.aliases ?? []).includes(file))) ||
            (stem !== file && new RegExp(`^${alnum(c.name)}[0-9A-F]{8}$`).test(stem!)) ||
            cdkNestedStackId(t.name, c.name, id)));
          if (child && !this.parents.has(child.name)) this.parents.set(child.name, { source: t, logicalId: id });
        }
      }
    }
    return this.parents;
  }

  private exportsByName(): Map<string, Array<{ source: TemplateSource; value: unknown }>> {
    if (!this.exports) {
      const exports = new Map<string, Array<{ source: TemplateSource; value: unknown }>>();
      this.exports = exports;
      for (const t of this.templates) {
        for (const o of Object.values(t.outputs)) {
          const name = o.exportName === undefined ? undefined : this.resolve(t, o.exportName);
          if (typeof name === 'string') exports.set(name, [...(exports.get(name) ?? []), { source: t, value: o.value }]);
        }
      }
    }
    return this.exports;
  }
}

const alnum = (t: string) => t.replace(/[^A-Za-z0-9]/g, '');

/** Whether `logicalId` is the resource of aws-cdk-lib's nested stack at construct path `child` under the stack at `parent`. */
function cdkNestedStackId(parent: string, child: string, logicalId: string): boolean {
  if (!child.startsWith(`${parent}/`)) return false;
  const relative = child.slice(parent.length + 1);
  const last = relative.split('/').pop()!;
  return logicalId === `${alnum(relative)}NestedStack${alnum(last)}NestedStackResource${logicalId.slice(-8)}` && /[0-9A-F]{8}$/.test(logicalId);
}

function negate(v: boolean | undefined): boolean | undefined {
  return v === undefined ? undefined : !v;
}

/** Whether two resolved values are the same (resource references by their target). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof ResourceRef || b instanceof ResourceRef) {
    return a instanceof ResourceRef && b instanceof ResourceRef && a.key === b.key && a.attribute === b.attribute;
  }
  if (a === undefined || b === undefined) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The unit a template is deployed with: its directory (a cloud assembly's nested `assembly-*` directory for a CDK stage). */
function unitOf(source: TemplateSource): string {
  const slash = source.name.lastIndexOf('/');
  return slash < 0 ? '' : source.name.slice(0, slash);
}

/** The 1-based line of a resource's logical id in a template's text, if it can be found. */
export function lineOf(source: TemplateSource, logicalId: string): number | undefined {
  if (!source.text) return undefined;
  const escaped = logicalId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const resources = /^\s*["']?Resources["']?\s*:.*$/m.exec(source.text);
  const from = resources ? resources.index + resources[0].length : 0;
  // the logical ids are the keys at the indentation of the section's first key: a deeper key of
  // the same name (`Principal: { Service: ... }` in a role's policy) is not the resource
  const first = /^([ \t]*)["']?[^\s#"'][^:]*["']?\s*:/m.exec(source.text.slice(from));
  const indent = first && resources ? first[1] : '\\s*';
  const re = new RegExp(`^${indent === '\\s*' ? indent : indent.replace(/\t/g, '\\t')}["']?${escaped}["']?\\s*:`, 'm');
  const m = re.exec(source.text.slice(from));
  if (m) return source.text.slice(0, from + m.index + m[0].length).split('\n').length;
  // a template on one line, or in YAML flow style: the first key of that name after `Resources`
  const start = resources?.index ?? 0;
  const loose = new RegExp(`["']?${escaped}["']?\\s*:`).exec(source.text.slice(start));
  return loose ? source.text.slice(0, start + loose.index + loose[0].length).split('\n').length : undefined;
}
