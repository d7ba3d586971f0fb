import type { ServiceConnectProtocol } from '../../ports';
import type { ErrorRuleId, WarningRuleId } from '../validation/rules';

/**
 * A plain model of one Service Connect namespace — its services, their ports and who calls
 * whom — and the rules that need the whole namespace. The model knows nothing of constructs or
 * templates: the constructs of this library build it from themselves (`./members.ts`), and any
 * other source (an app written with aws-cdk-lib, a CloudFormation template) can build it too and
 * get the same findings. A value that is only known at deployment (a token) is left `undefined`
 * and skipped by every rule.
 */

/** A Service Connect port of a service. */
export interface PortModel {
  /** The port mapping name. */
  readonly portName: string;
  /** The Cloud Map discovery name, if known. */
  readonly discoveryName?: string;
  /** The client alias DNS name, if known. */
  readonly dnsName?: string;
  /** The client alias port, if known. */
  readonly clientPort?: number;
  /** The port the server-side proxy listens on, if known. */
  readonly listenerPort?: number;
  /** The application protocol, if known. */
  readonly protocol?: ServiceConnectProtocol;
}

/** A service of the namespace; `ref` is whatever the source uses to point at it. */
export interface ServiceModel<R> {
  readonly ref: R;
  /** How findings name the service (a construct path, a logical id). */
  readonly path: string;
  /** Its Service Connect ports; none for a client-only service. */
  readonly ports: readonly PortModel[];
}

/** A call of one service of the namespace to another. */
export interface CallModel<R> {
  readonly client: R;
  readonly server: R;
  /** Whether the client deploys after the server (false for the call that closes a circle). */
  readonly ordered?: boolean;
}

/** One namespace. */
export interface NamespaceModel<R> {
  /** The namespace name, if known. */
  readonly name?: string;
  /** Whether the source creates the namespace (rather than joining an existing one). */
  readonly createdHere: boolean;
  /** The services, in the order they were declared (the first owner of a name keeps it). */
  readonly services: readonly ServiceModel<R>[];
  /** The calls between them. */
  readonly calls: readonly CallModel<R>[];
}

/** A finding of a namespace-wide rule: about one service, or (without `service`) the namespace. */
export type NamespaceFinding<R> = {
  readonly level: 'error';
  readonly rule: ErrorRuleId;
  readonly service: R;
  readonly field: string;
  readonly value: unknown;
  readonly detail: string;
  readonly fix: string;
} | {
  readonly level: 'warning';
  readonly rule: WarningRuleId;
  readonly service?: R;
  readonly message: string;
};

/** Runs every namespace-wide rule over the model. O(ports). */
export function checkNamespace<R>(model: NamespaceModel<R>): Array<NamespaceFinding<R>> {
  return [...uniqueNames(model), ...serverPresent(model)];
}

/**
 * `discovery-name-unique` and `client-alias-unique`: the first service to register a discovery
 * name or a `dnsName:port` alias keeps it; every later one is an error (ECS rejects it).
 */
function uniqueNames<R>(model: NamespaceModel<R>): Array<NamespaceFinding<R>> {
  const owners = new Map<string, { service: ServiceModel<R>; portName: string }>();
  const findings: Array<NamespaceFinding<R>> = [];
  for (const service of model.services) {
    const mine = new Set<string>();
    for (const port of service.ports) {
      const keys: Array<[string, 'discovery-name-unique' | 'client-alias-unique', string, string]> = [];
      if (port.discoveryName !== undefined) {
        keys.push([`d:${port.discoveryName}`, 'discovery-name-unique', port.discoveryName, 'discoveryName']);
      }
      if (port.dnsName !== undefined && port.clientPort !== undefined) {
        keys.push([`a:${port.dnsName}:${port.clientPort}`, 'client-alias-unique', `${port.dnsName}:${port.clientPort}`, 'alias']);
      }
      for (const [key, rule, value] of keys) {
        const owner = owners.get(key);
        if (!owner) {
          owners.set(key, { service, portName: port.portName });
          mine.add(key);
        } else if (!mine.has(key) && owner.service !== service) {
          findings.push(rule === 'discovery-name-unique' ? {
            level: 'error',
            rule,
            service: service.ref,
            field: `port ${JSON.stringify(port.portName)}`,
            value,
            detail: `${owner.service.path} (port ${JSON.stringify(owner.portName)}) already registers this discovery name in the namespace; ECS rejects the second service.`,
            fix: 'give one of them another discoveryName.',
          } : {
            level: 'error',
            rule,
            service: service.ref,
            field: `port ${JSON.stringify(port.portName)}`,
            value,
            detail: `${owner.service.path} (port ${JSON.stringify(owner.portName)}) already publishes this alias in the namespace.`,
            fix: 'give one of them another dnsName or clientPort.',
          });
        }
      }
    }
  }
  return findings;
}

