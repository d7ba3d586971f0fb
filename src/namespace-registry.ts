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
const registries = new WeakMap<IConstruct, Map<unknown, ConnectedFargateService[]>>();

function keyOf(namespace: servicediscovery.INamespace): unknown {
  const arn = namespace.namespaceArn;
  return Token.isUnresolved(arn) ? namespace : arn;
}

function registryOf(scope: IConstruct): Map<unknown, ConnectedFargateService[]> {
  const root = scope.node.root;
  let registry = registries.get(root);
  if (!registry) {
    registry = new Map();
    registries.set(root, registry);
  }
  return registry;
}

/** Record a service as a member of its cluster's namespace. */
export function registerService(service: ConnectedFargateService): void {
  const registry = registryOf(service);
  const key = keyOf(service.cluster.namespace);
  const members = registry.get(key) ?? [];
  members.push(service);
  registry.set(key, members);
}

/** Every service of the app in the given namespace, in creation order. */
export function servicesInNamespace(scope: IConstruct, namespace: servicediscovery.INamespace): ConnectedFargateService[] {
  return [...(registryOf(scope).get(keyOf(namespace)) ?? [])];
}
