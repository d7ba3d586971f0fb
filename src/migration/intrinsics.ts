import * as YAML from 'yaml';
import { isObject, MigrationError } from './util';
import { cfnTags } from '../private/template/reader';

/** A CloudFormation resource as written in a template. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Condition?: string;
}

/** A parsed CloudFormation template. */
export interface CfnTemplate {
  readonly Resources: Record<string, TemplateResource>;
  readonly Parameters?: Record<string, Record<string, unknown>>;
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  readonly Conditions?: Record<string, unknown>;
  readonly Outputs?: Record<string, { readonly Value?: unknown; readonly Export?: { readonly Name?: unknown } }>;
}


/**
 * Parse a CloudFormation template written in JSON or YAML (with the `!Ref`-style short forms).
 *
 * @param text the template
 * @param label the file name, for error messages
 */
export function parseTemplate(text: string, label: string): CfnTemplate {
  let doc: unknown;
  const trimmed = text.trimStart();
  if (trimmed.length === 0) {
    throw new MigrationError(`${label} is empty: expected a CloudFormation template in JSON or YAML.`);
  }
  if (trimmed.startsWith('{')) {
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new MigrationError(`${label} is not valid JSON: ${(e as Error).message}.`);
    }
  } else {
    try {
      doc = YAML.parse(text, { customTags: cfnTags() as YAML.Tags, uniqueKeys: false, maxAliasCount: 1000 });
    } catch (e) {
      const msg = (e as Error).message.split('\n')[0];
      throw new MigrationError(`${label} is neither JSON nor valid YAML: ${msg}`);
    }
  }
  if (!isObject(doc) || !isObject(doc.Resources)) {
    throw new MigrationError(`${label} is not a CloudFormation template: it has no "Resources" section.`);
  }
  for (const [id, r] of Object.entries(doc.Resources)) {
    if (!isObject(r) || typeof r.Type !== 'string') {
      throw new MigrationError(`${label}: resource ${id} has no "Type": not a valid CloudFormation template.`);
    }
  }
  return doc as unknown as CfnTemplate;
}

/** The name attributes of App Mesh resources, with the property that holds them. */
const NAME_ATTRIBUTES: Record<string, string> = {
  MeshName: 'MeshName',
  VirtualNodeName: 'VirtualNodeName',
  VirtualServiceName: 'VirtualServiceName',
  VirtualRouterName: 'VirtualRouterName',
  VirtualGatewayName: 'VirtualGatewayName',
  RouteName: 'RouteName',
  GatewayRouteName: 'GatewayRouteName',
};

const APPMESH_KIND: Record<string, string> = {
  'AWS::AppMesh::Mesh': '',
  'AWS::AppMesh::VirtualNode': 'virtualNode',
  'AWS::AppMesh::VirtualService': 'virtualService',
  'AWS::AppMesh::VirtualRouter': 'virtualRouter',
  'AWS::AppMesh::VirtualGateway': 'virtualGateway',
};

const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId', 'AWS::Region', 'AWS::Partition', 'AWS::URLSuffix', 'AWS::StackName', 'AWS::StackId', 'AWS::NotificationARNs',
]);

/** A placeholder for a value that only exists at deploy time: `${Ref:Logical}`, `${GetAtt:Logical.Attr}`, `${Import:Name}`. */
export const PLACEHOLDER = /\$\{(Ref|GetAtt|Import|Param):[^}]*\}/;

/** The logical ID a resolved `Ref` placeholder points at, if it is one. */
export function refTarget(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^\$\{Ref:([^}]+)\}$/.exec(v);
  return m ? m[1] : undefined;
}

/** Whether a resolved string still holds a deploy-time value other than a pseudo parameter. */
export function hasPlaceholder(v: unknown): boolean {
  return typeof v === 'string' && PLACEHOLDER.test(v);
}

/**
 * Resolves CloudFormation intrinsic functions between the template's own resources.
 *
 * Names of App Mesh resources resolve to their name properties (or the logical ID when a name is
 * left to CloudFormation), `Ref` to an App Mesh resource to an ARN that names it, parameters to
 * their defaults, and `Fn::Sub`/`Join`/`Select`/`Split`/`FindInMap`/`If` are evaluated. Values
 * that only exist at deploy time become placeholders (`${Ref:Logical}`, `${GetAtt:Logical.Attr}`);
 * pseudo parameters stay `${AWS::Region}`.
 */
export class IntrinsicResolver {
  /** Notes about values that could not be resolved from the template alone. */
  public readonly unresolved = new Set<string>();
  /** Parameters without a value (neither given nor defaulted), by name: they stay deploy-time values (`${Param:Name}`). */
  public readonly openParameters = new Map<string, { description?: string; type?: string }>();
  /** Imports that no given template exports: their export names (resolved), by index (`${Import:<index>}`). */
  public readonly imports: string[] = [];
  private readonly stack: string[] = [];
  private exportsByName?: Map<string, unknown>;

