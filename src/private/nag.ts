import { CfnElement, Stack } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import { acknowledgeFinding } from './acknowledge';

/**
 * Every cdk-nag finding the library acknowledges on its own constructs, with when and why, in
 * one table. The README's list is generated from it (`npx projen rules-doc`); nothing else in
 * the library acknowledges a finding.
 */

/** One acknowledgement. */
export interface NagAcknowledgement {
  /** The cdk-nag rule (and, for IAM rules, the finding's resource or policy). */
  readonly id: string;
  /** What the library acknowledges it on, and when. */
  readonly when: string;
  /** The reason recorded with it. */
  readonly reason: string;
}

export const NAG_ACKNOWLEDGEMENTS = {
  libraryVariables: {
    id: 'AwsSolutions-ECS2',
    when: 'a task definition whose only plain environment variables are the ones the library sets (peer URLs, the X-Ray daemon address)',
    reason: 'The only plain environment variables are set by cdk-service-connect: Service Connect URLs of peer services ' +
      '(e.g. PAYMENTS_URL=http://payments:8080) and the X-Ray daemon address; they are not secret. Secrets go through `secrets`.',
  },
  tlsManagedPolicy: {
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity]',
    when: 'the infrastructure role the library creates for Service Connect TLS',
    reason: 'ECS requires this AWS managed policy for the infrastructure role that issues Service Connect TLS certificates.',
  },
  xrayDaemon: {
    id: 'AwsSolutions-IAM5[Resource::*]',
    when: 'the task role of a service with the X-Ray daemon (`tracing: ServiceConnectTracing.xrayDaemon()` or `xrayTracing`)',
    reason: 'The X-Ray daemon\'s write and sampling actions (xray:PutTraceSegments, PutTelemetryRecords, GetSampling*) do not ' +
      'support resource-level permissions; AWS documents Resource "*" for them.',
  },
  openTelemetryCollector: {
    id: 'AwsSolutions-IAM5[Resource::*]',
    when: 'the task role of a service with `tracing: ServiceConnectTracing.openTelemetry()`',
    reason: 'The AWS Distro for OpenTelemetry collector exports to AWS X-Ray with xray:PutTraceSegments and PutTelemetryRecords, and ' +
      'SDK sampling reads xray:GetSamplingRules and GetSamplingTargets; these actions do not support resource-level permissions, so AWS ' +
      'documents Resource "*" for them.',
  },
  executeCommand: {
    id: 'AwsSolutions-IAM5[Resource::*]',
    when: 'the task role of a service with `enableExecuteCommand`',
    reason: 'ECS Exec needs ssmmessages:Create/OpenControlChannel and Create/OpenDataChannel and logs:DescribeLogGroups, which do not ' +
      'support resource-level permissions; session output goes only to the cluster\'s audit log group.',
  },
  lifecycleHook: {
    id: 'AwsSolutions-IAM5[Resource::<hook function ARN>:*]',
    when: 'the service of a deployment with lifecycle hooks (one per hook function)',
    reason: 'The deployment lifecycle hook role may invoke only this hook function, including its versions and aliases ' +
      '(the `:*` qualifier); aws-cdk-lib\'s DeploymentLifecycleLambdaTarget grants exactly that.',
  },
  serviceConnectPoll: {
    id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:task-set/<cluster>/*]',
    when: 'the instance role of an EC2 or Managed Instances capacity provider of a Service Connect cluster',
    reason: 'The Service Connect agent polls ECS for the task sets of the services on the instance (ecs:Poll on ' +
      'task-set/<cluster>/<service>/<id>); ECS creates a task set, with a new ID, on every deployment, so the ARN is ' +
      'scoped to the cluster and cannot name the IDs.',
  },
  publicLoadBalancer: {
    id: 'AwsSolutions-EC23',
    when: 'the security group of an internet-facing `ServiceConnectIngress` load balancer',
    reason: 'An internet-facing load balancer admits the internet on its listener ports (80, and 443 with a certificate) by design; ' +
      'the services behind it admit only the load balancer\'s security group, on the routed container port.',
  },
  accessLogBucket: {
    id: 'AwsSolutions-S1',
    when: 'the bucket a `ServiceConnectIngress` creates for its load balancer\'s access logs',
    reason: 'This bucket only receives the load balancer\'s access logs (TLS only, no public access, SSE-S3 as ELB requires); ' +
      'logging access to the log bucket would need yet another bucket.',
  },
  loadBalancerInfrastructureRole: {
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers]',
    when: 'a service behind a `ServiceConnectIngress` deployed blue/green, linear or canary',
    reason: 'ECS requires this AWS managed policy for the infrastructure role that moves load balancer traffic between the target groups of a deployment.',
  },
} as const satisfies Record<string, NagAcknowledgement>;

/** Acknowledge one finding of the table on a construct. */
export function acknowledge(scope: IConstruct, which: Exclude<keyof typeof NAG_ACKNOWLEDGEMENTS, 'lifecycleHook' | 'serviceConnectPoll'>): void {
  const ack = NAG_ACKNOWLEDGEMENTS[which];
  acknowledgeFinding(scope, ack.id, ack.reason);
}

/** Acknowledge the `:*` invoke permission of a lifecycle hook function on the service. */
export function acknowledgeLifecycleHook(scope: IConstruct, handler: lambda.IFunction): void {
  const fn = handler.node.defaultChild;
  const arn = fn instanceof CfnElement ? `<${Stack.of(fn).getLogicalId(fn)}.Arn>` : handler.functionArn;
  acknowledgeFinding(scope, `AwsSolutions-IAM5[Resource::${arn}:*]`, NAG_ACKNOWLEDGEMENTS.lifecycleHook.reason);
}

/** Acknowledge the cluster-scoped `ecs:Poll` on task sets of an instance role (the finding names the cluster). */
export function acknowledgeServiceConnectPoll(role: IConstruct, cluster: IConstruct, clusterName: string): void {
  const cfn = cluster.node.defaultChild;
  const name = cfn instanceof CfnElement ? `<${Stack.of(cfn).getLogicalId(cfn)}>` : clusterName;
  acknowledgeFinding(role, `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:task-set/${name}/*]`,
    NAG_ACKNOWLEDGEMENTS.serviceConnectPoll.reason);
}

/** The README's list of acknowledgements, generated from `NAG_ACKNOWLEDGEMENTS`. */
export function nagTable(): string {
  const rows = Object.values(NAG_ACKNOWLEDGEMENTS as Record<string, NagAcknowledgement>).map((a) =>
    `| \`${a.id}\` | ${a.when} | ${a.reason} |`);
  return ['| finding | acknowledged on | reason |', '|---|---|---|', ...rows].join('\n');
}
