import { Token } from 'aws-cdk-lib';
import type { Duration } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { checkDeployment } from './deployment';
import {
  ECS_NAME, ENV_NAME, MAX_INSTANCES_PER_SERVICE, MAX_TIMEOUT_SECONDS, SERVICE_NAME, isValidDnsName, isValidPort, isValidServiceConnectName,
  suggestName, timeoutSeconds,
} from './formats';
import { constructKind, Problems, warn } from './problems';
import { checkServiceOptions } from './service-options';
import { checkTls } from './tls';
import type { ServiceConnectEndpoint, ServiceConnectPortOptions } from '../../ports';
import { ServiceConnectProtocol } from '../../ports';
import type { ConnectedFargateServiceProps } from '../../service-props';
import { TracingSidecarKind } from '../../tracing';
import { OTEL_COLLECTOR, XRAY_DAEMON, tracingOf } from '../sidecars';


/** Checks the props and resolved ports of a `ConnectedFargateService`; throws once with every problem. */
export function validateServiceProps(scope: Construct, props: ConnectedFargateServiceProps,
  endpoints: ServiceConnectEndpoint[]): void {
  const problems = new Problems(scope, constructKind(scope));
  const ports = props.ports ?? [];

  checkPorts(problems, ports, endpoints);
  ports.forEach((port, i) => checkTimeouts(scope, problems, port, i));

  if (props.serviceName !== undefined && !Token.isUnresolved(props.serviceName) && !SERVICE_NAME.test(props.serviceName)) {
    problems.add('service-name-format', 'serviceName', props.serviceName,
      'an ECS service name is 1-255 letters, digits, `_` and `-`.',
      `use e.g. ${JSON.stringify(suggestName(props.serviceName, 255))}, or leave serviceName unset.`);
  }
  const count = props.desiredCount;
  if (count !== undefined && !Token.isUnresolved(count) && !(Number.isInteger(count) && count >= 0)) {
    problems.add('desired-count-range', 'desiredCount', count,
      'the desired count is a whole number of tasks, 0 or more.', 'use e.g. 2.');
  } else if (count !== undefined && !Token.isUnresolved(count) && ports.length > 0 && count > MAX_INSTANCES_PER_SERVICE) {
    problems.add('desired-count-cloud-map', 'desiredCount', count,
      `every task of a service with ports is an instance of its Cloud Map service, and Cloud Map allows ${MAX_INSTANCES_PER_SERVICE} ` +
      'instances per service (a quota that cannot be raised); ECS cannot register the tasks beyond it.',
      `use at most ${MAX_INSTANCES_PER_SERVICE} tasks (fewer, larger tasks with EnvoySizing.forApp()), or split the service.`);
  }
  checkContainerName(problems, props);
  checkVariables(scope, problems, props);
  checkDeployment(scope, problems, props);
  checkTls(scope, problems, props);
  checkTracing(scope, problems, props);
  checkServiceOptions(scope, problems, props, endpoints);
  problems.throwIfAny();
}

