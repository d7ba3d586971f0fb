import { ResourceRef } from './reader';
import type { TemplateSet, TemplateSource } from './reader';
import type {
  AppModel, ClusterModel, ContainerModel, IngressModel, MetricUseModel, ModelLocation, NamespaceRefModel, ScEntryModel, ServiceModel2,
  TaskDefinitionModel,
} from '../namespace/app';
import { NAMESPACE_ARN } from '../validation/formats';

/**
 * Builds the app model (`../namespace/app.ts`) from a set of CloudFormation templates: ECS
 * clusters, services with Service Connect and their task definitions, Cloud Map namespaces,
 * security-group ingress, alarms and dashboards. Values that cannot be resolved from the
 * templates stay `undefined`.
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof ResourceRef);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const num = (v: unknown): number | undefined => {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !isNaN(Number(v))) return Number(v);
  return undefined;
};
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : undefined);

const NAMESPACE_TYPES = new Set(['AWS::ServiceDiscovery::HttpNamespace', 'AWS::ServiceDiscovery::PrivateDnsNamespace', 'AWS::ServiceDiscovery::PublicDnsNamespace']);

/** The resource types the first pass reads (namespaces are read before, services after, with their task definitions). */
const MODEL_TYPES = new Set([
  'AWS::ECS::Cluster', 'AWS::ECS::TaskDefinition', 'AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupIngress',
  'AWS::CloudWatch::Alarm', 'AWS::CloudWatch::Dashboard',
]);

/**
 * The properties the model reads, by resource type: only these are resolved (an app's task
 * definitions and services carry much more: images, secrets, health checks, tags, …).
 */
const READ: Record<string, readonly string[]> = {
  'AWS::ECS::Service': [
    'ServiceName', 'Cluster', 'TaskDefinition', 'CapacityProviderStrategy', 'LaunchType', 'PlatformVersion', 'DeploymentController',
    'DeploymentConfiguration', 'ServiceConnectConfiguration', 'NetworkConfiguration',
  ],
  'AWS::ECS::TaskDefinition': ['Cpu', 'Memory', 'RequiresCompatibilities', 'ContainerDefinitions'],
};
const CONTAINER_READ = ['Name', 'Cpu', 'Memory', 'MemoryReservation', 'PortMappings', 'Environment'];

