/**
 * Findings: every App Mesh feature of the input without a (full) Service Connect equivalent,
 * with what to do instead, and the IAM and gateway resources to remove.
 */
import type { Ctx, Listener, Node, Route } from './model';
import { ROUTE_KINDS, TIMEOUT_KEYS } from './model';
import { readListeners } from './read';
import { defaultRoute, primaryOf } from './routing';
import { FindingSeverity } from '../types';
import { asArray, durationSeconds, isObject, num, str } from '../util';

const BLUE_GREEN = 'Run one ECS service per virtual service and shift traffic between versions with ECS-native blue/green, ' +
  'linear or canary deployments through Service Connect: set `deployment: ServiceConnectDeployment.canary({ canaryPercent })` ' +
  '(or blueGreen() / linear()) on the ConnectedFargateService; each new task definition revision is the "new target", the ' +
  'canary percentage replaces the weight, a port\'s `testTrafficHeader` replaces a header match for test requests, and the ' +
  'service\'s 5xx/latency alarms roll a bad revision back. ' +
  'For a lasting split by weight, put an Application Load Balancer with weighted target groups in front instead.';

export function meshFindings(c: Ctx): void {
  if (c.meshes.length > 1) {
    c.finding('several-meshes', FindingSeverity.WARNING, c.meshes.map((m) => `mesh ${m.name}`).join(', '), 'several meshes',
      `the template holds ${c.meshes.length} meshes; the plan puts every node in one namespace.`,
      'Migrate one mesh at a time (pass the namespace with --namespace), or keep one namespace if the names do not clash.');
  }
  for (const m of c.meshes) {
    const egress = isObject(m.spec.EgressFilter) ? str(m.spec.EgressFilter.Type) : undefined;
    if (egress === 'ALLOW_ALL') {
      c.finding('egress-filter', FindingSeverity.INFO, c.subject('mesh', m.logicalId), 'egress filter ALLOW_ALL',
        'tasks may call endpoints outside the mesh.',
        'Nothing to do: Service Connect never filters egress; security groups and NAT decide what tasks reach.');
    } else {
      c.finding('egress-filter', FindingSeverity.WARNING, c.subject('mesh', m.logicalId), 'egress filter DROP_ALL',
        'the mesh blocks calls to anything that is not a virtual service.',
        'Service Connect does not filter egress: restrict outbound traffic with security groups (the generated services allow all outbound), VPC endpoints, or AWS Network Firewall.');
    }
  }
  c.finding('backends-not-enforced', FindingSeverity.INFO, 'all virtual nodes', 'backends as an allow list',
    'App Mesh let a node reach only its declared backends (with DROP_ALL).',
    'With Service Connect every task can resolve every endpoint of the namespace. The generated app calls connectTo for each declared backend, which opens the server\'s security group to that client only, so the allow list moves into security groups.');
}

