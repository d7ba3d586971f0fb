/**
 * Every synth-time rule of the library, in one place: its id, its level (an error stops synthesis;
 * a warning is an acknowledgeable annotation `cdk-service-connect:<id>`), the area of the library
 * it belongs to, and what it checks. The README's rule table is generated from this object
 * (`npx projen rules-doc`); `test/rules.test.ts` holds one typed trigger per rule, so a rule
 * without a test does not compile.
 */

/** Whether a rule stops synthesis or warns. */
export type RuleLevel = 'error' | 'warning';

/** The part of the library a rule belongs to (the README groups the table by it). */
export type RuleArea = 'ports' | 'service' | 'sizing' | 'tls' | 'deployment' | 'cluster' | 'namespace' | 'connect' | 'observability' | 'stack' | 'ingress' | 'compute';

/**
 * Where a rule runs: `constructs` (the library's constructs check their own props), `aspect`
 * (`ServiceConnectChecks` over any CDK app), `lint` (`cdk-service-connect lint` over templates),
 * `baseline` (`lint --baseline`: needs the deployed version to compare with).
 */
export type RuleRun = 'constructs' | 'aspect' | 'lint' | 'baseline';

/** One rule. */
export interface RuleDefinition {
  readonly level: RuleLevel;
  readonly area: RuleArea;
  /** What the rule checks, as the README table says it. */
  readonly text: string;
  /** Where it runs; default: only in the library's constructs. */
  readonly runs?: readonly RuleRun[];
}

const EVERYWHERE = ['constructs', 'aspect', 'lint'] as const;
const ANY_APP = ['aspect', 'lint'] as const;
const BASELINE = ['baseline'] as const;