function checkPorts(problems: Problems, ports: ServiceConnectPortOptions[], endpoints: ServiceConnectEndpoint[]): void {
  const seenNames = new Map<string, number>();
  const seenContainerPorts = new Map<number, number>();
  const seenDiscovery = new Map<string, number>();
  const seenAlias = new Map<string, number>();
  const containerPorts = new Set(ports.map((p) => p.containerPort));

  ports.forEach((port, i) => {
    const at = `ports[${i}]`;
    const ep = endpoints[i];
    if (!isValidServiceConnectName(port.name)) {
      problems.add('port-name-format', `${at}.name`, port.name,
        'a port name is 1-64 characters of lowercase letters, digits, `_` and `-`, not starting with `-`.',
        `use e.g. ${JSON.stringify(suggestName(port.name))}.`);
    }
    firstSeen(seenNames, port.name, i, (j) => problems.add('port-name-unique', `${at}.name`, port.name,
      `ports[${j}] has the same name; port names name the task definition's port mappings and must be unique.`,
      'give each port its own name, e.g. "<service>-http" and "<service>-grpc".'));

    for (const [field, value] of [['containerPort', port.containerPort], ['clientPort', port.clientPort],
      ['ingressPortOverride', port.ingressPortOverride]] as Array<[string, number | undefined]>) {
      if (value !== undefined && !isValidPort(value)) {
        problems.add('port-range', `${at}.${field}`, value, 'a port is a whole number from 1 to 65535.', 'use a port in that range, e.g. 8080.');
      }
    }
    firstSeen(seenContainerPorts, port.containerPort, i, (j) => problems.add('container-port-unique', `${at}.containerPort`,
      port.containerPort, `ports[${j}] uses the same container port.`,
      'offer one container port once; to publish it under another name use its `dnsName`/`clientPort`.'));
    if (port.ingressPortOverride !== undefined && containerPorts.has(port.ingressPortOverride)) {
      problems.add('ingress-port-clash', `${at}.ingressPortOverride`, port.ingressPortOverride,
        'the server-side proxy would listen on a port the application container already uses.',
        'pick a port that no container of the task listens on, or leave ingressPortOverride unset.');
    }

    if (!isValidServiceConnectName(ep.discoveryName)) {
      const from = port.discoveryName !== undefined ? 'discoveryName' : (i === 0 && ep.discoveryName !== port.name ?
        'discoveryName (defaulted from serviceName)' : 'discoveryName (defaulted from the port name)');
      problems.add('discovery-name-format', `${at}.${from}`, ep.discoveryName,
        'a discovery name is 1-64 characters of lowercase letters, digits, `_` and `-`, not starting with `-`.',
        `set ports[${i}].discoveryName, e.g. ${JSON.stringify(suggestName(ep.discoveryName))}.`);
    }
    firstSeen(seenDiscovery, ep.discoveryName, i, (j) => problems.add('discovery-name-unique', `${at}.discoveryName`,
      ep.discoveryName, `ports[${j}] registers the same discovery name; each port needs its own Cloud Map service.`,
      'give the ports different discoveryName values.'));

    // A dnsName defaulted from a bad discovery name is the same mistake: report it once.
    const dnsFromBadDiscovery = port.dnsName === undefined && !isValidServiceConnectName(ep.discoveryName);
    if (!dnsFromBadDiscovery && !isValidDnsName(ep.dnsName)) {
      problems.add('dns-name-format', `${at}.dnsName`, ep.dnsName,
        'a client alias is a DNS name of at most 127 characters: lowercase letters, digits, `_`, `-` and `.`, not starting ' +
        'with `-`, with no empty label and no label over 63 characters.',
        `use e.g. ${JSON.stringify(suggestName(ep.dnsName, 127))}.`);
    }
    const alias = `${ep.dnsName}:${ep.clientPort}`;
    // an alias with a token is checked at deployment
    if (Token.isUnresolved(ep.dnsName) || Token.isUnresolved(ep.clientPort)) return;
    firstSeen(seenAlias, alias, i, (j) => problems.add('client-alias-unique', `${at}.dnsName:clientPort`, alias,
      `ports[${j}] already publishes this alias; clients could not tell the two apart.`,
      'give one of them another dnsName or clientPort.'));
  });
}

function checkContainerName(problems: Problems, props: ConnectedFargateServiceProps): void {
  const name = props.containerName;
  if (name === undefined || Token.isUnresolved(name)) return;
  if (!ECS_NAME.test(name)) {
    problems.add('container-name-format', 'containerName', name, 'an ECS container name is 1-255 letters, digits, `_` and `-`.',
      `use e.g. ${JSON.stringify(suggestName(name, 255))}, or leave containerName unset ("app").`);
  } else {
    const tracing = tracingOf(props);
    const sidecar = tracing === undefined ? undefined :
      tracing.kind === TracingSidecarKind.XRAY_DAEMON ? XRAY_DAEMON.containerName : OTEL_COLLECTOR.containerName;
    if (name === sidecar) {
      problems.add('container-name-unique', 'containerName', name,
        'the tracing sidecar the library adds has that name; ECS rejects a task definition with two containers of one name.',
        'choose another containerName, e.g. "app".');
    }
  }
}

