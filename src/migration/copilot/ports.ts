import { ServiceConnectProtocol } from '../../ports';
import type { FindingCode } from '../findings';
import type { MigratedCapacityProvider, MigratedPort } from '../types';
import { FindingSeverity } from '../types';
import { isObject, num, str } from '../util';

/** Records a finding (code, severity, subject, feature, detail, recommendation). */
export type Report = (code: FindingCode, severity: FindingSeverity, subject: string, feature: string, detail: string, recommendation: string) => void;

/** A service manifest after interpolation and the environment's overrides. */
export interface ParsedService {
  readonly name: string;
  readonly type: string;
  readonly file: string;
  readonly m: Record<string, unknown>;
  readonly connect: boolean;
  readonly alias?: string;
}

/** The Service Connect port Copilot rendered: `target` on the target container's port, `<svc>-sc`, alias `<svc>` (or connect.alias). */
export function servicePorts(p: ParsedService, subject: string, report: Report): MigratedPort[] {
  const { m, name } = p;
  const image = isObject(m.image) ? m.image : {};
  const http = isObject(m.http) ? m.http : undefined;
  const sidecars = isObject(m.sidecars) ? m.sidecars : {};
  const sidecarPort = (c: string) => parsePort(isObject(sidecars[c]) ? (sidecars[c] as Record<string, unknown>).port : undefined);
  const main = parsePort(image.port);
  let target = p.type === 'Worker Service' ? undefined : main;
  let container = name;
  const targetContainer = str(http?.target_container);
  const targetPort = parsePort(http?.target_port);
  if (http && p.type !== 'Worker Service') {
    if (targetPort === undefined && targetContainer !== undefined && targetContainer !== name) {
      container = targetContainer;
      target = sidecarPort(targetContainer);
    } else if (targetPort !== undefined) {
      target = { port: targetPort.port, protocol: 'tcp' };
      container = targetContainer ?? (main?.port === targetPort.port ? name
        : Object.keys(sidecars).find((c) => sidecarPort(c)?.port === targetPort.port) ?? name);
    }
  }
  if (p.type === 'Worker Service' && main !== undefined) {
    report('worker-port', FindingSeverity.INFO, subject, 'worker with a port',
      `the worker exposes port ${main.port}; Copilot registered no Service Connect endpoint for a Worker Service (client only).`,
      'The plan keeps it client-only too; add a port if other services must call it.');
  }
  if (image.port !== undefined && main === undefined) {
    report('invalid-port', FindingSeverity.WARNING, subject, 'image.port', `image.port is ${JSON.stringify(image.port)}, not a port number (1-65535).`,
      'No Service Connect port is generated from it: fix the manifest and rerun.');
  }
  if (!target) return [];
  if (target.protocol === 'udp') {
    report('udp-port', FindingSeverity.WARNING, subject, 'UDP port', `the target port ${target.port} is UDP, which Service Connect does not proxy.`,
      'The plan makes the service client-only; keep UDP traffic on the task IPs (Cloud Map) or a Network Load Balancer.');
    return [];
  }
  if (container !== name) {
    const sc = isObject(sidecars[container]) ? sidecars[container] as Record<string, unknown> : {};
    report('target-container', FindingSeverity.WARNING, subject, 'sidecar serves the port',
      `http.target_container is ${container}: Copilot served port ${target.port} (Service Connect and the load balancer) from that sidecar${str(sc.image) ? ` (${str(sc.image)})` : ''}.`,
      `The plan keeps port ${target.port}: it declares the port mapping "target" on the app container, and since awsvpc tasks share one network ` +
      `namespace the proxy reaches whichever container listens on it. Add the sidecar after the service: service.taskDefinition.addContainer(${JSON.stringify(container)}, ` +
      `{ image: ecs.ContainerImage.fromRegistry(${JSON.stringify(str(sc.image) ?? 'REPLACE_ME')}), essential: true, logging: ecs.LogDrivers.awsLogs({ streamPrefix: ${JSON.stringify(container)} }) }) ` +
      'and reserve its CPU and memory with EnvoySizing.forApp({ ..., sidecarCpu, sidecarMemoryMiB }).');
  }
  const version = (str(http?.version) ?? '').toLowerCase();
  const protocol = version === 'grpc' ? ServiceConnectProtocol.GRPC : version === 'http2' ? ServiceConnectProtocol.HTTP2
    : version === 'http1' ? ServiceConnectProtocol.HTTP : ServiceConnectProtocol.TCP;
  if (protocol === ServiceConnectProtocol.TCP) {
    report('protocol', FindingSeverity.INFO, subject, 'TCP proxying kept',
      p.connect ? `Copilot set no appProtocol on the "target" port mapping, so its Service Connect proxies handled port ${target.port} as TCP; the plan keeps TCP.`
        : `Copilot served port ${target.port} without Service Connect (Cloud Map service discovery only); the plan proxies it as TCP, which passes any protocol through unchanged.`,
      'TCP has no HTTP metrics (HTTPCode_Target_*), retries on 503 or per-request timeouts. If the port speaks HTTP, set protocol: ServiceConnectProtocol.HTTP ' +
      'now: appProtocol cannot change later without recreating the service.');
  } else {
    report('protocol', FindingSeverity.INFO, subject, `${protocol} proxying`,
      `http.version is ${version}: the plan sets appProtocol ${protocol} where Copilot's Service Connect proxied TCP.`,
      'Service Connect now parses the traffic (HTTP metrics and retries); keep ServiceConnectProtocol.TCP instead if the proxy must stay a plain TCP relay.');
  }
  if (!p.connect) {
    report('connect-off', FindingSeverity.INFO, subject, 'network.connect off',
      'the service did not use Service Connect in Copilot.', 'It joins the namespace now (harmless: nothing calls it through Service Connect until you add connectTo).');
  }
  // Copilot's DiscoveryName: !Join ["-", [WorkloadName, "sc"]]; Cloud Map takes at most 64 characters.
  let discoveryName = `${name}-sc`;
  if (discoveryName.length > 64) {
    discoveryName = `${name.slice(0, 61).replace(/-+$/, '')}-sc`;
    report('discovery-name', FindingSeverity.WARNING, subject, 'discovery name', `${name}-sc, Copilot's discovery name for the service, is longer than 64 characters.`,
      `The plan uses ${discoveryName}; clients dial the alias, which is unchanged.`);
  }
  let dnsName = p.alias ?? name;
  if (!validAlias(dnsName)) {
    report('invalid-alias', FindingSeverity.WARNING, subject, 'network.connect.alias', `the alias ${JSON.stringify(dnsName)} is not a valid Service Connect DNS name.`,
      `The plan uses the service name ${name}; fix the alias (lowercase letters, digits, '.', '_', '-') and rerun to keep it.`);
    dnsName = name;
  }
  return [{
    name: 'target',
    containerPort: target.port,
    protocol,
    discoveryName,
    dnsName,
    clientPort: target.port,
  }];
}