/**
 * `namespace-without-server`: ECS does not complete the first deployment of a namespace that
 * holds only client-only services. Only for a namespace the source creates.
 */
function serverPresent<R>(model: NamespaceModel<R>): Array<NamespaceFinding<R>> {
  const services = model.services;
  if (!model.createdHere || services.length === 0 || services.some((s) => s.ports.length > 0)) return [];
  return [{
    level: 'warning',
    rule: 'namespace-without-server',
    message: `namespace ${JSON.stringify(model.name)} gets ${services.length} service(s) and all are client-only ` +
      `(${services.map((s) => s.path).join(', ')}). ECS does not complete the first deployment of a namespace that holds only ` +
      'client-only services: add a service with ports, or deploy the servers first.',
  }];
}

/** A namespace that a source creates, for the app-wide rules. */
export interface CreatedNamespaceModel<R> {
  readonly ref: R;
  /** How findings name the creator (a construct path, a logical id). */
  readonly path: string;
  /** The namespace name, if known. */
  readonly name?: string;
  /** The account it is created in, if known. */
  readonly account?: string;
  /** The Region it is created in, if known. */
  readonly region?: string;
  /**
   * The unit it is deployed with (a CDK `Stage`: its path, `''` for the app itself), if any.
   * @default the same unit as every other creator
   */
  readonly stage?: string;
}

/**
 * `namespace-name-unique`: Cloud Map refuses a second namespace of a name that exists in the
 * same account and Region. Two creators of one deployment unit clash when the names are equal
 * and their accounts and Regions are equal or both unknown (environment-agnostic stacks deploy to
 * the same default); one known and one unknown is not reported. Creators in different stages
 * (a pipeline's beta and prod) are deployed separately, usually to different accounts: they
 * clash only when both name the same account and Region.
 */
export function checkCreatedNamespaces<R>(namespaces: readonly CreatedNamespaceModel<R>[]): Array<NamespaceFinding<R>> {
  const findings: Array<NamespaceFinding<R>> = [];
  const same = (a?: string, b?: string) => a === b;
  const known = (a?: string, b?: string) => a !== undefined && a === b;
  const clash = (a: CreatedNamespaceModel<R>, b: CreatedNamespaceModel<R>) => (a.stage === b.stage
    ? same(a.account, b.account) && same(a.region, b.region)
    : known(a.account, b.account) && known(a.region, b.region));
  namespaces.forEach((ns, i) => {
    if (ns.name === undefined) return;
    const first = namespaces.slice(0, i).find((o) => o.name === ns.name && clash(o, ns));
    if (!first) return;
    findings.push({
      level: 'error',
      rule: 'namespace-name-unique',
      service: ns.ref,
      field: 'namespaceName',
      value: ns.name,
      detail: `${first.path} already creates a namespace of this name in the same account and Region; Cloud Map rejects the second ` +
        '(NamespaceAlreadyExists) and the deployment fails.',
      fix: 'give this cluster another namespaceName, or pass the first cluster\'s namespace to it (namespace: <first cluster>.namespace).',
    });
  });
  return findings;
}

/**
 * The chain of deployment-order dependencies from `from` to `to` (each service deploys after the
 * next), or `undefined` when there is none. Only calls that kept their dependency (`ordered`
 * not false) count. A call from `to` to `from` that would close such a chain makes a circle that
 * CloudFormation cannot deploy (`dependency-cycle`).
 */
export function dependencyChain<R>(calls: readonly CallModel<R>[], from: R, to: R): R[] | undefined {
  const next = new Map<R, R[]>();
  for (const call of calls) {
    if (call.ordered === false) continue;
    next.set(call.client, [...(next.get(call.client) ?? []), call.server]);
  }
  const previous = new Map<R, R>();
  const queue: R[] = [from];
  const seen = new Set<R>([from]);
  while (queue.length > 0) {
    const at = queue.shift()!;
    if (at === to) {
      const chain: R[] = [at];
      while (chain[0] !== from) chain.unshift(previous.get(chain[0])!);
      return chain;
    }
    for (const n of next.get(at) ?? []) {
      if (seen.has(n)) continue;
      seen.add(n);
      previous.set(n, at);
      queue.push(n);
    }
  }
  return undefined;
}
