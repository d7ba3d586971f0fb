import { Token } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { NAMESPACE_ARN } from './formats';
import { Problems } from './problems';
import type { ServiceConnectClusterProps } from '../../cluster';

/** Checks the props of a `ServiceConnectCluster`. */
export function validateClusterProps(scope: Construct, props: ServiceConnectClusterProps): void {
  const problems = new Problems(scope, 'ServiceConnectCluster');
  if (props.namespace && props.namespaceName !== undefined) {
    problems.add('namespace-exclusive', 'namespaceName', props.namespaceName,
      'both `namespace` and `namespaceName` are set; the cluster uses one namespace, either an existing one or a new one.',
      'remove `namespaceName` to use the given namespace, or remove `namespace` to create a new one with that name.');
  }
  const arn = props.namespace?.namespaceArn;
  if (props.namespace && (arn === undefined || arn === '' || (!Token.isUnresolved(arn) && !NAMESPACE_ARN.test(arn)))) {
    problems.add('namespace-arn', 'namespace.namespaceArn', arn,
      'the cluster refers to an existing namespace by ARN; without one ECS would look the namespace up by name and, ' +
      'failing that, create a new one outside CloudFormation (and a namespace shared from another account is only found by ARN).',
      'import it with its ARN: SharedNamespace.fromArn(...) or servicediscovery.HttpNamespace.fromHttpNamespaceAttributes({ namespaceArn, ... }).');
  }
  const name = props.namespaceName;
  if (name !== undefined && !Token.isUnresolved(name) && !/^[!-~]{1,1024}$/.test(name)) {
    problems.add('namespace-name-format', 'namespaceName', name,
      'a Cloud Map namespace name is 1-1024 printable ASCII characters without spaces.',
      'use a name like "production.internal".');
  }
  problems.throwIfAny();
}