  /**
   * @param template the template (or several merged by `mergeTemplates()`)
   * @param parameters parameter values given by the user; they win over defaults
   */
  constructor(private readonly template: CfnTemplate, private readonly parameters: Readonly<Record<string, string>> = {}) {}

  /** The `Outputs` exports of the template(s), by resolved export name. */
  private exports(): Map<string, unknown> {
    if (!this.exportsByName) {
      this.exportsByName = new Map();
      for (const [id, o] of Object.entries(this.template.Outputs ?? {})) {
        if (!isObject(o) || !isObject(o.Export) || o.Export.Name === undefined) continue;
        const name = this.guard(`Outputs.${id}.Export`, () => this.resolve(o.Export!.Name));
        if (typeof name === 'string') this.exportsByName.set(name, o.Value);
      }
    }
    return this.exportsByName;
  }

  /** Resolve every intrinsic in `value`. */
  public resolve(value: unknown): unknown {
    if (Array.isArray(value)) {
      return value.map((v) => this.resolve(v)).filter((v) => v !== NO_VALUE);
    }
    if (!isObject(value)) return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::') || keys[0] === 'Condition')) {
      return this.fn(keys[0], value[keys[0]]);
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const v = this.resolve(value[k]);
      if (v !== NO_VALUE) out[k] = v;
    }
    return out;
  }

  /** The resolved properties of a resource. */
  public properties(logicalId: string): Record<string, unknown> {
    const r = this.template.Resources[logicalId];
    const p = this.resolve(r?.Properties ?? {});
    return isObject(p) ? p : {};
  }

  /** The name of an App Mesh resource: its name property, or the logical ID CloudFormation would base one on. */
  public nameOf(logicalId: string, attribute: string): string {
    const r = this.template.Resources[logicalId];
    const prop = NAME_ATTRIBUTES[attribute];
    const raw = r?.Properties?.[prop];
    if (raw !== undefined) {
      const v = this.guard(`${logicalId}.${attribute}`, () => this.resolve(raw));
      if (typeof v === 'string') return v;
    }
    return logicalId;
  }

  private fn(name: string, arg: unknown): unknown {
    switch (name) {
      case 'Ref': return this.ref(String(arg));
      case 'Fn::GetAtt': {
        const parts = Array.isArray(arg) ? arg.map((a) => String(this.resolve(a))) : String(arg).split('.');
        return this.getAtt(parts[0], parts.slice(1).join('.'));
      }
      case 'Fn::Sub': return this.sub(arg);
      case 'Fn::Join': {
        const [delimiter, list] = asPair(this.resolve(arg));
        const items = Array.isArray(list) ? list : [list];
        return items.map((i) => typeof i === 'string' || typeof i === 'number' ? String(i) : JSON.stringify(i)).join(String(delimiter ?? ''));
      }
      case 'Fn::Select': {
        const [index, list] = asPair(this.resolve(arg));
        return Array.isArray(list) ? list[Number(index)] : `\${GetAtt:Select.${String(index)}}`;
      }
      case 'Fn::Split': {
        const [delimiter, source] = asPair(this.resolve(arg));
        return typeof source === 'string' ? source.split(String(delimiter)) : [];
      }
      case 'Fn::FindInMap': {
        const [map, top, second] = (this.resolve(arg) as unknown[]) ?? [];
        const v = this.template.Mappings?.[String(map)]?.[String(top)]?.[String(second)];
        if (v === undefined) {
          this.unresolved.add(`Fn::FindInMap ${String(map)}.${String(top)}.${String(second)} is not in the template's Mappings`);
          return `\${Ref:FindInMap.${String(map)}.${String(top)}.${String(second)}}`;
        }
        return this.resolve(v);
      }
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = Array.isArray(arg) ? arg : [];
        return this.resolve(this.condition(String(condition)) ? whenTrue : whenFalse);
      }
      case 'Condition': return this.condition(String(arg));
      case 'Fn::Equals': {
        const [a, b] = asPair(this.resolve(arg));
        return JSON.stringify(a) === JSON.stringify(b);
      }
      case 'Fn::And': return (this.resolve(arg) as unknown[]).every((c) => c === true || c === 'true');
      case 'Fn::Or': return (this.resolve(arg) as unknown[]).some((c) => c === true || c === 'true');
      case 'Fn::Not': {
        const [c] = this.resolve(arg) as unknown[];
        return !(c === true || c === 'true');
      }
      case 'Fn::ImportValue': {
        const v = String(this.resolve(arg));
        const exported = this.exports().get(v);
        if (exported !== undefined) return this.guard(`Export ${v}`, () => this.resolve(exported));
        let index = this.imports.indexOf(v);
        if (index < 0) index = this.imports.push(v) - 1;
        return `\${Import:${index}}`;
      }
      case 'Fn::Base64': return this.resolve(arg);
      case 'Fn::GetAZs': return ['${AWS::Region}a', '${AWS::Region}b'];
      case 'Fn::Length': {
        const v = this.resolve(arg);
        return Array.isArray(v) ? v.length : 0;
      }
      case 'Fn::ToJsonString': return JSON.stringify(this.resolve(arg));
      default:
        // Fn::Cidr, Fn::Transform and the like: nothing the migration needs.
        return `\${GetAtt:${name}}`;
    }
  }

  private ref(name: string): unknown {
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (PSEUDO_PARAMETERS.has(name)) return `\${${name}}`;
    const param = this.template.Parameters?.[name];
    if (param) {
      if (this.parameters[name] !== undefined) return this.parameters[name];
      if (param.Default !== undefined) return param.Default;
      this.openParameters.set(name, { description: typeof param.Description === 'string' ? param.Description : undefined, type: typeof param.Type === 'string' ? param.Type : undefined });
      return `\${Param:${name}}`;
    }
    const resource = this.template.Resources[name];
    if (!resource) {
      this.unresolved.add(`Ref ${name} names neither a parameter nor a resource of the template`);
      return `\${Ref:${name}}`;
    }
    const kind = APPMESH_KIND[resource.Type];
    if (kind !== undefined) {
      return this.guard(`${name}.Ref`, () => this.appMeshArn(name, resource.Type));
    }
    return `\${Ref:${name}}`;
  }

  private getAtt(logicalId: string, attribute: string): unknown {
    const resource = this.template.Resources[logicalId];
    if (!resource) {
      this.unresolved.add(`Fn::GetAtt ${logicalId}.${attribute}: no such resource in the template`);
      return `\${GetAtt:${logicalId}.${attribute}}`;
    }
    if (resource.Type.startsWith('AWS::AppMesh::')) {
      if (NAME_ATTRIBUTES[attribute]) return this.nameOf(logicalId, attribute);
      if (attribute === 'Arn') return this.guard(`${logicalId}.Arn`, () => this.appMeshArn(logicalId, resource.Type));
    }
    // A property of the same name (e.g. AWS::ServiceDiscovery::Service `Name`) resolves to its value.
    const raw = resource.Properties?.[attribute];
    if (raw !== undefined && (typeof raw !== 'object' || raw === null || !Array.isArray(raw))) {
      const v = this.guard(`${logicalId}.${attribute}`, () => this.resolve(raw));
      if (typeof v === 'string' || typeof v === 'number') return v;
    }
    return `\${GetAtt:${logicalId}.${attribute}}`;
  }

  private appMeshArn(logicalId: string, type: string): string {
    const props = this.template.Resources[logicalId].Properties ?? {};
    const meshName = type === 'AWS::AppMesh::Mesh' ? this.nameOf(logicalId, 'MeshName') : String(this.resolve(props.MeshName ?? 'mesh'));
    const kind = APPMESH_KIND[type];
    const attr = `${kind[0]?.toUpperCase() ?? ''}${kind.slice(1)}Name`;
    const suffix = kind ? `/${kind}/${this.nameOf(logicalId, attr)}` : '';
    return `arn:\${AWS::Partition}:appmesh:\${AWS::Region}:\${AWS::AccountId}:mesh/${meshName}${suffix}`;
  }

  private sub(arg: unknown): string {
    const [template, vars] = Array.isArray(arg) ? [String(arg[0]), (isObject(arg[1]) ? arg[1] : {})] : [String(arg), {}];
    const resolvedVars: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(vars)) resolvedVars[k] = this.resolve(v);
    return template.replace(/\$\{(!?)([^}]*)\}/g, (whole, bang: string, expr: string) => {
      if (bang) return `\${${expr}}`;
      const name = expr.trim();
      if (name in resolvedVars) return String(resolvedVars[name]);
      const dot = name.indexOf('.');
      const v = dot > 0 && !name.startsWith('AWS::') ? this.getAtt(name.slice(0, dot), name.slice(dot + 1)) : this.ref(name);
      if (v === NO_VALUE) return '';
      return typeof v === 'string' || typeof v === 'number' ? String(v) : whole;
    });
  }

  private condition(name: string): boolean {
    const c = this.template.Conditions?.[name];
    if (c === undefined) {
      this.unresolved.add(`condition ${name} is not defined`);
      return true;
    }
    const v = this.guard(`condition ${name}`, () => this.resolve(c));
    if (typeof v === 'boolean') return v;
    this.unresolved.add(`condition ${name} depends on deploy-time values; taken as true`);
    return true;
  }

  /** Evaluate `f`, refusing reference cycles (`A` → `B` → `A`). */
  private guard<T>(key: string, f: () => T): T | string {
    if (this.stack.includes(key)) {
      this.unresolved.add(`reference cycle through ${key}`);
      return `\${GetAtt:${key}}`;
    }
    this.stack.push(key);
    try {
      return f();
    } finally {
      this.stack.pop();
    }
  }
}

/** `Ref: AWS::NoValue` removes the property it is the value of. */
const NO_VALUE = Symbol('AWS::NoValue');

function asPair(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [v];
}
