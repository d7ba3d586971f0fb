// The app model (clusters, Service Connect services with their task definitions, namespaces,
// security-group ingress, alarm and dashboard metrics) and the rules that need it, in one place so
// the Aspect and lint run the same code. Just above 400 lines; the parts are one concept.
import { checkNamespace } from './model';
import type { NamespaceModel, PortModel } from './model';
import { ServiceConnectProtocol } from '../../ports';
import { BASE_PROXY_CPU, BASE_PROXY_MEMORY_MIB, describeMemoryChoices, isValidFargateSize } from '../fargate';
import { METRICS } from '../metrics';
import type { RuleId } from '../validation/rules';
import { RULES } from '../validation/rules';

/**
 * The Service Connect settings of a whole app or set of templates as a plain model — clusters,
 * services with their task definitions, namespaces, security-group rules, alarms and dashboards —
 * and the rules that need more than one construct's props to check. Built from CloudFormation
 * templates (`../template/build.ts`), which the CLI reads from files and the
 * `ServiceConnectChecks` aspect resolves from a CDK app's L1 resources, so both get the same
 * findings. Every value the source could not resolve is `undefined` and skipped by every rule.
 */

/** Where a finding is: a template, a resource's logical id, and a property path inside it. */
export interface ModelLocation {
  readonly template: string;
  readonly logicalId: string;
  readonly path: string;
}

/** A finding of a rule over the model. */
export interface AppFinding {
  readonly rule: RuleId;
  readonly level: 'error' | 'warning';
  readonly at: ModelLocation;
  readonly value: unknown;
  readonly detail: string;
  readonly fix: string;
}

/** A port mapping of a container. */
export interface PortMappingModel {
  readonly name?: string;
  readonly containerPort?: number;
  /** `http`, `http2`, `grpc`; `undefined` when unknown; `''` when the mapping has none (TCP). */
  readonly appProtocol?: string;
}

/** A container of a task definition. */
export interface ContainerModel {
  readonly name?: string;
  readonly cpu?: number;
  readonly memory?: number;
  readonly memoryReservation?: number;
  readonly portMappings: readonly PortMappingModel[];
  /** Plain environment variables (value `undefined` when not a literal). */
  readonly environment: ReadonlyArray<{ readonly name: string; readonly value?: string }>;
}

/** A task definition. */
export interface TaskDefinitionModel {
  readonly key: string;
  readonly at: ModelLocation;
  /** Task CPU units; `null` when the template sets none, `undefined` when unresolved. */
  readonly cpu?: number | null;
  /** Task memory in MiB; `null` when the template sets none, `undefined` when unresolved. */
  readonly memory?: number | null;
  readonly fargate: boolean;
  readonly containers: readonly ContainerModel[];
  /** Set when some containers or port mappings are known only at deployment (an undecided `Fn::If`, a parameter). */
  readonly containersUnknown?: boolean;
}

/** One entry of `ServiceConnectConfiguration.Services`. */
export interface ScEntryModel {
  readonly index: number;
  readonly portName?: string;
  readonly discoveryName?: string;
  readonly dnsName?: string;
  readonly clientPort?: number;
  readonly ingressPortOverride?: number;
  readonly perRequestTimeout?: number;
}

/** How a service or cluster names its namespace. */
export interface NamespaceRefModel {
  /** The namespace's identity (a resource key or a literal ARN), when known. */
  readonly key?: string;
  /** Its name, when known. */
  readonly name?: string;
  /** Set when the value is not an ARN where one is needed: what was given instead (a cluster default's name, a namespace id). */
  readonly notArn?: string;
  /** Set when a service names its namespace by a name that no namespace of the source has. */
  readonly byName?: string;
  /** Set when a service names a namespace of its own template without depending on it (the name alone orders nothing). */
  readonly unordered?: string;
  readonly at: ModelLocation;
}