/** An object that is not itself an intrinsic function (whose keys are properties). */
function isPlain(v: unknown): v is Obj {
  if (!isObj(v)) return false;
  const keys = Object.keys(v);
  return !(keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::') || keys[0] === 'Condition'));
}

/** Resolve only `keys` of a properties object (container definitions: only the fields the model reads). */
function pick(set: TemplateSet, t: TemplateSource, raw: Obj, keys: readonly string[]): Obj {
  const out: Obj = {};
  for (const k of keys) {
    if (!(k in raw)) continue;
    const resolved = k === 'ContainerDefinitions' && Array.isArray(raw[k])
      ? (raw[k] as unknown[]).map((c) => (isPlain(c) ? pick(set, t, c, CONTAINER_READ) : set.resolve(t, c))).filter((c) => c !== undefined)
      : set.resolve(t, raw[k]);
    if (resolved !== undefined) out[k] = resolved;
  }
  return out;
}

/** Task CPU as CloudFormation takes it: units, or `"1 vCPU"`. */
function cpuUnits(v: unknown): number | undefined {
  const n = num(v);
  if (n !== undefined) return n;
  const m = typeof v === 'string' ? /^\s*([\d.]+)\s*vcpu\s*$/i.exec(v) : null;
  return m ? Math.round(Number(m[1]) * 1024) : undefined;
}

/** Task memory as CloudFormation takes it: MiB, or `"2 GB"`. */
function memoryMiB(v: unknown): number | undefined {
  const n = num(v);
  if (n !== undefined) return n;
  const m = typeof v === 'string' ? /^\s*([\d.]+)\s*gb\s*$/i.exec(v) : null;
  return m ? Math.round(Number(m[1]) * 1024) : undefined;
}

/** A short name for a resource: its construct path without the stack and the generated tail, or its logical id. */
export function labelOf(t: TemplateSource, id: string, tails: readonly string[]): string {
  const parts = t.resources[id]?.cdkPath?.split('/').slice(1);
  // without path metadata, a CDK logical id without its 8-character hash (`ApiServiceC1D2E3F4` → `ApiService`)
  if (!parts || parts.length === 0) return /^[A-Za-z][A-Za-z0-9]*?[0-9A-F]{8}$/.test(id) && /[a-z]/.test(id.slice(0, -8)) ? id.slice(0, -8) : id;
  while (parts.length > 1 && tails.includes(parts[parts.length - 1])) parts.pop();
  return parts.join('/');
}

/** Build the model of every template of the set. */
export function buildModel(set: TemplateSet): AppModel {
  const clusters: ClusterModel[] = [];
  const services: ServiceModel2[] = [];
  const namespaces = new Map<string, string | undefined>();
  const ingress: IngressModel[] = [];
  const metrics: MetricUseModel[] = [];
  const taskDefinitions = new Map<string, TaskDefinitionModel>();

  const props = (t: TemplateSource, id: string): Obj => {
    const raw = t.resources[id].Properties ?? {};
    const keys = READ[t.resources[id].Type];
    const p = keys && isPlain(raw) ? pick(set, t, raw, keys) : set.resolve(t, raw);
    return isObj(p) ? p : {};
  };
  const loc = (t: TemplateSource, id: string, path = ''): ModelLocation => ({ template: t.name, logicalId: id, path });

  for (const t of set.templates) {
    for (const [id, r] of Object.entries(t.resources)) {
      if (NAMESPACE_TYPES.has(r.Type) && set.exists(t, id)) namespaces.set(`${t.name}#${id}`, str(set.resolve(t, r.Properties?.Name)));
    }
  }
  const namespaceByName = new Map([...namespaces].filter(([, n]) => n !== undefined).map(([k, n]) => [n!, k]));
  // a namespace whose name is known only at deployment (e.g. `!Sub ${Env}.${App}.local`) may be the one a service names
  const someUnnamed = [...namespaces.values()].some((n) => n === undefined);

  for (const t of set.templates) {
    for (const [id, r] of Object.entries(t.resources)) {
      if (!MODEL_TYPES.has(r.Type)) continue;
      if (!set.exists(t, id)) continue;
      const p = r.Type === 'AWS::CloudWatch::Dashboard' ? {} : props(t, id);
      const key = `${t.name}#${id}`;
      switch (r.Type) {
        case 'AWS::ECS::Cluster': {
          const defaults = isObj(p.ServiceConnectDefaults) ? p.ServiceConnectDefaults : undefined;
          clusters.push({
            key,
            at: loc(t, id),
            namespace: defaults && 'Namespace' in defaults ? namespaceRef(set, defaults.Namespace, loc(t, id, 'ServiceConnectDefaults.Namespace')) : undefined,
          });
          break;
        }
        case 'AWS::ECS::TaskDefinition':
          taskDefinitions.set(key, taskDefinition(t, id, p, key, loc(t, id)));
          break;
        case 'AWS::EC2::SecurityGroup':
          arr(p.SecurityGroupIngress).forEach((rule, i) => {
            if (isObj(rule)) ingress.push(ingressRule(loc(t, id, `SecurityGroupIngress[${i}]`), key, rule));
          });
          break;
        case 'AWS::EC2::SecurityGroupIngress': {
          const group = p.GroupId instanceof ResourceRef ? p.GroupId.key : undefined;
          ingress.push(ingressRule(loc(t, id), group, p));
          break;
        }
        case 'AWS::CloudWatch::Alarm':
          metrics.push(...alarmMetrics(loc(t, id), p));
          break;
        case 'AWS::CloudWatch::Dashboard':
          metrics.push(...dashboardMetrics(set, t, id));
          break;
      }
    }
  }

  // a service may name its cluster (`Cluster: prod`, or the cluster's ARN) instead of referring to the resource
  const clusterByName = new Map<string, string>();
  for (const t of set.templates) {
    for (const [id, r] of Object.entries(t.resources)) {
      const name = r.Type === 'AWS::ECS::Cluster' && set.exists(t, id) ? str(set.resolve(t, r.Properties?.ClusterName)) : undefined;
      if (name !== undefined && !clusterByName.has(name)) clusterByName.set(name, `${t.name}#${id}`);
    }
  }
  const clusterNamed = (v: unknown, raw: unknown): string | undefined => {
    // an ARN built with `!Sub arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:cluster/<name>`: its literal name
    const sub = isObj(raw) && 'Fn::Sub' in raw ? (Array.isArray(raw['Fn::Sub']) ? raw['Fn::Sub'][0] : raw['Fn::Sub']) : undefined;
    const text = str(v) ?? (typeof sub === 'string' && /:cluster\/[A-Za-z0-9_-]+$/.test(sub) ? sub : undefined);
    return text === undefined ? undefined : clusterByName.get(/^arn:.*:cluster\/([A-Za-z0-9_-]+)$/.exec(text)?.[1] ?? text);
  };

  for (const t of set.templates) {
    for (const [id, r] of Object.entries(t.resources)) {
      if (r.Type !== 'AWS::ECS::Service' || !set.exists(t, id)) continue;
      // most services of a large app may not use Service Connect: look at that first
      const raw = r.Properties ?? {};
      if (isPlain(raw) && 'ServiceConnectConfiguration' in raw) {
        const first = set.resolve(t, raw.ServiceConnectConfiguration);
        if (!isObj(first) || bool(first.Enabled) !== true) continue;
      } else if (isPlain(raw)) {
        continue;
      }
      const p = props(t, id);
      const sc = isObj(p.ServiceConnectConfiguration) ? p.ServiceConnectConfiguration : undefined;
      if (!sc || bool(sc.Enabled) !== true) continue;
      const at = loc(t, id);
      const namedKey = p.Cluster instanceof ResourceRef ? undefined : clusterNamed(p.Cluster, t.resources[id].Properties?.Cluster);
      const named = namedKey === undefined ? undefined : namedKey.lastIndexOf('#');
      const cluster = p.Cluster instanceof ResourceRef ? p.Cluster
        : named !== undefined ? new ResourceRef(namedKey!.slice(0, named), namedKey!.slice(named + 1)) : undefined;
      const td = p.TaskDefinition instanceof ResourceRef ? taskDefinitions.get(p.TaskDefinition.key) : undefined;
      const strategies = arr(p.CapacityProviderStrategy).map((s) => (isObj(s) ? str(s.CapacityProvider) : undefined));
      const launchType = str(p.LaunchType);
      const network = isObj(p.NetworkConfiguration) && isObj(p.NetworkConfiguration.AwsvpcConfiguration)
        ? p.NetworkConfiguration.AwsvpcConfiguration : {};
      services.push({
        key: `${t.name}#${id}`,
        at,
        // a cloud assembly's nested template `<Parent><Id><hash>.nested.template.json` shows as `<Parent><Id> (nested)`
        stack: stackLabel(t.name),
        serviceName: str(p.ServiceName),
        clusterKey: cluster?.key ?? str(p.Cluster),
        label: labelOf(t, id, ['Resource', 'Service']),
        clusterLabel: cluster ? clusterLabel(set, t, cluster) : str(p.Cluster) ?? describe(t.resources[id].Properties?.Cluster) ?? 'default',
        launchType,
        fargate: launchType === 'FARGATE' || strategies.some((s) => s === 'FARGATE' || s === 'FARGATE_SPOT'),
        platformVersion: str(p.PlatformVersion),
        controller: isObj(p.DeploymentController) ? str(p.DeploymentController.Type) : undefined,
        deployment: isObj(p.DeploymentConfiguration) ? p.DeploymentConfiguration : undefined,
        namespace: 'Namespace' in sc ? namespaceRef(set, sc.Namespace, loc(t, id, 'ServiceConnectConfiguration.Namespace')) : undefined,
        entries: arr(sc.Services).map((e, index) => entry(e, index)),
        logConfiguration: sc.LogConfiguration !== undefined,
        accessLog: sc.AccessLogConfiguration !== undefined,
        taskDefinition: td,
        securityGroups: arr(network.SecurityGroups).flatMap((g) => (g instanceof ResourceRef ? [g.key] : [])),
      });
    }
  }
  return { clusters, services, namespaces, ingress, metrics };

  function namespaceRef(s: TemplateSet, value: unknown, at: ModelLocation): NamespaceRefModel {
    const ofCluster = at.path.startsWith('ServiceConnectDefaults');
    if (value instanceof ResourceRef) {
      const target = s.templates.find((x) => x.name === value.template)?.resources[value.logicalId];
      const isNs = target !== undefined && NAMESPACE_TYPES.has(target.Type);
      // ECS takes a namespace's ARN or name: `Fn::GetAtt <Namespace>.Arn` or `.Name` (how aws-cdk-lib's
      // services write it), never its id (`Ref` or `.Id`), which it would look up as a name
      const named = value.attribute === 'Arn' || value.attribute === 'Name';
      return {
        key: isNs ? value.key : undefined,
        name: isNs ? namespaces.get(value.key) : undefined,
        notArn: isNs && !named ? `${value} (the namespace ${value.attribute === undefined ? 'id' : value.attribute})` : undefined,
        at,
      };
    }
    const text = str(value);
    if (text === undefined) return { at };
    if (NAMESPACE_ARN.test(text) || text.startsWith('arn:')) return { key: text, at };
    const created = namespaceByName.get(text);
    // a cluster's default by name: ECS creates an HTTP namespace of that name when it finds none
    // (also when the namespace of these templates is not created yet); a service's by name: legal
    // when the namespace exists in the account and Region, a warning when these templates do not create it
    if (ofCluster) return { key: created ?? `name:${text}`, name: text, notArn: text, at };
    // a name does not order the service after the namespace: in one template, something else must
    const [nsTemplate, nsId] = created === undefined ? [] : [created.slice(0, created.lastIndexOf('#')), created.slice(created.lastIndexOf('#') + 1)];
    const source = s.templates.find((x) => x.name === at.template);
    const unordered = source !== undefined && nsTemplate === at.template && !s.dependsOn(source, at.logicalId, nsId!) ? text : undefined;
    return { key: created ?? `name:${text}`, name: text, byName: created === undefined && !someUnnamed ? text : undefined, unordered, at };
  }
}

/**
 * How a template is named in a graph: its file name without the extension; a cloud assembly's
 * nested template `<Parent><Id><hash>.nested.template.json` as `<Parent><Id> (nested)`.
 */
function stackLabel(name: string): string {
  return (name.split('/').pop() ?? name).replace(/(\.template)?\.(json|ya?ml|template)$/i, '').replace(/[0-9A-F]{8}\.nested$/, ' (nested)');
}

/** How a value that cannot be resolved is shown (`!ImportValue ${App}-ClusterId`); `undefined` when absent. */
function describe(raw: unknown): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw === 'string' || typeof raw === 'number') return String(raw);
  if (isObj(raw) && Object.keys(raw).length === 1) {
    const [fn, arg] = Object.entries(raw)[0];
    const inner = fn === 'Fn::Sub' && Array.isArray(arg) ? describe(arg[0]) : fn === 'Fn::GetAtt' && Array.isArray(arg) ? arg.join('.') : describe(arg);
    if (inner !== undefined && ['Ref', 'Fn::ImportValue', 'Fn::GetAtt', 'Fn::Sub'].includes(fn) && inner !== '(unresolved)') {
      return fn === 'Fn::Sub' ? inner : `!${fn.replace('Fn::', '')} ${inner}`;
    }
  }
  return '(unresolved)';
}

