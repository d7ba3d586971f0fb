import { Token } from 'aws-cdk-lib';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { IConstruct } from 'constructs';
import type { ConnectedFargateService } from './service';

/**
 * The services of one app that share a namespace, whichever cluster or stack they are in.
 *
 * A namespace is recognised by identity (the same construct, also across stacks through CDK
 * references) or, for namespaces imported by attributes, by their literal ARN.
 */
interface NamespaceMembers {
  readonly services: ConnectedFargateService[];
  /** First owner of each `d:<discovery name>` and `a:<dns name>:<port>`, built once at validation. */
  index?: Map<string, { service: ConnectedFargateService; portName: string }>;
}

const registries = new WeakMap<IConstruct, Map<unknown, NamespaceMembers>>();

function keyOf(namespace: servicediscovery.INamespace): unknown {
  const arn = namespace.namespaceArn;
  return Token.isUnresolved(arn) ? namespace : arn;
}

function membersOf(scope: IConstruct, namespace: servicediscovery.INamespace): NamespaceMembers {
  const root = scope.node.root;
  let registry = registries.get(root);
  if (!registry) {
    registry = new Map();
    registries.set(root, registry);
  }
  const key = keyOf(namespace);
  let members = registry.get(key);
  if (!members) {
    members = { services: [] };
    registry.set(key, members);
  }
  return members;
}

/** Record a service as a member of its cluster's namespace. */
export function registerService(service: ConnectedFargateService): void {
  const members = membersOf(service, service.cluster.namespace);
  members.services.push(service);
  members.index = undefined;
}

/** Every service of the app in the given namespace, in creation order. */
export function servicesInNamespace(scope: IConstruct, namespace: servicediscovery.INamespace): ConnectedFargateService[] {
  return [...membersOf(scope, namespace).services];
}

/**
 * The service (and port) that first registered a discovery name (`d:<name>`) or a client alias
 * (`a:<dns name>:<port>`) in a namespace. The index is built once per namespace, so checking
 * every service costs O(ports) rather than O(services²).
 */
export function firstOwner(scope: IConstruct, namespace: servicediscovery.INamespace, key: string):
{ service: ConnectedFargateService; portName: string } | undefined {
  const members = membersOf(scope, namespace);
  if (!members.index) {
    const index = new Map<string, { service: ConnectedFargateService; portName: string }>();
    for (const service of members.services) {
      for (const ep of service.endpoints) {
        for (const k of [`d:${ep.discoveryName}`, `a:${ep.dnsName}:${ep.clientPort}`]) {
          if (!index.has(k)) index.set(k, { service, portName: ep.portName });
        }
      }
    }
    members.index = index;
  }
  return members.index.get(key);
}