export function routeFindings(c: Ctx): void {
  for (const route of c.routes) {
    const subject = c.subject(`route ${route.router}/${route.name}`, route.logicalId);
    const weighted = route.targets.filter((t) => t.weight > 0);
    if (route.targets.length > 1) {
      c.finding('weighted-route', FindingSeverity.WARNING, subject, 'weighted route targets',
        `the route splits traffic by weight: ${route.targets.map((t) => `${t.node} ${t.weight}`).join(', ')}. ` +
        (defaultRoute(c, route.router) === route
          ? `Service Connect has one alias per service: the plan gives the virtual service's name (and the router's port) to ${primaryOf(route.targets)}, ` +
            'the target with the largest weight of the router\'s default route, and lets the other targets keep their own discovery names.'
          : 'This is not the router\'s default route: its targets keep their own discovery names, and clients of the virtual service reach the default route\'s target only.'),
        BLUE_GREEN);
    } else if (weighted.length === 0 && route.targets.length > 0) {
      c.finding('weighted-route', FindingSeverity.INFO, subject, 'zero-weight target',
        'the route sends no traffic (every weight is 0).', 'Remove the idle node, or deploy it as a new revision later.');
    }
    const match = isObject(route.spec.Match) ? route.spec.Match : {};
    const clients = clientChange(c, route);
    const matchFinding = (code: 'path-match' | 'header-match' | 'method-match' | 'query-match' | 'scheme-match', feature: string, detail: string, rec: string): void =>
      c.finding(code, FindingSeverity.WARNING, subject, feature, `${detail}${clients}`, rec);
    const contentRouting = 'Service Connect does not route by request content: one alias reaches one ECS service. Route inside the ' +
      'application, give each variant its own service and alias (clients call the one they need), or put an Application Load ' +
      'Balancer with listener rules in front.';
    const prefix = str(match.Prefix);
    if (prefix !== undefined && prefix !== '/') {
      matchFinding('path-match', 'path prefix match', `the route matches the path prefix ${JSON.stringify(prefix)}.`, contentRouting);
    }
    if (isObject(match.Path)) {
      matchFinding('path-match', 'path match', `the route matches the path ${JSON.stringify(match.Path)}.`, contentRouting);
    }
    if (asArray(match.Headers).length > 0) {
      const names = asArray(match.Headers).filter(isObject).map((h) => str(h.Name)).join(', ');
      matchFinding('header-match', 'header match', `the route matches the headers ${names}.`, contentRouting);
    }
    if (asArray(match.Metadata).length > 0) {
      const names = asArray(match.Metadata).filter(isObject).map((h) => str(h.Name)).join(', ');
      matchFinding('header-match', 'gRPC metadata match', `the route matches the gRPC metadata ${names}.`, contentRouting);
    }
    if (match.Method !== undefined) {
      matchFinding('method-match', 'method match', `the route matches the HTTP method ${String(match.Method)}.`, contentRouting);
    }
    if (match.ServiceName !== undefined || match.MethodName !== undefined) {
      matchFinding('method-match', 'gRPC service/method match',
        `the route matches the gRPC ${[match.ServiceName && `service ${String(match.ServiceName)}`, match.MethodName && `method ${String(match.MethodName)}`].filter(Boolean).join(' and ')}.`,
        contentRouting);
    }
    if (asArray(match.QueryParameters).length > 0) {
      matchFinding('query-match', 'query parameter match', 'the route matches query parameters.', contentRouting);
    }
    if (match.Scheme !== undefined) {
      matchFinding('scheme-match', 'scheme match', `the route matches the scheme ${String(match.Scheme)}.`, contentRouting);
    }
    if (isObject(route.spec.RetryPolicy)) {
      const rp = route.spec.RetryPolicy;
      const events = [...asArray(rp.HttpRetryEvents), ...asArray(rp.GrpcRetryEvents), ...asArray(rp.TcpRetryEvents)].join(', ');
      c.finding('retry-policy', FindingSeverity.WARNING, subject, 'retry policy',
        `the route retries up to ${String(rp.MaxRetries)} times${durationSeconds(rp.PerRetryTimeout) !== undefined ? ` (${durationSeconds(rp.PerRetryTimeout)} s per try)` : ''}` +
        `${events ? ` on ${events}` : ''}.`,
        'Service Connect\'s proxy retries a failed request on another task by itself (AWS documents no count and no conditions) and ' +
          'cannot be configured. Retry in the ' +
        'client (AWS SDK-style exponential backoff with jitter) for idempotent calls only.');
    }
    const timeout = isObject(route.spec.Timeout) ? route.spec.Timeout : undefined;
    if (timeout) {
      const per = durationSeconds(timeout.PerRequest);
      const idle = durationSeconds(timeout.Idle);
      c.finding('route-timeout', FindingSeverity.INFO, subject, 'route timeout',
        `the route sets ${[per !== undefined && `a per-request timeout of ${per} s`, idle !== undefined && `an idle timeout of ${idle} s`].filter(Boolean).join(' and ')}.`,
        'The plan sets it on the target service\'s port (Service Connect timeouts are per port, not per route; per-request timeouts are not allowed on TCP ports).');
    }
  }
}