function checkTimeouts(scope: Construct, problems: Problems, port: ServiceConnectPortOptions, i: number): void {
  const at = `ports[${i}]`;
  const seconds: Record<string, number | undefined> = {};
  for (const [field, value] of [['idleTimeout', port.idleTimeout], ['perRequestTimeout', port.perRequestTimeout]] as Array<[string, Duration | undefined]>) {
    if (value === undefined) continue;
    if (value.isUnresolved()) {
      if (timeoutSeconds(value) === undefined) {
        problems.add('duration-token-unit', `${at}.${field}`, value,
          'the timeout is known only at deployment and not in seconds; Service Connect takes seconds, and CloudFormation cannot convert.',
          'pass it in seconds: Duration.seconds(<token>) (e.g. a CfnParameter of the timeout in seconds).');
      }
      continue;
    }
    const ms = value.toMilliseconds({ integral: false });
    if (!Number.isInteger(ms / 1000) || ms < 0 || ms / 1000 > MAX_TIMEOUT_SECONDS) {
      problems.add('timeout-whole-seconds', `${at}.${field}`, value,
        'Service Connect timeouts are whole seconds from 0 (disabled) to 2147483647.',
        `use e.g. Duration.seconds(${Math.max(0, Math.ceil(ms / 1000))}).`);
    } else {
      seconds[field] = ms / 1000;
    }
  }
  if (port.perRequestTimeout !== undefined && port.protocol === ServiceConnectProtocol.TCP) {
    problems.add('tcp-per-request-timeout', `${at}.perRequestTimeout`, port.perRequestTimeout,
      'a per-request timeout needs an HTTP, HTTP2 or GRPC port; ECS rejects it on TCP ports at deployment.',
      'remove perRequestTimeout (use idleTimeout), or set protocol to HTTP, HTTP2 or GRPC.');
  }
  const idle = seconds.idleTimeout;
  const perRequest = seconds.perRequestTimeout;
  if (idle !== undefined && perRequest !== undefined && idle > 0 && perRequest > 0 && idle < perRequest) {
    warn(scope, 'idle-below-per-request',
      `${at}: idleTimeout (${idle}s) is below perRequestTimeout (${perRequest}s); connections close at the idle timeout, so ` +
      'requests longer than that fail before their per-request timeout.');
  }
}

const SECRET_LIKE = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;

function checkVariables(scope: Construct, problems: Problems, props: ConnectedFargateServiceProps): void {
  const looksSecret = Object.keys(props.environment ?? {}).filter((n) => !Token.isUnresolved(n) && SECRET_LIKE.test(n));
  if (looksSecret.length > 0) {
    warn(scope, 'env-looks-secret', `environment ${looksSecret.map((n) => JSON.stringify(n)).join(', ')} ` +
      `${looksSecret.length === 1 ? 'is' : 'are'} named like a secret but passed in plain text (visible in the task definition). ` +
      'Pass secrets with `secrets` (ecs.Secret.fromSecretsManager / fromSsmParameter).');
  }
  const env = Object.keys(props.environment ?? {});
  const secrets = Object.keys(props.secrets ?? {});
  for (const [field, names] of [['environment', env], ['secrets', secrets]] as Array<[string, string[]]>) {
    for (const name of names) {
      if (!Token.isUnresolved(name) && !ENV_NAME.test(name)) {
        problems.add('env-name-format', `${field}[${JSON.stringify(name)}]`, name,
          'an environment variable name is not empty and has no `=` (the container would see the part after `=` as the value).',
          name === '' ? 'give the variable a name.' : `use e.g. ${JSON.stringify(name.replace(/[=\0]/g, '_'))}.`);
      }
    }
  }
  for (const name of secrets.filter((n) => env.includes(n))) {
    problems.add('env-name-clash', `secrets[${JSON.stringify(name)}]`, name,
      'the same variable is also in `environment`; the container would get two definitions.',
      'keep it in one of the two.');
  }
}