function clusterLabel(set: TemplateSet, t: TemplateSource, cluster: ResourceRef): string {
  const owner = set.templates.find((x) => x.name === cluster.template);
  const label = owner ? labelOf(owner, cluster.logicalId, ['Resource', 'Cluster']) : cluster.logicalId;
  return cluster.template === t.name ? label : `${stackLabel(cluster.template)}:${label}`;
}

function entry(e: unknown, index: number): ScEntryModel {
  if (!isObj(e)) return { index };
  const alias = isObj(arr(e.ClientAliases)[0]) ? arr(e.ClientAliases)[0] as Obj : undefined;
  const timeout = isObj(e.Timeout) ? e.Timeout : undefined;
  return {
    index,
    portName: str(e.PortName),
    discoveryName: str(e.DiscoveryName),
    dnsName: alias ? str(alias.DnsName) : undefined,
    clientPort: alias ? num(alias.Port) : undefined,
    ingressPortOverride: num(e.IngressPortOverride),
    perRequestTimeout: timeout ? num(timeout.PerRequestTimeoutSeconds) : undefined,
  };
}

function taskDefinition(t: TemplateSource, id: string, p: Obj, key: string, at: ModelLocation): TaskDefinitionModel {
  const containers: ContainerModel[] = arr(p.ContainerDefinitions).filter(isObj).map((c) => ({
    name: str(c.Name),
    cpu: num(c.Cpu),
    memory: num(c.Memory),
    memoryReservation: num(c.MemoryReservation),
    portMappings: arr(c.PortMappings).filter(isObj).map((m) => ({
      name: str(m.Name),
      containerPort: num(m.ContainerPort),
      // no AppProtocol is TCP; one that cannot be resolved is unknown
      appProtocol: !('AppProtocol' in m) ? '' : str(m.AppProtocol),
    })),
    environment: arr(c.Environment).filter(isObj).flatMap((v) => (typeof v.Name === 'string' ? [{ name: v.Name, value: str(v.Value) }] : [])),
  }));
  const requires = arr(p.RequiresCompatibilities).map(str);
  // containers or port mappings the template sets but that cannot be resolved (an undecided
  // `Fn::If`, a parameter): compared with the raw template, since unresolved values are left out
  const raw = t.resources[id].Properties ?? {};
  const list = (v: unknown): unknown[] | undefined => (Array.isArray(v) ? v : undefined);
  const sameObjects = (rawList: unknown, resolved: unknown) => {
    const [a, b] = [list(rawList), list(resolved)];
    return a !== undefined && b !== undefined && a.length === b.length && b.every(isObj);
  };
  const containersUnknown = raw.ContainerDefinitions !== undefined && (!sameObjects(raw.ContainerDefinitions, p.ContainerDefinitions) ||
    list(raw.ContainerDefinitions)!.some((c, i) => isObj(c) && c.PortMappings !== undefined &&
      !sameObjects(c.PortMappings, (list(p.ContainerDefinitions)![i] as Obj).PortMappings)));
  // `null` only when the template sets none; a value it sets but that cannot be resolved (a
  // parameter without a default, an undecided `Fn::If`) is `undefined`, unknown
  const unset = (k: string) => raw[k] === undefined || (isObj(raw[k]) && (raw[k] as Obj).Ref === 'AWS::NoValue');
  return {
    key,
    at,
    cpu: unset('Cpu') ? null : cpuUnits(p.Cpu),
    memory: unset('Memory') ? null : memoryMiB(p.Memory),
    fargate: requires.includes('FARGATE'),
    containers,
    containersUnknown: containersUnknown || undefined,
  };
}

