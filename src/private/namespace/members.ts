import { Token } from 'aws-cdk-lib';
import type * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import type { IConstruct } from 'constructs';
import { checkNamespace } from './model';
import type { NamespaceFinding, NamespaceModel } from './model';
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
  public readonly calls: Array<{ client: IConnectedService; server: IConnectedService }> = [];
  public owner?: IConstruct;
  private findings?: Array<NamespaceFinding<IConnectedService>>;

  constructor(private readonly namespace: servicediscovery.INamespace) {}

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

/** Record that `cluster` created `namespace` (namespace-level findings are reported on it). */
export function declareNamespaceOwner(cluster: IConstruct, namespace: servicediscovery.INamespace): void {
  const members = membersOf(cluster, namespace);
  members.owner = cluster;
  members.changed();
  cluster.node.addValidation({ validate: () => reportNamespaceWarnings(cluster, namespace) });
}

/** Record a service as a member of a namespace, and check it against the other members at synthesis. */
export function joinNamespace(service: IConnectedService, cluster: IConstruct, namespace: servicediscovery.INamespace): void {
  const members = membersOf(service, namespace);
  members.members.push({ service, cluster });
  members.changed();
  service.node.addValidation({ validate: () => errorsOf(service, namespace) });
}

/** Record a call between two services of a namespace. */
export function recordCall(client: IConnectedService, server: IConnectedService, namespace: servicediscovery.INamespace): void {
  const members = membersOf(client, namespace);
  members.calls.push({ client, server });
  members.changed();
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