/** An ECS service with Service Connect enabled. */
export interface ServiceModel2 {
  readonly key: string;
  readonly at: ModelLocation;
  readonly stack: string;
  readonly serviceName?: string;
  /** How a graph names it (a construct path or the logical id). */
  readonly label: string;
  readonly clusterKey?: string;
  readonly clusterLabel: string;
  readonly launchType?: string;
  readonly fargate: boolean;
  readonly platformVersion?: string;
  readonly controller?: string;
  readonly deployment?: Record<string, unknown>;
  readonly namespace?: NamespaceRefModel;
  readonly entries: readonly ScEntryModel[];
  readonly logConfiguration: boolean;
  readonly accessLog: boolean;
  readonly taskDefinition?: TaskDefinitionModel;
  readonly securityGroups: readonly string[];
  /** Where this service comes from a construct of this library (its own checks ran already). */
  readonly library?: boolean;
}

/** A cluster. */
export interface ClusterModel {
  readonly key: string;
  readonly at: ModelLocation;
  readonly namespace?: NamespaceRefModel;
}

/** An ingress rule of a security group. */
export interface IngressModel {
  readonly at: ModelLocation;
  readonly groupKey?: string;
  readonly sourceKey?: string;
  readonly fromPort?: number;
  readonly toPort?: number;
}

/** A metric an alarm or a dashboard uses. */
export interface MetricUseModel {
  readonly at: ModelLocation;
  readonly namespace?: string;
  readonly metricName?: string;
  /** The dimension names; `undefined` when unknown. */
  readonly dimensions?: readonly string[];
  readonly kind: 'alarm' | 'dashboard';
}

/** The whole model. */
export interface AppModel {
  readonly clusters: readonly ClusterModel[];
  readonly services: readonly ServiceModel2[];
  /** Namespaces created by the source: key → name. */
  readonly namespaces: ReadonlyMap<string, string | undefined>;
  readonly ingress: readonly IngressModel[];
  readonly metrics: readonly MetricUseModel[];
}

function finding(rule: RuleId, at: ModelLocation, value: unknown, detail: string, fix: string): AppFinding {
  return { rule, level: RULES[rule].level, at, value, detail, fix };
}

const sub = (at: ModelLocation, path: string): ModelLocation => ({ ...at, path: at.path ? `${at.path}.${path}` : path });

/** The port mapping a Service Connect entry names, if the task definition is known. */
export function mappingOf(service: ServiceModel2, portName: string | undefined): PortMappingModel | undefined {
  if (portName === undefined) return undefined;
  for (const c of service.taskDefinition?.containers ?? []) {
    for (const m of c.portMappings) if (m.name === portName) return m;
  }
  return undefined;
}

/** The protocol of an entry's port, when known. */
export function protocolOf(mapping: PortMappingModel | undefined): ServiceConnectProtocol | undefined {
  switch (mapping?.appProtocol) {
    case '': return ServiceConnectProtocol.TCP;
    case 'http': return ServiceConnectProtocol.HTTP;
    case 'http2': return ServiceConnectProtocol.HTTP2;
    case 'grpc': return ServiceConnectProtocol.GRPC;
    default: return undefined;
  }
}

/** The Service Connect ports of a service in the namespace model's terms. */
export function portsOf(service: ServiceModel2, namespaceName: string | undefined): PortModel[] {
  return service.entries.filter((e) => e.portName !== undefined).map((e) => {
    const mapping = mappingOf(service, e.portName);
    const discoveryName = e.discoveryName ?? e.portName;
    return {
      portName: e.portName!,
      discoveryName,
      dnsName: e.dnsName ?? (e.clientPort !== undefined && namespaceName !== undefined ? `${discoveryName}.${namespaceName}` : undefined),
      clientPort: e.clientPort,
      listenerPort: e.ingressPortOverride ?? mapping?.containerPort,
      protocol: protocolOf(mapping),
    };
  });
}

/** The namespace a service joins: its own, or its cluster's default. */
export function namespaceOf(model: AppModel, service: ServiceModel2): NamespaceRefModel | undefined {
  return service.namespace ?? model.clusters.find((c) => c.key === service.clusterKey)?.namespace;
}