/** A `sizing` of the user's own must leave the tracing sidecar its share; `tracing` and `xrayTracing` agree; the X-Ray daemon warns. */
export function checkTracing(scope: Construct, problems: Problems, props: ConnectedFargateServiceProps): void {
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  if (props.xrayTracing === true && props.tracing && props.tracing.kind !== TracingSidecarKind.XRAY_DAEMON) {
    problems.add('tracing-exclusive', 'xrayTracing', props.xrayTracing,
      '`tracing` chooses the OpenTelemetry collector, and the deprecated `xrayTracing` the X-Ray daemon: a task runs one tracing sidecar.',
      'keep `tracing` and remove `xrayTracing`.');
  }
  const tracing = tracingOf(props);
  if (!tracing) return;
  const name = tracing.kind === TracingSidecarKind.XRAY_DAEMON ? 'the X-Ray daemon' : 'the OpenTelemetry collector';
  const sizing = props.sizing;
  if (sizing && (sizing.sidecarCpu < tracing.cpu || sizing.sidecarMemoryMiB < tracing.memoryMiB)) {
    problems.add('tracing-sizing', 'sizing', sizing.toString(),
      `${name} needs ${tracing.cpu} CPU units and ${tracing.memoryMiB} MiB inside the task, but the sizing reserves ${sizing.sidecarCpu} CPU units and ` +
      `${sizing.sidecarMemoryMiB} MiB for sidecars.`,
      `add \`sidecarCpu: ${tracing.cpu}, sidecarMemoryMiB: ${tracing.memoryMiB}\` to EnvoySizing.forApp()/forTask(), or leave \`sizing\` unset.`);
  }
  if (tracing.kind === TracingSidecarKind.XRAY_DAEMON) {
    warn(scope, 'xray-daemon-deprecated', 'this service runs the AWS X-Ray daemon, whose support (with the X-Ray SDKs\') AWS ends on 2027-02-25. ' +
      'Instrument the app with OpenTelemetry and use tracing: ServiceConnectTracing.openTelemetry() (the AWS Distro for OpenTelemetry collector, ' +
      'which exports to the same AWS X-Ray).');
  }
}

/** Calls `onDuplicate` with the first index when `key` was seen before. */
export function firstSeen<K>(seen: Map<K, number>, key: K, index: number, onDuplicate: (firstIndex: number) => void): void {
  const first = seen.get(key);
  if (first !== undefined) {
    onDuplicate(first);
  } else {
    seen.set(key, index);
  }
}

/**
 * Checks that a service's `cluster` is a Service Connect cluster (a `ServiceConnectCluster` or the
 * result of `fromClusterAttributes`), before anything reads it: from JavaScript an `ecs.Cluster`
 * or a plain object would otherwise fail with a TypeError deep inside the construct.
 */
export function validateServiceCluster(scope: Construct, cluster: unknown): void {
  type Given = { cluster?: { clusterArn?: unknown }; namespace?: { namespaceArn?: unknown }; vpc?: unknown; clusterArn?: unknown };
  const given = cluster as Given | undefined;
  const ok = typeof given === 'object' && given !== null && typeof given.cluster === 'object' && given.cluster !== null &&
    given.cluster.clusterArn !== undefined && typeof given.namespace === 'object' && given.namespace !== null && given.vpc !== undefined;
  if (ok) return;
  const problems = new Problems(scope, constructKind(scope));
  const isEcsCluster = typeof given === 'object' && given !== null && given.clusterArn !== undefined;
  problems.add('service-cluster', 'cluster', isEcsCluster ? 'an ecs.ICluster' : given === undefined || given === null ? given : typeof given,
    isEcsCluster
      ? 'an ECS cluster alone does not say which Service Connect namespace the service joins.'
      : 'the service needs a Service Connect cluster: the ECS cluster, its VPC and the namespace.',
    'pass a ServiceConnectCluster, or ServiceConnectCluster.fromClusterAttributes(this, \'Cluster\', { cluster, namespace }) for a cluster another app owns.');
  problems.throwIfAny();
}
