import { Duration, Token } from 'aws-cdk-lib';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';
import type { ServiceConnectCluster, ServiceConnectClusterProps } from '../cluster';
import { DeploymentKind } from '../deployment';
import { firstOwner } from '../namespace-registry';
import { schemeOf, ServiceConnectEndpoint, ServiceConnectPortOptions, ServiceConnectProtocol, urlVariableFor } from '../ports';
import { isValidCaArn } from '../private/cluster-tls';
import type { ConnectedFargateService, ConnectedFargateServiceProps, ConnectToExternalOptions, ConnectToOptions } from '../service';
import { NAMESPACE_ARN, isValidDnsName, isValidPort, isValidServiceConnectName, Problems, suggestName, warn } from './core';

const KIND_SERVICE = 'ConnectedFargateService';
const MAX_TIMEOUT_SECONDS = 2147483647;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SERVICE_NAME = /^[A-Za-z0-9_-]{1,255}$/;

/** Checks the props of a `ServiceConnectCluster`. */
export function validateClusterProps(scope: Construct, props: ServiceConnectClusterProps): void {
  const problems = new Problems(scope, 'ServiceConnectCluster');
  if (props.namespace && props.namespaceName !== undefined) {
    problems.add('namespace-exclusive', 'namespaceName', props.namespaceName,
      'both `namespace` and `namespaceName` are set; the cluster uses one namespace, either an existing one or a new one.',
      'remove `namespaceName` to use the given namespace, or remove `namespace` to create a new one with that name.');
  }
  const arn = props.namespace?.namespaceArn;
  if (props.namespace && (arn === undefined || arn === '' || (!Token.isUnresolved(arn) && !NAMESPACE_ARN.test(arn)))) {
    problems.add('namespace-arn', 'namespace.namespaceArn', arn,
      'the cluster refers to an existing namespace by ARN; without one ECS would look the namespace up by name and, ' +
      'failing that, create a new one outside CloudFormation (and a namespace shared from another account is only found by ARN).',
      'import it with its ARN: SharedNamespace.fromArn(...) or servicediscovery.HttpNamespace.fromHttpNamespaceAttributes({ namespaceArn, ... }).');
  }
  const name = props.namespaceName;
  if (name !== undefined && !Token.isUnresolved(name) && !/^[!-~]{1,1024}$/.test(name)) {
    problems.add('namespace-name-format', 'namespaceName', name,
      'a Cloud Map namespace name is 1-1024 printable ASCII characters without spaces.',
      'use a name like "production.internal".');
  }
  problems.throwIfAny();
}

/** Checks the props and resolved ports of a `ConnectedFargateService`; throws once with every problem. */
export function validateServiceProps(scope: Construct, props: ConnectedFargateServiceProps,
  endpoints: ServiceConnectEndpoint[]): void {
  const problems = new Problems(scope, KIND_SERVICE);
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
  }
  checkVariables(scope, problems, props);
  checkFeatures(scope, problems, props);
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
    firstSeen(seenAlias, alias, i, (j) => problems.add('client-alias-unique', `${at}.dnsName:clientPort`, alias,
      `ports[${j}] already publishes this alias; clients could not tell the two apart.`,
      'give one of them another dnsName or clientPort.'));
  });
}