/** The namespaces of the model with their services, in declaration order. */
export function namespacesOf(model: AppModel): Array<{ key: string; name?: string; services: ServiceModel2[] }> {
  const byKey = new Map<string, { key: string; name?: string; services: ServiceModel2[] }>();
  for (const s of model.services) {
    const ns = namespaceOf(model, s);
    const key = ns?.key ?? (ns?.name !== undefined ? `name:${ns.name}` : undefined);
    if (key === undefined) continue;
    let entry = byKey.get(key);
    if (!entry) {
      entry = { key, name: ns?.name ?? model.namespaces.get(key), services: [] };
      byKey.set(key, entry);
    }
    entry.services.push(s);
  }
  return [...byKey.values()];
}

/** Runs every rule over the model. */
export function checkApp(model: AppModel): AppFinding[] {
  const findings: AppFinding[] = [];
  for (const c of model.clusters) namespaceByName(c.namespace, findings);
  for (const s of model.services) {
    namespaceByName(s.namespace, findings);
    checkService(s, findings);
  }
  checkNamespaces(model, findings);
  checkIngress(model, findings);
  checkMetrics(model, findings);
  return findings;
}

function namespaceByName(ns: NamespaceRefModel | undefined, findings: AppFinding[]): void {
  if (ns?.byName !== undefined) {
    findings.push(finding('namespace-by-name', ns.at, ns.byName,
      'the service names its namespace, and no namespace of these templates has that name: ECS looks it up in the ' +
      'service\'s account and Region when it creates the service, and fails when there is none (a namespace shared from another account is found only by ARN).',
      'pass the namespace\'s ARN (!GetAtt <Namespace>.Arn or its export; with aws-cdk-lib, serviceConnectConfiguration: { namespace: ns.namespaceArn }), ' +
      'or make sure a namespace of that name exists in this account and Region before the service is deployed.'));
  }
  if (ns?.unordered !== undefined) {
    findings.push(finding('namespace-order', ns.at, ns.unordered,
      'the service names a namespace its template creates, but neither refers to it nor depends on it (nor does its cluster): ' +
      'CloudFormation may create the service first, and ECS then finds no namespace of that name.',
      'pass the namespace\'s ARN (!GetAtt <Namespace>.Arn), or add DependsOn: <Namespace> to the service.'));
  }
  if (ns?.notArn === undefined) return;
  if (!ns.at.path.startsWith('ServiceConnectDefaults')) {
    findings.push(finding('namespace-arn', ns.at, ns.notArn,
      'the service gives its namespace by id: ECS takes a namespace\'s name or ARN, looks the id up as a name and finds no namespace, so the service is not created.',
      'pass the namespace\'s ARN (!GetAtt <Namespace>.Arn) instead of its id.'));
    return;
  }
  findings.push(finding('namespace-arn', ns.at, ns.notArn,
    'the namespace is given by name (or id), not by ARN: ECS looks a namespace up by that name and, when there is none, ' +
    'creates an HTTP namespace itself, outside CloudFormation (orphaned when the stack is deleted).',
    'create the namespace as a resource (AWS::ServiceDiscovery::HttpNamespace) and pass its ARN (!GetAtt <Namespace>.Arn).'));
}