export const RULES = {
  // ports
  'port-name-format': { level: 'error', area: 'ports', text: 'A port name is 1-64 characters of lowercase letters, digits, `_` and `-`, and does not start with `-`.' },
  'port-name-unique': { level: 'error', area: 'ports', text: 'Port names are unique within a service (they name the task definition\'s port mappings).' },
  'port-range': { level: 'error', area: 'ports', text: 'Container, client and ingress-override ports are whole numbers from 1 to 65535.' },
  'container-port-unique': { level: 'error', area: 'ports', text: 'Two ports of a service may not use the same container port.' },
  'ingress-port-clash': { level: 'error', area: 'ports', text: 'An ingress port override may not equal a container port of the same task.' },
  'discovery-name-format': { level: 'error', area: 'ports', text: 'A discovery name is 1-64 characters of lowercase letters, digits, `_` and `-`, and does not start with `-`.' },
  'dns-name-format': { level: 'error', area: 'ports', text: 'A DNS alias is a valid DNS name of at most 127 characters: lowercase letters, digits, `_`, `-` and `.`, not starting with `-`, no empty labels, labels of at most 63 characters.' },
  'timeout-whole-seconds': { level: 'error', area: 'ports', text: 'Timeouts are whole seconds from 0 (off) to 2147483647.' },
  'tcp-per-request-timeout': { level: 'error', area: 'ports', text: 'A per-request timeout is not allowed on a TCP port (ECS rejects the deployment).', runs: EVERYWHERE },
  'port-name-unknown': { level: 'error', area: 'ports', text: 'A Service Connect `PortName` names a port mapping of the service\'s task definition.', runs: ANY_APP },
  'app-protocol-changed': { level: 'error', area: 'ports', text: 'The `appProtocol` of a Service Connect port mapping does not change in an update (ECS needs the service deleted and recreated).', runs: BASELINE },
  'idle-below-per-request': { level: 'warning', area: 'ports', text: 'An idle timeout below the per-request timeout closes connections at the idle timeout.' },
  // service
  'service-name-format': { level: 'error', area: 'service', text: 'A service name is 1-255 letters, digits, `_` and `-`.' },
  'desired-count-range': { level: 'error', area: 'service', text: 'The desired count is a whole number >= 0.' },
  'duration-token-unit': { level: 'error', area: 'service', text: 'A duration known only at deployment (a token) is given in the unit CloudFormation takes, which cannot convert: `Duration.seconds(<token>)` for timeouts and alarm periods, `Duration.minutes(<token>)` for deployment intervals and bake time, `Duration.millis(<token>)` for a latency threshold.' },
  'desired-count-cloud-map': { level: 'error', area: 'service', text: 'A service with ports runs at most 1,000 tasks: each task is a Cloud Map instance, and Cloud Map allows 1,000 instances per service (not adjustable).' },
  'container-name-format': { level: 'error', area: 'service', text: 'A container name is 1-255 letters, digits, `_` and `-`.' },
  'container-name-unique': { level: 'error', area: 'service', text: 'The app container\'s name differs from the tracing sidecar the library adds (`xray-daemon`, `aws-otel-collector`).' },
  'env-name-format': { level: 'error', area: 'service', text: 'Environment variable names are non-empty and contain no `=` (ECS accepts any other name, e.g. `spring.profiles.active`).' },
  'env-name-clash': { level: 'error', area: 'service', text: 'An environment variable is defined once: by `environment`, `secrets` or a `connectTo` URL variable.' },
  'service-cluster': { level: 'error', area: 'service', text: 'A service\'s `cluster` is a `ServiceConnectCluster` or the result of `ServiceConnectCluster.fromClusterAttributes()`, not a bare `ecs.ICluster`.' },
  'healthy-percent-range': { level: 'error', area: 'service', text: '`minHealthyPercent` is a whole number 0-100, `maxHealthyPercent` a whole number >= 100, not both 100.' },
  'capacity-provider': { level: 'error', area: 'service', text: 'Capacity provider strategies name FARGATE or FARGATE_SPOT once each, weights 0-1000 (not all 0), a base 0-100000 on one provider at most.' },
  'task-option-range': { level: 'error', area: 'service', text: 'Task options are in range: ephemeral storage 21-200 GiB, stop timeout 0-120 whole seconds, health check grace period whole seconds.' },
  'autoscaling-range': { level: 'error', area: 'service', text: 'Auto scaling: whole capacities with 0 <= min <= max and max >= 1, CPU target above 0 and at most 100 %, request target above 0, `desiredCount` (if set) between min and max.' },
  'autoscaling-requests-protocol': { level: 'error', area: 'service', text: 'Request target tracking needs a first port with an application protocol (HTTP, HTTP2 or GRPC): Service Connect publishes no request metrics for TCP or client-only services.' },
  'public-ip': { level: 'warning', area: 'service', text: '`assignPublicIp` gives every task a public IP address in a public subnet.' },
  'tracing-exclusive': { level: 'error', area: 'service', text: '`tracing` and the deprecated `xrayTracing` do not contradict each other (the OpenTelemetry collector and `xrayTracing: true`).' },
  'access-log-configuration': { level: 'error', area: 'service', text: 'Service Connect access logs need the proxy\'s `LogConfiguration`.', runs: ANY_APP },
  'platform-version': { level: 'error', area: 'service', text: 'Service Connect on Fargate needs platform version 1.4.0 or later.', runs: ANY_APP },
  'replacement-hazard': { level: 'error', area: 'service', text: 'An update does not replace a Service Connect service (a changed `ServiceName`, `Cluster`, `LaunchType`, `Role`, `SchedulingStrategy` or `DeploymentController`): the new service is created while the old one still holds its discovery names, and the update fails.', runs: BASELINE },
  'explicit-service-name': { level: 'warning', area: 'service', text: 'An explicit `serviceName` makes later renames replace the service, which fails with Service Connect.' },
  'desired-count-one': { level: 'warning', area: 'service', text: 'A desired count of 1 leaves no task to serve while the only one is replaced.' },
  'tasks-in-public-subnets': { level: 'warning', area: 'service', text: 'The tasks would run in public subnets without a public IP: they reach nothing outside the VPC (no image pull, no logs) unless VPC endpoints serve them.' },
  'xray-daemon-deprecated': { level: 'warning', area: 'service', text: 'The X-Ray daemon sidecar (`xrayTracing` or `ServiceConnectTracing.xrayDaemon()`): AWS ends support for the X-Ray SDKs and daemon on 2027-02-25; use `ServiceConnectTracing.openTelemetry()`.' },
  'env-looks-secret': { level: 'warning', area: 'service', text: 'A plain environment variable is named like a secret (password, token, key…); pass it through `secrets`.' },
  // sizing
  'sizing-invalid': { level: 'error', area: 'sizing', text: 'Sizing values are positive whole numbers and form a valid Fargate task size with room for the app.', runs: EVERYWHERE },
  'sizing-token': { level: 'error', area: 'sizing', text: 'Sizing values are concrete numbers: the task size is computed from them at synthesis, which a value known only at deployment (a token) does not allow.' },
  'tracing-sizing': { level: 'error', area: 'sizing', text: 'With a tracing sidecar, a `sizing` of your own reserves its CPU and memory for sidecars (OpenTelemetry collector: 128 CPU units and 256 MiB; X-Ray daemon: 32 and 256).' },
  'task-memory-missing': { level: 'error', area: 'sizing', text: 'A task definition of a Service Connect service sets task-level memory (the proxy\'s memory comes from it).', runs: ANY_APP },
  'proxy-headroom': { level: 'warning', area: 'sizing', text: 'The task leaves the Service Connect proxy at least AWS\'s 256 CPU units and 64 MiB above what its containers reserve.', runs: ANY_APP },
  'sidecar-invalid': { level: 'error', area: 'sizing', text: 'Sidecars have unique container names, whole CPU units >= 0 and at least 6 MiB; a `sizing` of your own reserves their CPU and memory.' },
  'proxy-over-half-cpu': { level: 'warning', area: 'sizing', text: 'The proxy takes more than half of the task\'s CPU.' },
  // tls
  'tls-ca-arn': { level: 'error', area: 'tls', text: 'TLS names its AWS Private CA by a full ARN (or lets the library create one with `ServiceConnectTls.managedCertificateAuthority()`).' },
  'tls-ca-permissions': { level: 'warning', area: 'tls', text: 'An AWS Private CA known by ARN only, with an infrastructure role of your own, needs the tag `AmazonECSManaged=true` or a policy on the role that allows ECS to issue from it (the managed policy covers tagged CAs only).' },
  'tls-client-only': { level: 'warning', area: 'tls', text: 'TLS set on a client-only service has no effect (TLS is configured on the server ports).' },
  // deployment
  'deployment-client-only': { level: 'error', area: 'deployment', text: 'Blue/green, linear and canary deployments need a service with ports (they shift traffic between revisions of a server).' },
  'deployment-range': { level: 'error', area: 'deployment', text: 'Deployment settings are in range: linear step 3.0-100.0 %, canary 0.1-100.0 % (multiples of 0.1), intervals and bake time whole minutes 0-1440, and a linear or canary deployment within CloudFormation\'s 33 hours (canary: bake time + canary interval; linear: bake time + step interval × steps, with ECS\'s defaults for omitted fields).', runs: EVERYWHERE },
  'lifecycle-hook': { level: 'error', area: 'deployment', text: 'Lifecycle hooks belong to blue/green, linear or canary deployments and name at least one stage.' },
  'test-traffic-header': { level: 'error', area: 'deployment', text: 'A test traffic header has an HTTP header name (letters, digits and ``!#$%&\'*+-.^_`|~``, any case), a non-empty value, and sits on an HTTP, HTTP2 or GRPC port.' },
  'deployment-controller': { level: 'error', area: 'deployment', text: 'A Service Connect service uses the ECS deployment controller (not `CODE_DEPLOY` or `EXTERNAL`).', runs: ANY_APP },
  'test-traffic-unused': { level: 'warning', area: 'deployment', text: 'A test traffic header on a rolling deployment is never used (test traffic exists only in blue/green, linear and canary deployments).' },
  // cluster
  'namespace-exclusive': { level: 'error', area: 'cluster', text: '`namespace` and `namespaceName` are mutually exclusive.' },
  'namespace-name-format': { level: 'error', area: 'cluster', text: 'A namespace name is 1-1024 printable ASCII characters without spaces (Cloud Map\'s rule).' },
  'namespace-name-arn': { level: 'error', area: 'cluster', text: '`namespaceName` is a name, not an ARN: an existing namespace is passed as `namespace`.' },
  'cluster-name-format': { level: 'error', area: 'cluster', text: 'A cluster name is 1-255 letters, digits, `_` and `-`.' },
  'namespace-arn': { level: 'error', area: 'cluster', text: 'An existing or shared namespace is given by its full Cloud Map ARN (ECS finds another account\'s namespace only by ARN).', runs: EVERYWHERE },
  'namespace-by-name': { level: 'warning', area: 'cluster', text: 'A service that names its namespace (instead of passing its ARN) names one these templates create, or one that exists in its account and Region before it is deployed (ECS does not find a namespace shared from another account by name).', runs: ANY_APP },
  'namespace-order': { level: 'warning', area: 'cluster', text: 'A service that names a namespace of its own template (instead of passing its ARN) is created after it: it refers to it, or depends on it, itself or through its cluster.', runs: ANY_APP },
  'share-not-owner': { level: 'error', area: 'cluster', text: 'Only the account that owns a namespace shares it: the namespace ARN\'s account is the stack\'s account.' },
  'cluster-attributes': { level: 'error', area: 'cluster', text: '`ServiceConnectCluster.fromClusterAttributes` takes an ECS cluster with its VPC and a namespace with its ARN.' },
  'share-principal-format': { level: 'error', area: 'cluster', text: 'Namespace share principals are 12-digit account IDs or organization / OU ARNs, at least one.' },
  // namespace
  'namespace-name-unique': { level: 'error', area: 'namespace', text: 'Two namespaces this app creates in one account and Region have different names (Cloud Map rejects the second).' },
  'discovery-name-unique': { level: 'error', area: 'namespace', text: 'Discovery names are unique within a service and within the namespace.', runs: EVERYWHERE },
  'client-alias-unique': { level: 'error', area: 'namespace', text: 'Each `dnsName:clientPort` alias is unique in the namespace.', runs: EVERYWHERE },
  'namespace-without-server': { level: 'warning', area: 'namespace', text: 'A namespace this app creates gets only client-only services, whose first deployment never completes.', runs: EVERYWHERE },
  // connect
  'connect-unknown-port': { level: 'error', area: 'connect', text: '`connectTo(server, { portName })` names a port of the server.' },
  'connect-client-only': { level: 'error', area: 'connect', text: '`connectTo` targets a service with at least one port.' },
  'connect-self': { level: 'error', area: 'connect', text: 'A service does not `connectTo` itself.' },
  'connect-namespace': { level: 'error', area: 'connect', text: 'Client and server of `connectTo` share a namespace.' },
  'url-variable-token': { level: 'error', area: 'connect', text: 'A URL variable name cannot be derived from a `dnsName` known only at deployment (a token): pass `environmentVariable`.' },
  'endpoint-unknown-port': { level: 'error', area: 'connect', text: '`endpointUrl(portName)` names a port of the service.' },
  'metric-unknown-port': { level: 'error', area: 'connect', text: 'Metric `portName` names a port of the service.' },
  'ingress-alias-port': { level: 'warning', area: 'connect', text: 'A security-group rule on a server opens the port the server-side proxy listens on (container port or ingress override), not the client alias port.', runs: ANY_APP },
  'dependency-cycle': { level: 'warning', area: 'connect', text: 'A `connectTo` whose deployment order would close a circle of services (of two or more) or a cycle of stacks keeps its URL and security-group rule but not the order; the warning names what to deploy first.' },
  // observability
  'alarms-client-only': { level: 'error', area: 'observability', text: '`ServiceConnectAlarms` needs a service with at least one port (a client-only service publishes no server metrics).' },
  'alarms-setting-range': { level: 'error', area: 'observability', text: 'Alarm settings are in range: error-rate threshold 0 to below 100 %, positive latency threshold, whole-minute period, whole evaluation periods >= 1, datapoints to alarm from 1 to evaluation periods, whole minimum requests >= 1, non-empty port list.' },
  'alarms-none-created': { level: 'warning', area: 'observability', text: 'A `ServiceConnectAlarms` created no alarm (TCP ports only, or both alarm kinds turned off).' },
  'alarms-cross-account': { level: 'warning', area: 'observability', text: 'Rollback alarms made by the library for a service whose namespace is shared through AWS RAM or imported from another account miss callers of other accounts (target metrics are published in the caller\'s account).' },
  'metric-dimensions': { level: 'warning', area: 'observability', text: 'Alarms and dashboards use Service Connect metrics under the dimensions AWS publishes them by (`DiscoveryName` / `TargetDiscoveryName`, never `ClusterName, ServiceName` alone).', runs: ANY_APP },
  'metric-protocol': { level: 'warning', area: 'observability', text: 'A metric is asked of a port whose protocol AWS says never publishes it (HTTP codes need HTTP/HTTP2, `GrpcRequestCount` needs GRPC).' },
  // ingress
  'ingress-route': { level: 'error', area: 'ingress', text: '`ServiceConnectIngress.addRoute()` names a container port (1-65535), a priority 1-50000 unique on the load balancer (or none), and 1-5 values per condition.' },
  'ingress-access-logs': { level: 'warning', area: 'ingress', text: 'A `ServiceConnectIngress` in a stack without a Region has no access logs (the log bucket policy names a Region-specific ELB principal).' },
  // compute (EC2 and Managed Instances)
  'ec2-capacity-provider': { level: 'error', area: 'compute', text: 'A `ConnectedEc2Service` names exactly one capacity provider: `asgCapacityProvider` or `managedInstancesCapacityProvider`.' },
  'ec2-fargate-only': { level: 'error', area: 'compute', text: '`assignPublicIp`, `capacityProviderStrategies` and `ephemeralStorageGiB` are for Fargate tasks, and `cpuArchitecture` for Fargate and Managed Instances (on an Auto Scaling group the instance type decides): a `ConnectedEc2Service` leaves them unset.' },
  'ec2-network-mode': { level: 'error', area: 'compute', text: 'Service Connect runs tasks in `awsvpc` or `bridge` network mode only.' },
  'managed-instances-bridge': { level: 'error', area: 'compute', text: 'ECS Managed Instances run tasks in `awsvpc` or `host` network mode, not `bridge`; with Service Connect, use `awsvpc`.' },
  'bridge-network-props': { level: 'error', area: 'compute', text: 'In `bridge` network mode tasks have no subnets or security group of their own: `vpcSubnets` applies to `awsvpc` only.' },
  'ec2-task-fits-instance': { level: 'error', area: 'compute', text: 'A task\'s CPU and memory fit one instance of its Auto Scaling group\'s instance type (checked when the type is known).' },
  'bridge-connect-instance-sg': { level: 'warning', area: 'compute', text: '`connectTo` a `bridge` network mode server opens the instances\' security group (every task on them) to the client, on the proxy\'s ephemeral host ports unless the port has an ingress port override.' },
  'bridge-static-host-port': { level: 'warning', area: 'compute', text: 'With static host ports in `bridge` mode an instance holds one task per port: more tasks (with a rolling deployment\'s extra ones) than the Auto Scaling group\'s maximum instances cannot be placed.' },
  'host-port-clash': { level: 'warning', area: 'compute', text: 'Two `bridge` services on one capacity provider map the same static host port: their tasks never share an instance.' },
  'instance-role-unknown': { level: 'warning', area: 'compute', text: 'The instance role of a capacity provider is not in this app (imported): grant it `ecs:Poll` on the cluster\'s task sets, or the Service Connect agent never starts.' },
  // stack
  'stack-size': { level: 'warning', area: 'stack', text: 'A stack is close to CloudFormation\'s 500-resource limit.' },
} as const satisfies Record<string, RuleDefinition>;

/** The id of a rule in `RULES`. */
export type RuleId = keyof typeof RULES;

/** The ids of the rules that are errors. */
export type ErrorRuleId = { [K in RuleId]: (typeof RULES)[K]['level'] extends 'error' ? K : never }[RuleId];

/** The ids of the rules that are warnings. */
export type WarningRuleId = { [K in RuleId]: (typeof RULES)[K]['level'] extends 'warning' ? K : never }[RuleId];

/** The README's rule table, generated from `RULES`. */
export function rulesTable(): string {
  const rows = (Object.entries(RULES) as Array<[RuleId, RuleDefinition]>).map(([id, rule]) =>
    `| \`${id}\` | ${rule.level} | ${rule.area} | ${runsOf(rule).join(', ')} | ${rule.text} |`);
  return ['| rule | kind | area | runs in | what it checks |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** Where a rule runs (`constructs` when the table says nothing). */
export function runsOf(rule: RuleDefinition): readonly RuleRun[] {
  return rule.runs ?? ['constructs'];
}
