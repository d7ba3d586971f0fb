import type { MigrationFinding } from './types';
import { FindingSeverity } from './types';

const { INFO, WARNING, BLOCKER } = FindingSeverity;

/**
 * Every finding code the migration converters (App Mesh and Copilot) can report, with the
 * severities it may carry and what it means. `finding()` only takes a code of this catalogue and
 * one of its severities, so a new kind of finding is a compile error until it is written here.
 *
 * Internal: the public `MigrationFinding.code` stays a string (jsii has no string unions).
 */
export const FINDING_CODES = {
  // ---- shared by both converters
  'secret-unresolved': { severities: [WARNING], meaning: 'A secret of the source whose reference cannot be carried into the generated app.' },

  // ---- App Mesh: mesh and routing
  'several-meshes': { severities: [WARNING], meaning: 'The input holds more than one mesh; the plan puts every node in one namespace.' },
  'egress-filter': { severities: [INFO, WARNING], meaning: 'The mesh egress filter (DROP_ALL has no Service Connect equivalent; ALLOW_ALL is what Service Connect does).' },
  'backends-not-enforced': { severities: [INFO], meaning: 'Virtual node backends were an allow list; Service Connect lets every task resolve every endpoint.' },
  'weighted-route': { severities: [INFO, WARNING], meaning: 'A route splits traffic by weight (or sends none); Service Connect has one alias per port.' },
  'path-match': { severities: [WARNING], meaning: 'A route matches a path or path prefix; Service Connect does not route by content.' },
  'header-match': { severities: [WARNING], meaning: 'A route matches HTTP headers or gRPC metadata.' },
  'method-match': { severities: [WARNING], meaning: 'A route matches an HTTP method or a gRPC service/method.' },
  'query-match': { severities: [WARNING], meaning: 'A route matches query parameters.' },
  'scheme-match': { severities: [WARNING], meaning: 'A route matches the URL scheme.' },
  'retry-policy': { severities: [WARNING], meaning: 'A route retry policy; Service Connect\'s retries are built in and not configurable.' },
  'route-timeout': { severities: [INFO], meaning: 'A route timeout, moved to the target service\'s port.' },
  'virtual-gateway': { severities: [WARNING], meaning: 'An App Mesh ingress gateway; Service Connect has none (use a load balancer).' },
  'gateway-route': { severities: [WARNING], meaning: 'A gateway route, to become a load balancer listener rule.' },
  // ---- App Mesh: nodes and listeners
  'cloud-map-attributes': { severities: [WARNING], meaning: 'A node selects Cloud Map instances by attribute.' },
  'tls': { severities: [WARNING], meaning: 'A listener terminates TLS with its own certificate; Service Connect TLS uses AWS Private CA only.' },
  'mtls': { severities: [BLOCKER], meaning: 'Mutual TLS; Service Connect has none.' },
  'tls-client-policy': { severities: [WARNING], meaning: 'A node validates its backends\' certificates with its own trust store.' },
  'outlier-detection': { severities: [INFO], meaning: 'Listener outlier detection; built into Service Connect\'s proxy.' },
  'connection-pool': { severities: [WARNING], meaning: 'Listener connection limits; Service Connect has none.' },
  'health-check': { severities: [INFO], meaning: 'An Envoy listener health check; Service Connect relies on ECS container health checks.' },
  'tcp-per-request-timeout': { severities: [INFO], meaning: 'A per-request timeout on a TCP listener, dropped (ECS rejects it).' },
  'access-log': { severities: [INFO], meaning: 'The Envoy wrote an access log.' },
  'several-aliases': { severities: [WARNING], meaning: 'Several virtual services reach one port; a Service Connect port has one client alias.' },
  'alias-invalid': { severities: [WARNING], meaning: 'A virtual service name is not a valid Service Connect DNS alias.' },
  'virtual-service-without-node': { severities: [WARNING], meaning: 'A virtual service that no virtual node of the input serves.' },
  'backend-outside-template': { severities: [WARNING], meaning: 'A backend that is not a virtual service of the input.' },
  'template-without-nodes': { severities: [INFO], meaning: 'One of several templates has no virtual node; it is joined to the others.' },
  'egress-endpoint': { severities: [INFO, WARNING], meaning: 'A virtual node for an endpoint outside the mesh (egress): not a service; callers reach it directly.' },
  'router-alias': { severities: [INFO], meaning: 'What clients of a virtual router\'s name reach after the migration (name, port, node).' },
  'caller-outside-mesh': { severities: [INFO], meaning: 'An ECS service without a virtual node that calls mesh names: migrated as a client-only service.' },
  'parameter-unknown': { severities: [WARNING], meaning: 'A parameter value was given for a name that no template declares.' },
  'unresolved-value': { severities: [WARNING], meaning: 'A value known only at deploy time that the plan could not carry.' },
  // ---- App Mesh: tasks
  'several-task-definitions': { severities: [WARNING], meaning: 'Several task definitions run as one virtual node.' },
  'no-task-definition': { severities: [WARNING], meaning: 'No task definition of the input runs a virtual node.' },
  'standalone-task': { severities: [BLOCKER], meaning: 'A mesh task definition that no ECS service runs (RunTask): Service Connect needs ECS services.' },
  'xray-daemon': { severities: [INFO], meaning: 'An X-Ray daemon sidecar, not migrated.' },
  'extra-container': { severities: [INFO], meaning: 'A container besides the app and the Envoy, not migrated.' },
  'no-app-container': { severities: [WARNING], meaning: 'A task definition with only the Envoy container.' },
  'launch-type': { severities: [INFO], meaning: 'A task that ran on EC2 or outside awsvpc; the generated service runs on Fargate.' },
  'image-unresolved': { severities: [WARNING], meaning: 'An image known only at deploy time.' },

  // ---- Copilot
  'namespace': { severities: [INFO], meaning: 'The new Service Connect namespace beside Copilot\'s environment namespace.' },
  'copilot-variables': { severities: [INFO], meaning: 'Variables Copilot injected into every task.' },
  'open-network': { severities: [WARNING], meaning: 'Copilot\'s environment-wide network access; the library opens security groups per connectTo edge.' },
  'environment-manifest': { severities: [INFO], meaning: 'An environment manifest, not a service.' },
  'unsupported-type': { severities: [BLOCKER], meaning: 'A Copilot service type without a Service Connect equivalent.' },
  'image-build': { severities: [WARNING], meaning: 'An image Copilot built from a Dockerfile.' },
  'connect-off': { severities: [INFO], meaning: 'A service with network.connect off.' },
  'worker-port': { severities: [INFO], meaning: 'A worker service that exposes a port.' },
  'task-size': { severities: [INFO], meaning: 'The task grows to leave the Service Connect proxy its budget.' },
  'autoscaling': { severities: [WARNING], meaning: 'Copilot auto scaling, not generated.' },
  'count-default': { severities: [INFO], meaning: 'No task count in the manifest.' },
  'variable-from-cfn': { severities: [WARNING], meaning: 'A variable read from a CloudFormation export.' },
  'entrypoint': { severities: [WARNING], meaning: 'An entrypoint override.' },
  'windows': { severities: [BLOCKER], meaning: 'A Windows platform.' },
  'load-balancer': { severities: [WARNING], meaning: 'A load balancer Copilot created.' },
  'network-placement': { severities: [INFO], meaning: 'The manifest\'s subnet placement.' },
  'sidecars': { severities: [WARNING], meaning: 'Copilot sidecar containers, not generated.' },
  'storage': { severities: [WARNING], meaning: 'Volumes, not generated.' },
  'logging': { severities: [INFO], meaning: 'FireLens logging, not generated.' },
  'observability': { severities: [INFO], meaning: 'Tracing, not generated.' },
  'subscribe': { severities: [WARNING], meaning: 'SNS/SQS subscriptions, not generated.' },
  'publish': { severities: [WARNING], meaning: 'SNS topics, not generated.' },
  'taskdef_overrides': { severities: [WARNING], meaning: 'Task definition overrides, not applied.' },
  'exec': { severities: [INFO], meaning: 'ECS Exec, not enabled.' },
  'deployment': { severities: [WARNING], meaning: 'Copilot: deployment (see the Copilot converter).' },
  'discovery-name': { severities: [WARNING], meaning: 'Copilot: discovery name (see the Copilot converter).' },
  'env-file': { severities: [WARNING], meaning: 'Copilot: env file (see the Copilot converter).' },
  'environment-not-chosen': { severities: [WARNING], meaning: 'Copilot: environment not chosen (see the Copilot converter).' },
  'fargate-spot': { severities: [WARNING], meaning: 'Copilot: fargate spot (see the Copilot converter).' },
  'health-check-adjusted': { severities: [WARNING], meaning: 'Copilot: health check adjusted (see the Copilot converter).' },
  'image-credentials': { severities: [WARNING], meaning: 'Copilot: image credentials (see the Copilot converter).' },
  'internal-load-balancer': { severities: [WARNING], meaning: 'Copilot: internal load balancer (see the Copilot converter).' },
  'interpolated': { severities: [INFO], meaning: 'Copilot: interpolated (see the Copilot converter).' },
  'interpolation-undefined': { severities: [WARNING], meaning: 'Copilot: interpolation undefined (see the Copilot converter).' },
  'invalid-alias': { severities: [WARNING], meaning: 'Copilot: invalid alias (see the Copilot converter).' },
  'invalid-port': { severities: [WARNING], meaning: 'Copilot: invalid port (see the Copilot converter).' },
  'log-retention': { severities: [INFO], meaning: 'Copilot: log retention (see the Copilot converter).' },
  'pipeline-manifest': { severities: [INFO], meaning: 'Copilot: pipeline manifest (see the Copilot converter).' },
  'protocol': { severities: [INFO], meaning: 'Copilot: protocol (see the Copilot converter).' },
  'service-discovery-unknown': { severities: [WARNING], meaning: 'Copilot: service discovery unknown (see the Copilot converter).' },
  'service-discovery-url': { severities: [INFO, WARNING, BLOCKER], meaning: 'Copilot: service discovery url (see the Copilot converter).' },
  'static-site': { severities: [INFO], meaning: 'Copilot: static site (see the Copilot converter).' },
  'tags': { severities: [INFO], meaning: 'Copilot: tags (see the Copilot converter).' },
  'target-container': { severities: [WARNING], meaning: 'Copilot: target container (see the Copilot converter).' },
  'udp-port': { severities: [WARNING], meaning: 'Copilot: udp port (see the Copilot converter).' },
  'unmapped-key': { severities: [WARNING], meaning: 'Copilot: unmapped key (see the Copilot converter).' },
  'variable-list': { severities: [WARNING], meaning: 'Copilot: variable list (see the Copilot converter).' },
  'variable-literal': { severities: [WARNING], meaning: 'Copilot: variable literal (see the Copilot converter).' },
  'variable-unresolved': { severities: [WARNING], meaning: 'Copilot: variable unresolved (see the Copilot converter).' },
} as const satisfies Record<string, { readonly severities: readonly FindingSeverity[]; readonly meaning: string }>;

/** A finding code of the catalogue. */
export type FindingCode = keyof typeof FINDING_CODES;

/** The severities a finding code may carry. */
export type SeverityOf<C extends FindingCode> = (typeof FINDING_CODES)[C]['severities'][number];

/** Whether `code` is a code of the catalogue (for codes read back from a plan). */
export function isFindingCode(code: string): code is FindingCode {
  return Object.prototype.hasOwnProperty.call(FINDING_CODES, code);
}

/** Record a finding in `into`: the one helper both converters use. */
export function finding<C extends FindingCode>(
  into: MigrationFinding[], code: C, severity: SeverityOf<C>, subject: string, feature: string, detail: string, recommendation: string,
): void {
  into.push({ code, severity, subject, feature, detail, recommendation });
}