function ingressRule(at: ModelLocation, groupKey: string | undefined, p: Obj): IngressModel {
  const protocol = str(p.IpProtocol);
  const all = protocol === '-1' || protocol === 'all';
  return {
    at,
    groupKey,
    sourceKey: p.SourceSecurityGroupId instanceof ResourceRef ? p.SourceSecurityGroupId.key : undefined,
    fromPort: all ? 0 : num(p.FromPort),
    toPort: all ? 65535 : num(p.ToPort),
  };
}

function dimensionNames(v: unknown): string[] | undefined {
  if (v !== undefined && !Array.isArray(v)) return undefined;
  const names = arr(v).map((d) => (isObj(d) ? str(d.Name) : undefined));
  return names.every((n) => n !== undefined) ? names as string[] : undefined;
}

function alarmMetrics(at: ModelLocation, p: Obj): MetricUseModel[] {
  const out: MetricUseModel[] = [];
  if (p.MetricName !== undefined) {
    out.push({ at: { ...at, path: 'MetricName' }, kind: 'alarm', namespace: str(p.Namespace), metricName: str(p.MetricName), dimensions: dimensionNames(p.Dimensions) });
  }
  arr(p.Metrics).forEach((m, i) => {
    const metric = isObj(m) && isObj(m.MetricStat) && isObj(m.MetricStat.Metric) ? m.MetricStat.Metric : undefined;
    if (metric) {
      out.push({
        at: { ...at, path: `Metrics[${i}].MetricStat.Metric` },
        kind: 'alarm',
        namespace: str(metric.Namespace),
        metricName: str(metric.MetricName),
        dimensions: dimensionNames(metric.Dimensions),
      });
    }
  });
  return out;
}