/** `count`: a number, or `range` / scaling targets / `spot` (Copilot's union: an override replaces the other members). */
export function taskCount(
  m: Record<string, unknown>, subject: string, report: Report,
): { desiredCount?: number; capacityProviders?: MigratedCapacityProvider[] } {
  if (typeof m.count === 'number' || num(m.count) !== undefined) return { desiredCount: num(m.count) };
  if (!isObject(m.count)) {
    report('count-default', FindingSeverity.INFO, subject, 'task count', 'count is not set (Copilot\'s default is 1 task).',
      'The generated service runs the library\'s default of 2 tasks so that callers keep a healthy task during deployments.');
    return {};
  }
  const c = m.count;
  const spot = num(c.spot);
  const range = c.range;
  const min = isObject(range) ? num(range.min) : num(str(range)?.split('-')[0]);
  const max = isObject(range) ? num(range.max) : num(str(range)?.split('-')[1]);
  const spotFrom = isObject(range) ? num(range.spot_from) : undefined;
  let capacityProviders: MigratedCapacityProvider[] | undefined;
  if (spot !== undefined || spotFrom !== undefined) {
    // Copilot's convertCapacityProviders: FARGATE_SPOT weight 1, and FARGATE base spot_from - 1 when scaling from a range.
    capacityProviders = [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }];
    if (spotFrom !== undefined && spotFrom >= (min ?? 0)) capacityProviders.push({ capacityProvider: 'FARGATE', weight: 0, base: Math.max(0, spotFrom - 1) });
    const strategy = capacityProviders.map((s) => `{ capacityProvider: '${s.capacityProvider}', weight: ${s.weight}${s.base !== undefined ? `, base: ${s.base}` : ''} }`).join(', ');
    report('fargate-spot', FindingSeverity.WARNING, subject, 'Fargate Spot',
      spot !== undefined ? `count.spot is ${spot}: Copilot ran ${spot} task(s) on FARGATE_SPOT.` : `count.range.spot_from is ${spotFrom}: Copilot ran the tasks from number ${spotFrom} on FARGATE_SPOT.`,
      `The generated service runs on FARGATE; the plan carries the strategy [${strategy}]. To keep Spot, give the service ` +
      `capacityProviderStrategies: [${capacityProviders.map((s) => `{ capacityProvider: '${s.capacityProvider}', weight: ${s.weight}${s.base !== undefined ? `, base: ${s.base}` : ''} }`).join(', ')}] ` +
      '(the ServiceConnectCluster enables the Fargate capacity providers it needs).');
  }
  const targets = ['cpu_percentage', 'memory_percentage', 'requests', 'response_time'].filter((k) => c[k] !== undefined);
  if (range !== undefined || targets.length > 0) {
    report('autoscaling', FindingSeverity.WARNING, subject, 'auto scaling',
      `count is ${JSON.stringify(c)}.`,
      `The generated service starts with the lower bound (${min ?? 'unknown'}). Give the service autoScaling: { minCapacity: ${min ?? 1}, maxCapacity: ${max ?? min ?? 1} } ` +
      'and, for Copilot\'s cpu_percentage, targetCpuUtilizationPercent (memory, requests and response_time targets: add policies on service.scaling).');
  }
  return { desiredCount: spot ?? min, capacityProviders };
}

/** The client-alias format Service Connect (and the library's validation) accepts. */
function validAlias(name: string): boolean {
  return name.length <= 127 && /^[a-z0-9_.-]+$/.test(name) && !name.startsWith('-') && name.split('.').every((l) => l.length >= 1 && l.length <= 63);
}

/** A port as Copilot writes it: `8080`, `"8080"`, `8080/tcp`, `53/udp`. */
function parsePort(v: unknown): { port: number; protocol: string } | undefined {
  const s = str(v);
  const m = s ? /^\s*(\d+)(?:\/(tcp|udp))?\s*$/i.exec(s) : null;
  const port = m ? Number(m[1]) : 0;
  return m && port >= 1 && port <= 65535 ? { port, protocol: (m[2] ?? 'tcp').toLowerCase() } : undefined;
}