function checkService(s: ServiceModel2, findings: AppFinding[]): void {
  const sc = sub(s.at, 'ServiceConnectConfiguration');
  const td = s.taskDefinition;
  if (s.accessLog && !s.logConfiguration) {
    findings.push(finding('access-log-configuration', sub(sc, 'AccessLogConfiguration'), 'AccessLogConfiguration',
      'access logs are written through the proxy\'s log configuration, and there is none.',
      'add ServiceConnectConfiguration.LogConfiguration (e.g. the awslogs driver), or remove AccessLogConfiguration.'));
  }
  if (s.controller === 'CODE_DEPLOY' || s.controller === 'EXTERNAL') {
    findings.push(finding('deployment-controller', sub(s.at, 'DeploymentController.Type'), s.controller,
      `Service Connect does not work with the ${s.controller} deployment controller.`,
      'use the ECS controller (rolling, or ECS blue/green, linear and canary deployments).'));
  }
  if (s.fargate && s.platformVersion !== undefined && s.platformVersion !== 'LATEST' && olderThan140(s.platformVersion)) {
    findings.push(finding('platform-version', sub(s.at, 'PlatformVersion'), s.platformVersion,
      'Service Connect needs Fargate platform version 1.4.0 or later.', 'set PlatformVersion to LATEST or 1.4.0, or leave it unset.'));
  }
  checkDeploymentLimits(s, findings);
  s.entries.forEach((e) => {
    const at = sub(sc, `Services[${e.index}]`);
    const mapping = mappingOf(s, e.portName);
    const allNamed = td !== undefined && !td.containersUnknown && td.containers.every((c) => c.portMappings.every((m) => m.name !== undefined));
    if (e.portName !== undefined && td && mapping === undefined && allNamed) {
      const names = td.containers.flatMap((c) => c.portMappings.map((m) => m.name));
      findings.push(finding('port-name-unknown', sub(at, 'PortName'), e.portName,
        `no container of task definition ${td.at.logicalId} has a port mapping of that name (it has ${names.length ? names.map((n) => JSON.stringify(n)).join(', ') : 'none'}).`,
        'name a port mapping of the task definition (PortMappings[].Name), or use its name here.'));
    }
    if (e.perRequestTimeout !== undefined && mapping?.appProtocol === '') {
      findings.push(finding('tcp-per-request-timeout', sub(at, 'Timeout.PerRequestTimeoutSeconds'), e.perRequestTimeout,
        `port mapping ${JSON.stringify(e.portName)} has no AppProtocol (TCP); ECS rejects a per-request timeout on a TCP port at deployment.`,
        'remove PerRequestTimeoutSeconds (use IdleTimeoutSeconds), or set the mapping\'s AppProtocol to http, http2 or grpc.'));
    }
  });
  if (!td) return;
  if (td.memory === null) {
    findings.push(finding('task-memory-missing', sub(td.at, 'Memory'), undefined,
      `the task definition of Service Connect service ${s.at.logicalId} has no task-level memory; the Service Connect proxy is given its memory from the task's.`,
      'set the task definition\'s Memory (and Cpu), leaving at least 64 MiB above what the containers reserve.'));
  }
  if (td.fargate && typeof td.cpu === 'number' && typeof td.memory === 'number' && !isValidFargateSize(td.cpu, td.memory)) {
    findings.push(finding('sizing-invalid', sub(td.at, 'Cpu/Memory'), `${td.cpu}/${td.memory}`,
      'not a valid Fargate task size.', `${describeMemoryChoices(td.cpu)}.`));
  }
  const reservedCpu = td.containers.reduce((sum, c) => sum + (c.cpu ?? 0), 0);
  const reservedMemory = td.containers.reduce((sum, c) => sum + (c.memory ?? c.memoryReservation ?? 0), 0);
  if (typeof td.cpu === 'number' && reservedCpu > 0 && td.cpu - reservedCpu < BASE_PROXY_CPU) {
    findings.push(finding('proxy-headroom', sub(td.at, 'Cpu'), td.cpu,
      `the containers reserve ${reservedCpu} of the task's ${td.cpu} CPU units, leaving the Service Connect proxy ${td.cpu - reservedCpu}; AWS's guidance is ${BASE_PROXY_CPU}.`,
      `make the task ${reservedCpu + BASE_PROXY_CPU} CPU units or more, or give the containers less CPU.`));
  }
  if (typeof td.memory === 'number' && reservedMemory > 0 && td.memory - reservedMemory < BASE_PROXY_MEMORY_MIB) {
    findings.push(finding('proxy-headroom', sub(td.at, 'Memory'), td.memory,
      `the containers reserve ${reservedMemory} of the task's ${td.memory} MiB, leaving the Service Connect proxy ${td.memory - reservedMemory} MiB; AWS's guidance is at least ${BASE_PROXY_MEMORY_MIB} MiB.`,
      `make the task ${reservedMemory + BASE_PROXY_MEMORY_MIB} MiB or more, or give the containers less memory.`));
  }
}

function olderThan140(version: string): boolean {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!m) return false;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return major < 1 || (major === 1 && minor < 4);
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && !isNaN(Number(v)) ? Number(v) : undefined);
const obj = (v: unknown): Record<string, unknown> | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v as Record<string, unknown> : undefined);