/** The metrics of a dashboard's widgets (`properties.metrics` rows, with `.`/`...` shorthands). */
function dashboardMetrics(set: TemplateSet, t: TemplateSource, id: string): MetricUseModel[] {
  const body = looseString(set, t, t.resources[id].Properties?.DashboardBody);
  if (body === undefined) return [];
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return [];
  }
  const out: MetricUseModel[] = [];
  arr(isObj(doc) ? doc.widgets : undefined).forEach((w, wi) => {
    const rows = isObj(w) && isObj(w.properties) ? arr(w.properties.metrics) : [];
    let previous: unknown[] = [];
    rows.forEach((row, ri) => {
      if (!Array.isArray(row)) return;
      let items: unknown[] = [];
      for (let i = 0; i < row.length; i++) {
        if (row[i] === '...') {
          items = [...items, ...previous.slice(items.length)];
        } else if (row[i] === '.') {
          items.push(previous[items.length]);
        } else {
          items.push(row[i]);
        }
      }
      previous = items;
      const fields = items.filter((x) => !isObj(x));
      if (fields.length < 2 || typeof fields[0] !== 'string' || typeof fields[1] !== 'string') return;
      const dims: string[] = [];
      for (let i = 2; i + 1 < fields.length; i += 2) dims.push(String(fields[i]));
      out.push({ at: { template: t.name, logicalId: id, path: `DashboardBody.widgets[${wi}].properties.metrics[${ri}]` }, kind: 'dashboard', namespace: fields[0], metricName: fields[1], dimensions: dims });
    });
  });
  return out;
}

