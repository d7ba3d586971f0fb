import { Annotations, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Every synth-time rule of the library, in one place. The README's rule table lists each id;
 * a test keeps the two in step. Errors are collected per construct and thrown together;
 * warnings are acknowledgeable annotations (`cdk-service-connect:<id>`).
 */
export const RULES = {
  // Ports
  'port-name-format': 'A port name is 1-64 characters of lowercase letters, digits, `_` and `-`, and does not start with `-`.',
  'port-name-unique': 'Port names are unique within a service (they name the task definition\'s port mappings).',
  'port-range': 'Container, client and ingress-override ports are whole numbers from 1 to 65535.',
  'container-port-unique': 'Two ports of a service may not use the same container port.',
  'ingress-port-clash': 'An ingress port override may not equal a container port of the same task.',
  'discovery-name-format': 'A discovery name is 1-64 characters of lowercase letters, digits, `_` and `-`, and does not start with `-`.',
  'discovery-name-unique': 'Discovery names are unique within a service and within the namespace.',
  'dns-name-format': 'A DNS alias is a valid DNS name of at most 127 characters: lowercase letters, digits, `_`, `-` and `.`, not starting with `-`, no empty labels, labels of at most 63 characters.',
  'client-alias-unique': 'Each `dnsName:clientPort` alias is unique in the namespace.',
  'timeout-whole-seconds': 'Timeouts are whole seconds from 0 (off) to 2147483647.',
  'tcp-per-request-timeout': 'A per-request timeout is not allowed on a TCP port (ECS rejects the deployment).',
  // Service
  'service-name-format': 'A service name is 1-255 letters, digits, `_` and `-`.',
  'desired-count-range': 'The desired count is a whole number >= 0.',
  'env-name-format': 'Environment variable names are letters, digits and `_`, not starting with a digit.',
  'env-name-clash': 'An environment variable is defined once: by `environment`, `secrets` or a `connectTo` URL variable.',
  'sizing-invalid': 'Sizing values are positive whole numbers and form a valid Fargate task size with room for the app.',
  'tls-ca-arn': 'TLS names its AWS Private CA by a full ARN (or lets the library create one with `ServiceConnectTls.managedCertificateAuthority()`).',
  'xray-sizing': 'With `xrayTracing`, a `sizing` of your own reserves at least 32 CPU units and 256 MiB for sidecars.',
  'deployment-client-only': 'Blue/green, linear and canary deployments need a service with ports (they shift traffic between revisions of a server).',
  'deployment-range': 'Deployment settings are in range: linear step 3.0-100.0 %, canary 0.1-100.0 % (multiples of 0.1), intervals and bake time whole minutes 0-1440.',
  'lifecycle-hook': 'Lifecycle hooks belong to blue/green, linear or canary deployments and name at least one stage.',
  'test-traffic-header': 'A test traffic header has a name of lowercase letters, digits and `-`, a non-empty value, and sits on an HTTP, HTTP2 or GRPC port.',
  // Cluster
  'namespace-exclusive': '`namespace` and `namespaceName` are mutually exclusive.',
  'namespace-name-format': 'A namespace name is 1-1024 printable ASCII characters without spaces (Cloud Map\'s rule).',
  'namespace-arn': 'An existing or shared namespace is given by its full Cloud Map ARN (ECS finds another account\'s namespace only by ARN).',
  'share-principal-format': 'Namespace share principals are 12-digit account IDs or organization / OU ARNs, at least one.',
  // Wiring
  'connect-unknown-port': '`connectTo(server, { portName })` names a port of the server.',
  'connect-client-only': '`connectTo` targets a service with at least one port.',
  'connect-self': 'A service does not `connectTo` itself.',
  'connect-namespace': 'Client and server of `connectTo` share a namespace.',
  'endpoint-unknown-port': '`endpointUrl(portName)` names a port of the service.',
  'metric-unknown-port': 'Metric `portName` names a port of the service.',
  // Observability
  'alarms-client-only': '`ServiceConnectAlarms` needs a service with at least one port (a client-only service publishes no server metrics).',
  'alarms-setting-range': 'Alarm settings are in range: error-rate threshold 0 to below 100 %, positive latency threshold, whole-minute period, whole evaluation periods >= 1, datapoints to alarm from 1 to evaluation periods, whole minimum requests >= 1, non-empty port list.',
  // Warnings
  'explicit-service-name': 'Warning: an explicit `serviceName` makes later renames replace the service, which fails with Service Connect.',
  'desired-count-one': 'Warning: a desired count of 1 leaves no task to serve while the only one is replaced.',
  'proxy-over-half-cpu': 'Warning: the proxy takes more than half of the task\'s CPU.',
  'dependency-cycle': 'Warning: two services connect to each other; only one direction keeps its deployment-order dependency.',
  'namespace-without-server': 'Warning: a namespace this app creates gets only client-only services, whose first deployment never completes.',
  'alarms-none-created': 'Warning: a `ServiceConnectAlarms` created no alarm (TCP ports only, or both alarm kinds turned off).',
  'metric-protocol': 'Warning: a metric is asked of a port whose protocol never publishes it (HTTP codes need HTTP/HTTP2, `GrpcRequestCount` needs GRPC, request metrics need an application protocol).',
  'tls-client-only': 'Warning: TLS set on a client-only service has no effect (TLS is configured on the server ports).',
  'env-looks-secret': 'Warning: a plain environment variable is named like a secret (password, token, key…); pass it through `secrets`.',
  'test-traffic-unused': 'Warning: a test traffic header on a rolling deployment is never used (test traffic exists only in blue/green, linear and canary deployments).',
  'idle-below-per-request': 'Warning: an idle timeout below the per-request timeout closes connections at the idle timeout.',
  'stack-size': 'Warning: a stack is close to CloudFormation\'s 500-resource limit.',
} as const;

/** The id of a rule in `RULES`. */
export type RuleId = keyof typeof RULES;

/** Thrown for invalid input; the message lists every problem found. */
export class ServiceConnectValidationError extends Error {
  public readonly problems: string[];
  constructor(message: string, problems: string[]) {
    super(message);
    this.name = 'ValidationError';
    this.problems = problems;
  }
}

/**
 * Collects the problems of one construct so that they are all reported in one error.
 */
export class Problems {
  private readonly lines: string[] = [];

  /**
   * @param scope the construct whose props are checked (its path goes in the message)
   * @param kind the construct's class name
   */
  constructor(private readonly scope: IConstruct, private readonly kind: string) {}

  /**
   * Record a problem.
   *
   * @param rule the rule broken
   * @param field where the bad value is (`ports[0].name`)
   * @param value the bad value
   * @param detail what is wrong with it
   * @param fix how to fix it
   */
  public add(rule: RuleId, field: string, value: unknown, detail: string, fix: string): void {
    this.lines.push(`[${rule}] ${field} = ${show(value)}: ${detail} Fix: ${fix}`);
  }

  /** Whether any problem was recorded. */
  public get any(): boolean {
    return this.lines.length > 0;
  }

  /** Throw one error naming every recorded problem; do nothing when there is none. */
  public throwIfAny(): void {
    if (this.lines.length === 0) return;
    const n = this.lines.length;
    const message = `${this.kind} '${this.scope.node.path}' has ${n} invalid setting${n === 1 ? '' : 's'}:\n` +
      this.lines.map((l) => `  - ${l}`).join('\n');
    throw new ServiceConnectValidationError(message, [...this.lines]);
  }
}

/** Add an acknowledgeable warning for a risky-but-legal choice. */
export function warn(scope: IConstruct, rule: RuleId, message: string): void {
  Annotations.of(scope).addWarningV2(`cdk-service-connect:${rule}`,
    `${message} (acknowledge with Annotations.of(scope).acknowledgeWarning('cdk-service-connect:${rule}'))`);
}

/** Throw at once (for value classes, which have no construct path). */
export function failFast(rule: RuleId, message: string): never {
  const line = `[${rule}] ${message}`;
  throw new ServiceConnectValidationError(line, [line]);
}

/** The README's rule table, generated from `RULES`. */
export function rulesTable(): string {
  const rows = Object.entries(RULES).map(([id, text]) => {
    const warning = text.startsWith('Warning: ');
    return `| \`${id}\` | ${warning ? 'warning' : 'error'} | ${warning ? text.slice('Warning: '.length) : text} |`;
  });
  return ['| rule | kind | what it checks |', '|---|---|---|', ...rows].join('\n');
}

/** Render a value for an error message. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  if (typeof value === 'object' && value !== null && 'toHumanString' in value) {
    return String((value as { toHumanString(): string }).toHumanString());
  }
  return String(value);
}

/** A whole number >= 1 (tokens are accepted: they are checked by CloudFormation). */
export function isPositiveInteger(n: number): boolean {
  return Token.isUnresolved(n) || (Number.isInteger(n) && n >= 1);
}

/** The form of a Cloud Map namespace ARN. */
export const NAMESPACE_ARN = /^arn:aws[a-z-]*:servicediscovery:[a-z0-9-]+:\d{12}:namespace\/ns-[a-z0-9]+$/;

const NAME_64 = /^[a-z0-9_][a-z0-9_-]{0,63}$/;

/** Port-mapping and discovery-name format: 1-64 of `[a-z0-9_-]`, not starting with `-`. */
export function isValidServiceConnectName(name: string): boolean {
  return Token.isUnresolved(name) || NAME_64.test(name);
}

/** Client-alias DNS name format. */
export function isValidDnsName(name: string): boolean {
  if (Token.isUnresolved(name)) return true;
  if (name.length < 1 || name.length > 127 || name.startsWith('-')) return false;
  if (!/^[a-z0-9_.-]+$/.test(name)) return false;
  return name.split('.').every((label) => label.length >= 1 && label.length <= 63);
}

/** A TCP/UDP port number. */
export function isValidPort(port: number): boolean {
  return Token.isUnresolved(port) || (Number.isInteger(port) && port >= 1 && port <= 65535);
}

/** A suggestion for a name that breaks the `[a-z0-9_-]` rule. */
export function suggestName(name: string, maxLength = 64): string {
  const s = String(name).toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+/, '').slice(0, maxLength).replace(/-+$/, '');
  return s.length > 0 ? s : 'app';
}