/** ECS's deployment limits: healthy percentages, bake times and step sizes, and the 33-hour maximum. */
function checkDeploymentLimits(s: ServiceModel2, findings: AppFinding[]): void {
  const d = s.deployment;
  if (!d) return;
  const at = sub(s.at, 'DeploymentConfiguration');
  const out = (path: string, value: unknown, detail: string, fix: string) =>
    findings.push(finding('deployment-range', sub(at, path), value, detail, fix));
  const min = num(d.MinimumHealthyPercent);
  const max = num(d.MaximumPercent);
  if (min !== undefined && !(Number.isInteger(min) && min >= 0 && min <= 100)) {
    out('MinimumHealthyPercent', min, 'the minimum healthy percent is a whole number from 0 to 100.', 'use e.g. 100.');
  }
  if (max !== undefined && !(Number.isInteger(max) && max >= 100 && max <= 200)) {
    out('MaximumPercent', max, 'with the ECS controller the maximum percent is a whole number from 100 to 200 (Fargate and replica services).', 'use e.g. 200.');
  }
  if (min !== undefined && max !== undefined && min === 100 && max === 100) {
    out('MaximumPercent', max, 'with MinimumHealthyPercent 100 and MaximumPercent 100 a deployment can neither stop nor start a task.', 'use MaximumPercent 200.');
  }
  const bake = num(d.BakeTimeInMinutes);
  const minutes = (v: number | undefined, path: string) => {
    if (v !== undefined && !(Number.isInteger(v) && v >= 0 && v <= 1440)) out(path, v, 'ECS takes whole minutes from 0 to 1440 (24 hours).', 'use e.g. 10.');
  };
  minutes(bake, 'BakeTimeInMinutes');
  const linear = obj(d.LinearConfiguration);
  const canary = obj(d.CanaryConfiguration);
  const strategy = d.Strategy;
  let total: number | undefined;
  if (linear && strategy === 'LINEAR') {
    const step = num(linear.StepPercent);
    const interval = num(linear.StepBakeTimeInMinutes);
    minutes(interval, 'LinearConfiguration.StepBakeTimeInMinutes');
    if (step !== undefined && !(step >= 3 && step <= 100 && Math.abs(Math.round(step * 10) - step * 10) < 1e-9)) {
      out('LinearConfiguration.StepPercent', step, 'a linear deployment shifts 3.0 to 100.0 percent per step, in multiples of 0.1.', 'use e.g. 10.');
    } else if (step !== undefined && interval !== undefined) {
      const steps = Number.isInteger(100 / step) ? 100 / step - 1 : Math.floor(100 / step);
      total = (bake ?? 0) + interval * steps;
    }
  }
  if (canary && strategy === 'CANARY') {
    const percent = num(canary.CanaryPercent);
    const interval = num(canary.CanaryBakeTimeInMinutes);
    minutes(interval, 'CanaryConfiguration.CanaryBakeTimeInMinutes');
    if (percent !== undefined && !(percent >= 0.1 && percent <= 100 && Math.abs(Math.round(percent * 10) - percent * 10) < 1e-9)) {
      out('CanaryConfiguration.CanaryPercent', percent, 'a canary deployment shifts 0.1 to 100.0 percent first, in multiples of 0.1.', 'use e.g. 5.');
    } else if (interval !== undefined) {
      total = (bake ?? 0) + interval;
    }
  }
  if (total !== undefined && total > 33 * 60) {
    out(strategy === 'LINEAR' ? 'LinearConfiguration' : 'CanaryConfiguration', `${total} minutes`,
      'CloudFormation rejects a linear or canary deployment that takes more than 33 hours (bake time + intervals).',
      'shorten the intervals or the bake time, or take larger steps.');
  }
}