export function gatewayFindings(c: Ctx, ids: string[]): void {
  for (const id of ids) {
    const type = c.t.Resources[id].Type;
    if (type === 'AWS::AppMesh::VirtualGateway') {
      const p = c.r.properties(id);
      const spec = isObject(p.Spec) ? p.Spec : {};
      const listeners = readListeners(c, spec.Listeners, id).map((l) => `${l.port}/${l.protocol}`).join(', ');
      c.finding('virtual-gateway', FindingSeverity.WARNING, c.subject(`virtual gateway ${c.r.nameOf(id, 'VirtualGatewayName')}`, id),
        'virtual gateway', `an ingress gateway listening on ${listeners || 'no port'}.`,
        'Service Connect has no ingress gateway: traffic from outside the namespace enters through an Application Load Balancer ' +
        '(HTTP, path and header rules), a Network Load Balancer (TCP) or Amazon API Gateway with a VPC link, targeting the ECS ' +
        'services directly. Delete the gateway\'s Envoy-only ECS service after the switch.');
    } else if (type === 'AWS::AppMesh::GatewayRoute') {
      const p = c.r.properties(id);
      const spec = isObject(p.Spec) ? p.Spec : {};
      const kind = Object.keys(ROUTE_KINDS).find((k) => isObject(spec[k]));
      const route = kind ? spec[kind] as Record<string, unknown> : {};
      const action = isObject(route.Action) ? route.Action : {};
      const targetVs = isObject(action.Target) && isObject(action.Target.VirtualService) ? action.Target.VirtualService : {};
      const target = str(targetVs.VirtualServiceName);
      const match = isObject(route.Match) ? route.Match : {};
      const what = str(match.Prefix) !== undefined ? `prefix ${str(match.Prefix)}` : match.ServiceName ? `gRPC service ${String(match.ServiceName)}` : 'any request';
      c.finding('gateway-route', FindingSeverity.WARNING, c.subject(`gateway route ${str(p.VirtualGatewayName)}/${c.r.nameOf(id, 'GatewayRouteName')}`, id),
        'gateway route', `sends ${what} to ${target ?? 'a virtual service'}.`,
        `Make it a listener rule of the load balancer that replaces the gateway (${what} → the target group of the ECS service behind ${target ?? 'the virtual service'}).`);
    }
  }
  for (const td of c.taskDefs) {
    if (td.meshResource?.kind === 'virtualGateway') {
      c.removals.push(`Task definition ${td.logicalId} (the Envoy of virtual gateway ${td.meshResource.name})` +
        `${td.services.length ? ` and its ECS service ${td.services.map((s) => s.logicalId).join(', ')}` : ''}: replace with a load balancer.`);
    }
  }
}

export function iamRemovals(c: Ctx, ids: string[]): void {
  for (const id of ids) {
    const type = c.t.Resources[id].Type;
    if (!type.startsWith('AWS::IAM::')) continue;
    const text = JSON.stringify(c.t.Resources[id].Properties ?? {});
    if (/appmesh:StreamAggregatedResources|appmesh:\*/i.test(text)) {
      c.removals.push(`IAM permission appmesh:StreamAggregatedResources in ${type.replace('AWS::IAM::', '')} ${id} (the Envoy's access to the mesh).`);
    }
    if (/AWSAppMeshEnvoyAccess|AWSAppMeshPreviewEnvoyAccess/.test(text)) {
      c.removals.push(`Managed policy AWSAppMeshEnvoyAccess attached by ${type.replace('AWS::IAM::', '')} ${id}.`);
    }
    if (/AWSXRayDaemonWriteAccess/.test(text)) {
      c.removals.push(`Managed policy AWSXRayDaemonWriteAccess in ${id}, unless you keep the X-Ray daemon.`);
    }
  }
}

export function listenerFindings(c: Ctx, node: Node, l: Listener): void {
  const subject = c.subject(`virtual node ${node.name} listener ${l.port}/${l.protocol}`, node.logicalId);
  const tls = isObject(l.raw.TLS) ? l.raw.TLS : undefined;
  if (tls && str(tls.Mode) !== 'DISABLED') {
    const source = isObject(tls.Certificate) ? Object.keys(tls.Certificate).join('/') : 'a certificate';
    c.finding('tls', FindingSeverity.WARNING, subject, 'listener TLS',
      `the listener terminates TLS (${str(tls.Mode) ?? 'STRICT'}, ${source} certificate).`,
      'Service Connect encrypts with certificates it issues from AWS Private CA only (one-way TLS 1.3, no ACM/file/SDS certificates): ' +
      'create a short-lived-certificate Private CA and set the service\'s Service Connect TLS (IssuerCertificateAuthority, RoleArn with ' +
      'AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity). The app keeps speaking plain text to the proxy.');
    if (isObject(tls.Validation)) {
      c.finding('mtls', FindingSeverity.BLOCKER, subject, 'mutual TLS',
        'the listener validates client certificates (mTLS).',
        'Service Connect has no mTLS and no bring-your-own CA. Authenticate callers in the application (signed tokens such as JWT, ' +
        'or SigV4 through a VPC Lattice service network), and rely on security groups (connectTo) for who can connect.');
    }
  }
  if (isObject(l.raw.OutlierDetection)) {
    const o = l.raw.OutlierDetection;
    c.finding('outlier-detection', FindingSeverity.INFO, subject, 'outlier detection',
      `ejects hosts after ${String(o.MaxServerErrors)} server errors (up to ${String(o.MaxEjectionPercent)}%).`,
      'Service Connect\'s proxy does outlier detection by itself with fixed settings; nothing to configure. Keep container health checks so that ECS replaces unhealthy tasks.');
  }
  if (isObject(l.raw.ConnectionPool)) {
    const pool = Object.values(l.raw.ConnectionPool).filter(isObject)[0] ?? {};
    c.finding('connection-pool', FindingSeverity.WARNING, subject, 'connection pool',
      `limits ${Object.entries(pool).map(([k, v]) => `${k} ${String(v)}`).join(', ')}.`,
      'Service Connect has no connection or request limits. Limit concurrency in the application (a bounded worker pool or a ' +
      'rate limiter), and scale the server with ECS service auto scaling on the RequestCountPerTarget metric.');
  }
  if (isObject(l.raw.HealthCheck)) {
    const hc = l.raw.HealthCheck;
    c.finding('health-check', FindingSeverity.INFO, subject, 'listener health check',
      `the Envoy checked ${str(hc.Protocol) ?? 'the port'}${str(hc.Path) ? ` ${str(hc.Path)}` : ''} every ${num(hc.IntervalMillis) !== undefined ? Math.ceil(num(hc.IntervalMillis)! / 1000) : '?'} s.`,
      'Service Connect does not health-check: give the app container an ECS health check (healthCheck prop) so unhealthy tasks are replaced and leave the namespace.');
  }
  const timeout = isObject(l.raw.Timeout) ? l.raw.Timeout[TIMEOUT_KEYS[l.protocol]] : undefined;
  if (l.protocol === 'tcp' && isObject(timeout) && timeout.PerRequest !== undefined) {
    c.finding('tcp-per-request-timeout', FindingSeverity.INFO, subject, 'TCP per-request timeout',
      'the listener sets a per-request timeout on a TCP port.', 'Dropped: Service Connect rejects per-request timeouts on TCP ports. The idle timeout is kept.');
  }
}