function checkTimeouts(scope: Construct, problems: Problems, port: ServiceConnectPortOptions, i: number): void {
  const at = `ports[${i}]`;
  const seconds: Record<string, number | undefined> = {};
  for (const [field, value] of [['idleTimeout', port.idleTimeout], ['perRequestTimeout', port.perRequestTimeout]] as Array<[string, Duration | undefined]>) {
    if (value === undefined || Token.isUnresolved(value.toMilliseconds({ integral: false }))) continue;
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

const HEADER_NAME = /^[a-z0-9][a-z0-9-]*$/;

function checkDeployment(scope: Construct, problems: Problems, props: ConnectedFargateServiceProps): void {
  const deployment = props.deployment;
  const ports = props.ports ?? [];
  if (deployment?.shiftsTraffic && ports.length === 0) {
    problems.add('deployment-client-only', 'deployment', deployment.kind,
      'this service is client-only: there is no server traffic to shift between revisions.',
      'use ServiceConnectDeployment.rolling() (the default), or give the service `ports`.');
  }
  if (deployment) {
    const percent = deployment.stepPercent;
    const [min, field] = deployment.kind === DeploymentKind.LINEAR ? [3, 'stepPercent'] : [0.1, 'canaryPercent'];
    if (percent !== undefined && !Token.isUnresolved(percent) &&
      (!(percent >= min && percent <= 100) || Math.abs(Math.round(percent * 10) - percent * 10) > 1e-9)) {
      problems.add('deployment-range', `deployment.${field}`, percent,
        `a ${deployment.kind.toLowerCase()} deployment shifts ${min.toFixed(1)} to 100.0 percent, in multiples of 0.1.`,
        `use e.g. ${deployment.kind === DeploymentKind.LINEAR ? 10 : 5}.`);
    }
    const intervalField = deployment.kind === DeploymentKind.LINEAR ? 'stepInterval' : 'canaryInterval';
    for (const [f, d] of [[intervalField, deployment.stepInterval], ['bakeTime', deployment.bakeTime]] as Array<[string, Duration | undefined]>) {
      if (d === undefined || Token.isUnresolved(d.toMilliseconds({ integral: false }))) continue;
      const minutes = d.toMilliseconds({ integral: false }) / 60000;
      if (!Number.isInteger(minutes) || minutes < 0 || minutes > 1440) {
        problems.add('deployment-range', `deployment.${f}`, d, 'ECS takes whole minutes from 0 to 1440 (24 hours).',
          `use e.g. Duration.minutes(${Math.min(1440, Math.max(0, Math.ceil(minutes)))}).`);
      }
    }
    deployment.lifecycleHooks.forEach((hook, i) => {
      if (!deployment.shiftsTraffic) {
        problems.add('lifecycle-hook', `deployment.lifecycleHooks[${i}]`, hook.handler.node.path,
          'lifecycle hooks run in blue/green, linear and canary deployments, not in rolling ones.',
          'choose ServiceConnectDeployment.blueGreen(), linear() or canary(), or drop the hook.');
      }
      if (hook.stages.length === 0) {
        problems.add('lifecycle-hook', `deployment.lifecycleHooks[${i}].stages`, '[]', 'a hook with no stage is never invoked.',
          'name the stages, e.g. [ecs.DeploymentLifecycleStage.POST_TEST_TRAFFIC_SHIFT].');
      }
    });
  }
  ports.forEach((port, i) => {
    const header = port.testTrafficHeader;
    if (!header) return;
    if ((port.protocol ?? ServiceConnectProtocol.HTTP) === ServiceConnectProtocol.TCP) {
      problems.add('test-traffic-header', `ports[${i}].testTrafficHeader`, header.name,
        'test traffic is routed by an HTTP header, which a TCP port does not have.', 'remove testTrafficHeader, or use an HTTP, HTTP2 or GRPC port.');
    }
    if (!Token.isUnresolved(header.name) && !HEADER_NAME.test(header.name)) {
      problems.add('test-traffic-header', `ports[${i}].testTrafficHeader.name`, header.name,
        'a header name is lowercase letters, digits and `-` (HTTP/2 header names are lowercase).',
        `use e.g. ${JSON.stringify(header.name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+/, '') || 'x-canary')}.`);
    }
    if (header.value === '') {
      problems.add('test-traffic-header', `ports[${i}].testTrafficHeader.value`, header.value,
        'an empty value matches no request.', 'use e.g. "true".');
    }
    if (!deployment?.shiftsTraffic) {
      warn(scope, 'test-traffic-unused', `ports[${i}].testTrafficHeader (${header.name}: ${header.value}) is set, but the service deploys ` +
        'rolling, where there is no test traffic. Use ServiceConnectDeployment.blueGreen(), linear() or canary().');
    }
  });
}

function checkFeatures(scope: Construct, problems: Problems, props: ConnectedFargateServiceProps): void {
  checkDeployment(scope, problems, props);
  const tls = props.tls ?? props.cluster.tls;
  if (tls?.enabled && tls.certificateAuthorityArn !== undefined && !isValidCaArn(tls.certificateAuthorityArn)) {
    problems.add('tls-ca-arn', props.tls ? 'tls.certificateAuthorityArn' : 'cluster.tls.certificateAuthorityArn', tls.certificateAuthorityArn,
      'TLS needs an AWS Private CA: the ARN is empty or not of the form arn:aws:acm-pca:<region>:<account>:certificate-authority/<id>.',
      'pass the CA\'s ARN, or use ServiceConnectTls.managedCertificateAuthority() to have one created per cluster.');
  }
  if (props.tls?.enabled && (props.ports ?? []).length === 0) {
    warn(scope, 'tls-client-only', 'tls is set on a client-only service, where it has no effect: TLS is configured on server ports, ' +
      'and clients reach TLS servers of the namespace without settings of their own.');
  }
  const sizing = props.sizing;
  if (props.xrayTracing && sizing && (sizing.sidecarCpu < 32 || sizing.sidecarMemoryMiB < 256)) {
    problems.add('xray-sizing', 'sizing', sizing.toString(),
      `the X-Ray daemon needs 32 CPU units and 256 MiB inside the task, but the sizing reserves ${sizing.sidecarCpu} CPU units and ` +
      `${sizing.sidecarMemoryMiB} MiB for sidecars.`,
      'add `sidecarCpu: 32, sidecarMemoryMiB: 256` to EnvoySizing.forApp()/forTask(), or leave `sizing` unset.');
  }
}

const SECRET_LIKE = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;

function checkVariables(scope: Construct, problems: Problems, props: ConnectedFargateServiceProps): void {
  const looksSecret = Object.keys(props.environment ?? {}).filter((n) => SECRET_LIKE.test(n));
  if (looksSecret.length > 0) {
    warn(scope, 'env-looks-secret', `environment ${looksSecret.map((n) => JSON.stringify(n)).join(', ')} ` +
      `${looksSecret.length === 1 ? 'is' : 'are'} named like a secret but passed in plain text (visible in the task definition). ` +
      'Pass secrets with `secrets` (ecs.Secret.fromSecretsManager / fromSsmParameter).');
  }
  const env = Object.keys(props.environment ?? {});
  const secrets = Object.keys(props.secrets ?? {});
  for (const [field, names] of [['environment', env], ['secrets', secrets]] as Array<[string, string[]]>) {
    for (const name of names) {
      if (!ENV_NAME.test(name)) {
        problems.add('env-name-format', `${field}[${JSON.stringify(name)}]`, name,
          'environment variable names are letters, digits and `_`, not starting with a digit.',
          `use e.g. ${JSON.stringify(name.replace(/[^A-Za-z0-9_]/g, '_').replace(/^([0-9])/, '_$1'))}.`);
      }
    }
  }
  for (const name of secrets.filter((n) => env.includes(n))) {
    problems.add('env-name-clash', `secrets[${JSON.stringify(name)}]`, name,
      'the same variable is also in `environment`; the container would get two definitions.',
      'keep it in one of the two.');
  }
}

/**
 * Checks a `client.connectTo(server, options)` call and returns the server endpoint it targets.
 */
export function validateConnect(client: ConnectedFargateService, server: ConnectedFargateService,
  options: ConnectToOptions, takenVariables: ReadonlySet<string>): ServiceConnectEndpoint {
  const problems = new Problems(client, KIND_SERVICE);
  const call = `connectTo(${server.node.path})`;
  if (server === client) {
    problems.add('connect-self', call, server.node.path, 'a service does not need Service Connect to call itself.',
      'call the application on localhost instead.');
  }
  if (server.clientOnly) {
    problems.add('connect-client-only', call, server.node.path,
      'the server is client-only: it offers no port to connect to.', 'give the server `ports`.');
  }
  if (!sameNamespace(client.cluster.namespace, server.cluster.namespace)) {
    problems.add('connect-namespace', call, server.cluster.namespace.namespaceName,
      `the client is in namespace ${JSON.stringify(client.cluster.namespace.namespaceName)}; Service Connect only reaches ` +
      'services of the same namespace.', 'put both clusters in one namespace (pass `namespace` to the second ServiceConnectCluster).');
  }
  problems.throwIfAny();

  const endpoint = server._endpointFor(options.portName, 'connect-unknown-port', call);
  checkUrlVariable(problems, call, options.environmentVariable ?? urlVariableFor(endpoint.dnsName),
    options.environmentVariable !== undefined, takenVariables);
  problems.throwIfAny();
  return endpoint;
}

/**
 * Checks a `client.connectToExternal(dnsName, clientPort, options)` call and returns the URL.
 */
export function validateExternalConnect(client: ConnectedFargateService, dnsName: string, clientPort: number,
  options: ConnectToExternalOptions, takenVariables: ReadonlySet<string>): string {
  const problems = new Problems(client, KIND_SERVICE);
  const call = `connectToExternal(${JSON.stringify(dnsName)})`;
  if (!isValidDnsName(dnsName)) {
    problems.add('dns-name-format', `${call}.dnsName`, dnsName,
      'a client alias is a DNS name of at most 127 characters: lowercase letters, digits, `_`, `-` and `.`.',
      `use the server's alias, e.g. ${JSON.stringify(suggestName(dnsName, 127))}.`);
  }
  if (!isValidPort(clientPort)) {
    problems.add('port-range', `${call}.clientPort`, clientPort, 'a port is a whole number from 1 to 65535.', 'use the server\'s client alias port.');
  }
  checkUrlVariable(problems, call, options.environmentVariable ?? urlVariableFor(dnsName), options.environmentVariable !== undefined, takenVariables);
  problems.throwIfAny();
  return `${schemeOf(options.protocol ?? ServiceConnectProtocol.HTTP)}://${dnsName}:${clientPort}`;
}

function checkUrlVariable(problems: Problems, call: string, variable: string, explicit: boolean, taken: ReadonlySet<string>): void {
  if (explicit && !ENV_NAME.test(variable)) {
    problems.add('env-name-format', `${call}.environmentVariable`, variable,
      'environment variable names are letters, digits and `_`, not starting with a digit.', 'use e.g. "PAYMENTS_URL".');
  }
  if (taken.has(variable)) {
    problems.add('env-name-clash', `${call}.environmentVariable`, variable,
      'the app container already has this variable (from `environment`, `secrets` or an earlier `connectTo`).',
      'pass `environmentVariable` with another name, or remove the other definition.');
  }
}

function sameNamespace(a: servicediscovery.INamespace, b: servicediscovery.INamespace): boolean {
  if (a === b) return true;
  const arnA = a.namespaceArn;
  const arnB = b.namespaceArn;
  if (arnA === arnB) return true;
  // Two namespaces this app creates are different namespaces.
  if (a instanceof servicediscovery.HttpNamespace && b instanceof servicediscovery.HttpNamespace) return false;
  // Two concrete ARNs that differ name different namespaces; with tokens we cannot tell.
  return Token.isUnresolved(arnA) || Token.isUnresolved(arnB);
}

function firstSeen<K>(seen: Map<K, number>, key: K, index: number, onDuplicate: (firstIndex: number) => void): void {
  const first = seen.get(key);
  if (first !== undefined) {
    onDuplicate(first);
  } else {
    seen.set(key, index);
  }
}

/**
 * Namespace-wide checks of one service against every other service of the app in its namespace
 * (run at synthesis, when all services exist). Returns the error messages.
 */
export function validateNamespaceMembers(service: ConnectedFargateService): string[] {
  const namespace = service.cluster.namespace;
  const errors: string[] = [];
  for (const ep of service.endpoints) {
    const discoveryOwner = Token.isUnresolved(ep.discoveryName) ? undefined : firstOwner(service, namespace, `d:${ep.discoveryName}`);
    if (discoveryOwner && discoveryOwner.service !== service) {
      errors.push(`[discovery-name-unique] port ${JSON.stringify(ep.portName)} = ${JSON.stringify(ep.discoveryName)}: ` +
        `${discoveryOwner.service.node.path} (port ${JSON.stringify(discoveryOwner.portName)}) already registers this discovery name ` +
        'in the namespace; ECS rejects the second service. Fix: give one of them another discoveryName.');
    }
    const aliasOwner = Token.isUnresolved(ep.dnsName) ? undefined : firstOwner(service, namespace, `a:${ep.dnsName}:${ep.clientPort}`);
    if (aliasOwner && aliasOwner.service !== service) {
      errors.push(`[client-alias-unique] port ${JSON.stringify(ep.portName)} = "${ep.dnsName}:${ep.clientPort}": ` +
        `${aliasOwner.service.node.path} (port ${JSON.stringify(aliasOwner.portName)}) already publishes this alias in the namespace. ` +
        'Fix: give one of them another dnsName or clientPort.');
    }
  }
  return errors;
}

/**
 * Warns when a namespace that the cluster created gets services but no server among them: the
 * first deployment of only client-only services never completes.
 */
export function validateNamespaceHasServer(cluster: ServiceConnectCluster): string[] {
  if (!cluster.ownsNamespace) return [];
  const members = cluster.namespaceServices;
  if (members.length > 0 && members.every((s) => s.clientOnly)) {
    warn(cluster, 'namespace-without-server',
      `namespace ${JSON.stringify(cluster.namespace.namespaceName)} gets ${members.length} service(s) and all are client-only ` +
      `(${members.map((s) => s.node.path).join(', ')}). ECS does not complete the first deployment of a namespace that holds only ` +
      'client-only services: add a service with ports, or deploy the servers first.');
  }
  return [];
}