/** A string built by `Fn::Join`/`Fn::Sub` whose unresolvable parts become a placeholder (enough to read a dashboard's JSON). */
function looseString(set: TemplateSet, t: TemplateSource, v: unknown): string | undefined {
  const whole = set.resolve(t, v);
  if (typeof whole === 'string') return whole;
  if (isObj(v) && Array.isArray(v['Fn::Join']) && v['Fn::Join'].length === 2) {
    const [sep, parts] = v['Fn::Join'] as [unknown, unknown];
    const resolved = set.resolve(t, parts);
    if (!Array.isArray(resolved)) return undefined;
    return resolved.map((x) => (typeof x === 'string' || typeof x === 'number' ? String(x) : 'unresolved')).join(String(sep));
  }
  const subText = isObj(v) ? (Array.isArray(v['Fn::Sub']) ? v['Fn::Sub'][0] : v['Fn::Sub']) : undefined;
  if (typeof subText === 'string') {
    return subText.replace(/\$\{([^}!][^}]*)\}/g, (_m, name: string) => {
      const [id, attr] = name.split(/\.(.*)/);
      const x = set.resolve(t, attr ? { 'Fn::GetAtt': [id, attr] } : { Ref: id });
      return typeof x === 'string' || typeof x === 'number' ? String(x) : 'unresolved';
    });
  }
  return undefined;
}