/** The namespace-wide rules of `./model.ts`, per namespace of the model. */
function checkNamespaces(model: AppModel, findings: AppFinding[]): void {
  for (const ns of namespacesOf(model)) {
    const byKey = new Map(ns.services.map((s) => [s.key, s]));
    const nsModel: NamespaceModel<string> = {
      name: ns.name,
      createdHere: model.namespaces.has(ns.key),
      services: ns.services.map((s) => ({ ref: s.key, path: `${s.at.template}:${s.at.logicalId}`, ports: portsOf(s, ns.name) })),
      calls: [],
    };
    for (const f of checkNamespace(nsModel)) {
      if (f.level === 'error') {
        const s = byKey.get(f.service)!;
        const entry = s.entries.find((e) => `port ${JSON.stringify(e.portName)}` === f.field);
        findings.push(finding(f.rule, sub(s.at, `ServiceConnectConfiguration.Services[${entry?.index ?? 0}]`), f.value, f.detail, f.fix));
      } else {
        const first = f.service !== undefined ? byKey.get(f.service)! : ns.services[0];
        const [detail, fix] = f.message.split(/:\s*(?=add a service)/);
        findings.push(finding(f.rule, sub(first.at, 'ServiceConnectConfiguration'), ns.name ?? ns.key, `${detail}.`,
          fix ?? 'add a service with Service Connect ports to the namespace, or deploy the servers first.'));
      }
    }
  }
}

/** Ingress rules on a server's security group that open the client alias port instead of the port the proxy listens on. */
function checkIngress(model: AppModel, findings: AppFinding[]): void {
  if (model.ingress.length === 0) return;
  for (const s of model.services) {
    if (s.securityGroups.length === 0) continue;
    const ns = namespaceOf(model, s);
    for (const port of portsOf(s, ns?.name)) {
      if (port.clientPort === undefined || port.listenerPort === undefined || port.clientPort === port.listenerPort) continue;
      for (const rule of model.ingress) {
        if (rule.groupKey === undefined || !s.securityGroups.includes(rule.groupKey)) continue;
        if (rule.fromPort === undefined || rule.toPort === undefined) continue;
        const covers = (p: number) => rule.fromPort! <= p && p <= rule.toPort!;
        if (covers(port.clientPort) && !covers(port.listenerPort)) {
          findings.push(finding('ingress-alias-port', rule.at, `${rule.fromPort}-${rule.toPort}`,
            `this rule opens ${s.at.logicalId}'s client alias port ${port.clientPort} (port ${JSON.stringify(port.portName)}), but its ` +
            `server-side proxy listens on ${port.listenerPort}; callers through Service Connect are refused.`,
            `open port ${port.listenerPort} (the container port or IngressPortOverride) instead.`));
        }
      }
    }
  }
}

const SERVER_DIMENSIONS = [['DiscoveryName'], ['ClusterName', 'DiscoveryName', 'ServiceName']];
const TARGET_DIMENSIONS = [['TargetDiscoveryName'], ['ClusterName', 'ServiceName', 'TargetDiscoveryName']];
const SCOPES = new Map<string, 'server' | 'target'>(Object.values(METRICS).map((m) => [m.metricName, m.scope]));

/** Alarms and dashboards on Service Connect metric names under dimensions that AWS never publishes. */
function checkMetrics(model: AppModel, findings: AppFinding[]): void {
  for (const m of model.metrics) {
    if (m.namespace !== 'AWS/ECS' || m.metricName === undefined || m.dimensions === undefined) continue;
    const scope = SCOPES.get(m.metricName);
    if (!scope) continue;
    const allowed = scope === 'server' ? SERVER_DIMENSIONS : TARGET_DIMENSIONS;
    const dims = [...m.dimensions].sort();
    if (allowed.some((a) => a.length === dims.length && a.every((d, i) => d === dims[i]))) continue;
    const want = scope === 'server' ? 'DiscoveryName' : 'TargetDiscoveryName';
    findings.push(finding('metric-dimensions', m.at, `${m.metricName} by ${dims.length ? dims.join(', ') : '(no dimension)'}`,
      `AWS publishes the Service Connect metric ${m.metricName} only by ${want} (or ${want}, ServiceName, ClusterName); ` +
      `the ${m.kind} watches a metric that never has data.`,
      `use the dimension ${want} with the port's discovery name (the ${scope === 'server' ? 'server' : 'target'} metrics of the service).`));
  }
}
