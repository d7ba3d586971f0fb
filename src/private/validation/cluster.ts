import { Token } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ECS_NAME, NAMESPACE_ARN, looksLikeArn, suggestName } from './formats';
import { Problems } from './problems';
import type { ServiceConnectClusterAttributes, ServiceConnectClusterProps } from '../../cluster';

/** Checks the props of a `ServiceConnectCluster`. */
export function validateClusterProps(scope: Construct, props: ServiceConnectClusterProps): void {
  const problems = new Problems(scope, 'ServiceConnectCluster');
  if (props.namespace && props.namespaceName !== undefined) {
    problems.add('namespace-exclusive', 'namespaceName', props.namespaceName,
      'both `namespace` and `namespaceName` are set; the cluster uses one namespace, either an existing one or a new one.',
      'remove `namespaceName` to use the given namespace, or remove `namespace` to create a new one with that name.');
  }
  if (props.namespace) checkNamespaceArn(problems, props.namespace.namespaceArn);
  const name = props.namespaceName;
  if (name !== undefined && looksLikeArn(name)) {
    problems.add('namespace-name-arn', 'namespaceName', name,
      'this is an ARN, so the cluster would create a new namespace named after it instead of joining the one it names.',
      NAMESPACE_ARN.test(name) ?
        `pass the existing namespace: namespace: SharedNamespace.fromArn(this, 'Namespace', { namespaceArn: ${JSON.stringify(name)}, namespaceName: '<its name>' }).` :
        'pass an existing namespace as `namespace`, or a plain name (e.g. "production.internal") as `namespaceName`.');
  } else if (name !== undefined && !Token.isUnresolved(name) && !/^[!-~]{1,1024}$/.test(name)) {
    problems.add('namespace-name-format', 'namespaceName', name,
      'a Cloud Map namespace name is 1-1024 printable ASCII characters without spaces.',
      'use a name like "production.internal".');
  }
  const clusterName = props.clusterName;
  if (clusterName !== undefined && !Token.isUnresolved(clusterName) && !ECS_NAME.test(clusterName)) {
    problems.add('cluster-name-format', 'clusterName', clusterName, 'an ECS cluster name is 1-255 letters, digits, `_` and `-`.',
      `use e.g. ${JSON.stringify(suggestName(clusterName, 255))}, or leave clusterName unset.`);
  }
  problems.throwIfAny();
}

function checkNamespaceArn(problems: Problems, arn: string | undefined): void {
  if (arn === undefined || arn === '' || (!Token.isUnresolved(arn) && !NAMESPACE_ARN.test(arn))) {
    problems.add('namespace-arn', 'namespace.namespaceArn', arn,
      'the cluster refers to an existing namespace by ARN; without one ECS would look the namespace up by name and, ' +
      'failing that, create a new one outside CloudFormation (and a namespace shared from another account is only found by ARN).',
      'import it with its ARN: SharedNamespace.fromArn(...) or servicediscovery.HttpNamespace.fromHttpNamespaceAttributes({ namespaceArn, ... }).');
  }
}

/** Checks the attributes of `ServiceConnectCluster.fromClusterAttributes` (also when called from JavaScript with anything). */
export function validateClusterAttributes(scope: Construct, attrs: ServiceConnectClusterAttributes | undefined): void {
  const problems = new Problems(scope, 'ServiceConnectCluster.fromClusterAttributes');
  const given = (attrs ?? {}) as Partial<ServiceConnectClusterAttributes>;
  const cluster = given.cluster as Partial<ServiceConnectClusterAttributes['cluster']> | undefined;
  if (!cluster || typeof cluster !== 'object' || cluster.clusterArn === undefined) {
    problems.add('cluster-attributes', 'cluster', cluster === undefined ? undefined : describe(cluster),
      'the attributes need the ECS cluster the services run in.',
      'pass `cluster: ecs.Cluster.fromClusterAttributes(this, \'Cluster\', { clusterName, vpc })` with the exported name and the VPC.');
  } else if (!cluster.vpc) {
    problems.add('cluster-attributes', 'cluster.vpc', undefined,
      'the imported ECS cluster has no VPC; the services\' security groups are created in it.',
      'pass `vpc` to ecs.Cluster.fromClusterAttributes (e.g. ec2.Vpc.fromLookup or ec2.Vpc.fromVpcAttributes).');
  }
  const namespace = given.namespace as Partial<ServiceConnectClusterAttributes['namespace']> | undefined;
  if (!namespace || typeof namespace !== 'object') {
    problems.add('cluster-attributes', 'namespace', namespace,
      'the attributes need the Cloud Map namespace the services join.',
      'pass `namespace: servicediscovery.HttpNamespace.fromHttpNamespaceAttributes(this, \'Namespace\', { namespaceArn, namespaceId, namespaceName })`.');
  } else {
    checkNamespaceArn(problems, namespace.namespaceArn);
  }
  problems.throwIfAny();
}

function describe(value: object): string {
  return value.constructor?.name ?? typeof value;
}
