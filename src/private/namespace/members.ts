import { Stack, Stage, Token } from 'aws-cdk-lib';
import type * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import type { IConstruct } from 'constructs';
import { checkCreatedNamespaces, checkNamespace, dependencyChain } from './model';
import type { CallModel, CreatedNamespaceModel, NamespaceFinding, NamespaceModel } from './model';
import type { IConnectedService } from '../../connected-service';
import { formatProblem, warn } from '../validation/problems';

/**
 * The home of a namespace inside one app: which services joined it (from which cluster, in
 * which stack), which cluster created it, and who calls whom. The namespace-wide rules run once
 * per namespace on the plain model built from these members (`./model.ts`); each construct then
 * reports the findings about itself.
 *
 * A namespace is recognised by identity (the same construct, also across stacks through CDK
 * references) or, for namespaces imported by attributes, by their literal ARN.
 */

/** A service of the namespace and the cluster (construct) it runs in. */
export interface NamespaceMember {
  readonly service: IConnectedService;
  readonly cluster: IConstruct;
}

class Members {
  public readonly members: NamespaceMember[] = [];
  public readonly calls: Array<CallModel<IConnectedService>> = [];
  public owner?: IConstruct;
  private findings?: Array<NamespaceFinding<IConnectedService>>;

  constructor(public readonly namespace: servicediscovery.INamespace) {}

  public changed(): void {
    this.findings = undefined;
  }

  /** Every finding of the namespace-wide rules, computed once until a member or call is added. */
  public check(): Array<NamespaceFinding<IConnectedService>> {
    this.findings ??= checkNamespace(this.model());
    return this.findings;
  }

  private model(): NamespaceModel<IConnectedService> {
    const name = this.namespace.namespaceName;
    return {
      name: Token.isUnresolved(name) ? undefined : name,
      createdHere: this.owner !== undefined,
      services: this.members.map(({ service }) => ({
        ref: service,
        path: service.node.path,
        ports: service.endpoints.map((ep) => ({
          portName: ep.portName,
          discoveryName: known(ep.discoveryName),
          dnsName: known(ep.dnsName),
          clientPort: known(ep.clientPort),
          listenerPort: known(ep.listenerPort),
          protocol: ep.protocol,
        })),
      })),
      calls: this.calls,
    };
  }
}

function known<T extends string | number>(value: T): T | undefined {
  return Token.isUnresolved(value) ? undefined : value;
}

/** The services of this library (they check their own props, so the aspect does not repeat those rules). */
const libraryServiceSet = new WeakSet<IConstruct>();

/** Whether `construct` is (or is inside) a service of this library. */
export function isInLibraryService(construct: IConstruct): boolean {
  return construct.node.scopes.some((s) => libraryServiceSet.has(s));
}

const registries = new WeakMap<IConstruct, Map<unknown, Members>>();

function keyOf(namespace: servicediscovery.INamespace): unknown {
  const arn = namespace.namespaceArn;
  return Token.isUnresolved(arn) ? namespace : arn;
}

function membersOf(scope: IConstruct, namespace: servicediscovery.INamespace): Members {
  const root = scope.node.root;
  let registry = registries.get(root);
  if (!registry) {
    registry = new Map();
    registries.set(root, registry);
  }
  const key = keyOf(namespace);
  let members = registry.get(key);
  if (!members) {
    members = new Members(namespace);
    registry.set(key, members);
  }
  return members;
}

/** The namespaces the constructs of one app create, in creation order (for the app-wide rules). */
const created = new WeakMap<IConstruct, Array<CreatedNamespaceModel<IConstruct>>>();

/** Record that `cluster` created `namespace` (namespace-level findings are reported on it). */
export function declareNamespaceOwner(cluster: IConstruct, namespace: servicediscovery.INamespace): void {
  const members = membersOf(cluster, namespace);
  members.owner = cluster;
  members.changed();
  const root = cluster.node.root;
  const list = created.get(root) ?? [];
  created.set(root, list);
  const stack = Stack.of(cluster);
  list.push({
    ref: cluster,
    path: cluster.node.path,
    name: known(namespace.namespaceName),
    account: known(stack.account),
    region: known(stack.region),
    stage: Stage.of(cluster)?.node.path ?? '',
  });
  cluster.node.addValidation({ validate: () => [...createdNamespaceErrors(cluster), ...reportNamespaceWarnings(cluster, namespace)] });
}

/** The app-wide errors about the namespace `cluster` created (a name another cluster of the app created first). */
function createdNamespaceErrors(cluster: IConstruct): string[] {
  return checkCreatedNamespaces(created.get(cluster.node.root) ?? [])
    .filter((f) => f.service === cluster && f.level === 'error')
    .map((f) => f.level === 'error' ? formatProblem(f.rule, f.field, f.value, f.detail, f.fix) : '');
}

/** Record a service as a member of a namespace, and check it against the other members at synthesis. */
export function joinNamespace(service: IConnectedService, cluster: IConstruct, namespace: servicediscovery.INamespace): void {
  const members = membersOf(service, namespace);
  libraryServiceSet.add(service);
  members.members.push({ service, cluster });
  members.changed();
  service.node.addValidation({ validate: () => errorsOf(service, namespace) });
}

/**
 * Record a call between two services of a namespace.
 *
 * @param ordered whether the client keeps its deployment-order dependency on the server
 */
export function recordCall(client: IConnectedService, server: IConnectedService, namespace: servicediscovery.INamespace,
  ordered = true): void {
  const members = membersOf(client, namespace);
  members.calls.push({ client, server, ordered });
  members.changed();
}

/**
 * The chain of deployment-order dependencies by which `from` deploys after `to` (`from` first),
 * or `undefined`. A call from `to` to `from` would close a circle.
 */
export function deploymentChain(from: IConnectedService, to: IConnectedService,
  namespace: servicediscovery.INamespace): IConnectedService[] | undefined {
  return dependencyChain(membersOf(from, namespace).calls, from, to);
}

/** Every member of the namespace in this app, in the order they joined. */
export function namespaceMembers(scope: IConstruct, namespace: servicediscovery.INamespace): NamespaceMember[] {
  return [...membersOf(scope, namespace).members];
}

/** The namespace-wide errors about one service, as lines of its validation error. */
function errorsOf(service: IConnectedService, namespace: servicediscovery.INamespace): string[] {
  const errors: string[] = [];
  for (const finding of membersOf(service, namespace).check()) {
    if (finding.service !== service) continue;
    if (finding.level === 'error') {
      errors.push(formatProblem(finding.rule, finding.field, finding.value, finding.detail, finding.fix));
    } else {
      warn(service, finding.rule, finding.message);
    }
  }
  return errors;
}

/** The namespace-level warnings, on the construct that created the namespace. */
function reportNamespaceWarnings(owner: IConstruct, namespace: servicediscovery.INamespace): string[] {
  for (const finding of membersOf(owner, namespace).check()) {
    if (finding.level === 'warning' && finding.service === undefined) warn(owner, finding.rule, finding.message);
  }
  return [];
}