export function nodeFindings(c: Ctx, node: Node): void {
  const subject = c.subject(`virtual node ${node.name}`, node.logicalId);
  const backendDefaults = isObject(node.spec.BackendDefaults) ? node.spec.BackendDefaults : {};
  const defaults = isObject(backendDefaults.ClientPolicy) ? backendDefaults.ClientPolicy : undefined;
  const backendPolicies = asArray(node.spec.Backends).filter(isObject)
    .map((b) => isObject(b.VirtualService) ? b.VirtualService : {})
    .filter((vs) => isObject(vs.ClientPolicy) && isObject((vs.ClientPolicy as Record<string, unknown>).TLS));
  if ((defaults && isObject(defaults.TLS)) || backendPolicies.length > 0) {
    const policy = defaults && isObject(defaults.TLS) ? defaults : backendPolicies[0].ClientPolicy as Record<string, unknown>;
    const tls = policy.TLS as Record<string, unknown>;
    const names = backendPolicies.map((b) => str(b.VirtualServiceName)).filter(Boolean).join(', ');
    c.finding('tls-client-policy', FindingSeverity.WARNING, subject, 'TLS client policy',
      `the node validates the TLS certificates of ${defaults ? 'every backend' : names}${isObject(tls.Certificate) ? ' and presents a client certificate (mTLS)' : ''}.`,
      'Service Connect clients trust the AWS Private CA of the server\'s Service Connect TLS automatically; custom trust stores, ' +
      'subject alternative name checks and client certificates have no equivalent. Turn on Service Connect TLS on the servers instead.');
    if (isObject(tls.Certificate)) {
      c.finding('mtls', FindingSeverity.BLOCKER, subject, 'mutual TLS (client certificate)',
        'the node presents a client certificate to its backends.',
        'Service Connect has no mTLS. Authenticate callers in the application (signed tokens), and rely on security groups for who can connect.');
    }
  }
  const logging = isObject(node.spec.Logging) ? node.spec.Logging : undefined;
  if (logging && isObject(logging.AccessLog)) {
    c.finding('access-log', FindingSeverity.INFO, subject, 'Envoy access log',
      'the Envoy writes an access log.',
      'The generated service sends the Service Connect proxy\'s logs to CloudWatch Logs; for per-request access logs add an AccessLogConfiguration (TEXT or JSON) to the service\'s Service Connect configuration.');
  }
}

/**
 * What changes for the clients of a route's requests: the virtual service names and ports they
 * dial stay, but every request now reaches the node of the router's default route.
 */
function clientChange(c: Ctx, route: Route): string {
  const names = c.virtualServices.filter((v) => v.router === route.router).map((v) => v.name);
  const router = c.routers.find((r) => r.name === route.router);
  const fallback = defaultRoute(c, route.router);
  if (names.length === 0 || !router || fallback === route) return '';
  const targets = [...new Set(route.targets.map((t) => t.node))].join(', ');
  const dialed = names.flatMap((n) => router.listeners.map((l) => `${n}:${l.port}`)).join(', ');
  return ` Requests it matched went to ${targets || 'no node'}; clients keep dialing ${dialed}, which now reaches ` +
    `${fallback ? primaryOf(fallback.targets) : 'the default route\'s node'} for every request.`;
}
