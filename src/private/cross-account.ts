import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import type * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import type { IConstruct } from 'constructs';

/**
 * Which namespaces may have callers in other AWS accounts: the ones this app shares through AWS
 * RAM, and the ones it imports from another account (or from an account it cannot tell).
 * Service Connect publishes the target metrics (`HTTPCode_Target_*`, `TargetResponseTime`) in the
 * account of the *calling* service, so a server's alarms never see those callers.
 */

const shared = new WeakSet<servicediscovery.INamespace>();

/** Record that this app shares `namespace` with other accounts. */
export function markShared(namespace: servicediscovery.INamespace): void {
  shared.add(namespace);
}

/**
 * Why callers of `namespace` may live in other accounts, seen from `scope`'s stack, or
 * `undefined` when they cannot: the namespace is this app's and not shared.
 */
export function crossAccountReason(scope: IConstruct, namespace: servicediscovery.INamespace): string | undefined {
  if (shared.has(namespace)) return 'this app shares the namespace with other accounts through AWS RAM';
  if (CfnResource.isCfnResource(namespace.node.defaultChild)) return undefined;
  const arn = namespace.namespaceArn;
  const account = Stack.of(scope).account;
  const owner = Token.isUnresolved(arn) ? undefined : arn.split(':')[4];
  if (owner !== undefined && !Token.isUnresolved(account) && owner === account) return undefined;
  return owner !== undefined && !Token.isUnresolved(account)
    ? `the namespace is imported from account ${owner}`
    : 'the namespace is imported and may belong to another account (its ARN or this stack\'s account is not known at synth time)';
}
