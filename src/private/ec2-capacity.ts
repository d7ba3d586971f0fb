import { Stack, Token } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { acknowledgeServiceConnectPoll } from './nag';
import { warn } from './validation/problems';

/**
 * What EC2 and Managed Instances capacity needs for Service Connect: the instance role's
 * permission for the Service Connect agent, the instance size of an Auto Scaling group, and the
 * static host ports that bridge-mode services hold on a capacity provider.
 *
 * The Service Connect agent on an instance polls ECS for the task sets of its services
 * (`ecs:Poll` on `arn:aws:ecs:<region>:<account>:task-set/<cluster>/<service>/<id>`).
 * aws-cdk-lib's Auto Scaling group capacity allows `ecs:Poll` only with an `ecs:cluster`
 * condition, which the task-set request does not satisfy (aws/aws-cdk#28594), and the
 * Managed Instances default instance profile policy (`AmazonECSInstanceRolePolicyForManagedInstances`)
 * allows it on container instances only (aws/amazon-ecs-service-connect-agent#142): in both cases
 * the agent never becomes healthy and the tasks never start. The fix is one statement on the
 * instance role: `ecs:Poll` on the cluster's task sets.
 */

/** The roles already fixed, with the clusters they were fixed for. */
const fixed = new WeakMap<IConstruct, Set<unknown>>();

/** The ARN pattern of every task set of a cluster. */
export function taskSetArnsOf(cluster: ecs.ICluster): string {
  return Stack.of(cluster).formatArn({ service: 'ecs', resource: 'task-set', resourceName: `${cluster.clusterName}/*` });
}

/**
 * Allow the Service Connect agent on instances with `role` to poll the task sets of `cluster`.
 * Idempotent per role and cluster. An imported role (not in this app) gets a warning on `scope`.
 */
export function allowServiceConnectAgent(scope: IConstruct, cluster: ecs.ICluster, role: iam.IRole | undefined, what: string): void {
  if (role && fixed.get(role)?.has(cluster)) return;
  const added = role?.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['ecs:Poll'],
    resources: [taskSetArnsOf(cluster)],
  })).statementAdded ?? false;
  // An immutable imported role says "added" but keeps no policy: only a policy of the role grants.
  const granted = added && role!.node.children.some((c) => c instanceof iam.Policy);
  if (!role || !granted) {
    warn(scope, 'instance-role-unknown',
      `the instance role of ${what} is not a role of this app, so the library cannot grant it ecs:Poll on the task sets of cluster ` +
      `${cluster.node.path}. Without it the Service Connect agent never becomes healthy. Add ecs:Poll on ` +
      'arn:aws:ecs:<region>:<account>:task-set/<cluster name>/* to that role, or let this app create the instance profile.');
    return;
  }
  if (!fixed.has(role)) fixed.set(role, new Set());
  fixed.get(role)!.add(cluster);
  acknowledgeServiceConnectPoll(role, cluster, cluster.clusterName);
}

/** Fix the instance role of an Auto Scaling group capacity provider. */
export function fixAsgCapacity(cluster: ecs.ICluster, provider: ecs.AsgCapacityProvider): void {
  allowServiceConnectAgent(provider, cluster, provider.autoScalingGroup.role, `capacity provider ${provider.node.path}`);
}

/** Fix the instance profile role of a Managed Instances capacity provider. */
export function fixManagedInstancesCapacity(cluster: ecs.ICluster, provider: ecs.ManagedInstancesCapacityProvider): void {
  allowServiceConnectAgent(provider, cluster, provider.ec2InstanceProfile.role, `capacity provider ${provider.node.path}`);
}

/** CPU units and memory (MiB) of one instance. */
export interface InstanceSize {
  readonly instanceType: string;
  readonly cpu: number;
  readonly memoryMiB: number;
}

/** GiB of memory per vCPU of the general families whose sizes follow the usual ladder. */
const MEMORY_PER_VCPU_GIB: Record<string, number> = { m: 4, c: 2, r: 8 };
/** Variant letters that keep a family's memory per vCPU (Graviton, AMD, Intel, local disk). */
const PLAIN_VARIANTS = new Set(['', 'g', 'a', 'i', 'd', 'gd', 'ad', 'id']);
/** Burstable sizes: [vCPUs, GiB] of t3, t3a and t4g (t2 differs below medium). */
const BURSTABLE: Record<string, [number, number]> = {
  'nano': [2, 0.5], 'micro': [2, 1], 'small': [2, 2], 'medium': [2, 4], 'large': [2, 8], 'xlarge': [4, 16], '2xlarge': [8, 32],
};

/**
 * The vCPUs and memory of an instance type, for the families whose sizes follow a rule
 * (m, c and r in their plain, Graviton, AMD, Intel and local-disk variants; t3, t3a, t4g);
 * undefined for any other type (then no check is made).
 */
export function instanceSizeOf(instanceType: string): InstanceSize | undefined {
  const match = /^([a-z]+)(\d+)([a-z]*)\.([a-z0-9]+)$/.exec(instanceType);
  if (!match) return undefined;
  const [, family, generation, variant, size] = match;
  let vcpus: number | undefined;
  let gib: number | undefined;
  if (family === 't' && ['3', '4'].includes(generation) && ['', 'a', 'g'].includes(variant)) {
    [vcpus, gib] = BURSTABLE[size] ?? [];
  } else if (MEMORY_PER_VCPU_GIB[family] !== undefined && PLAIN_VARIANTS.has(variant) && Number(generation) >= 5) {
    const ladder = /^(\d*)xlarge$/.exec(size);
    vcpus = size === 'large' ? 2 : size === 'medium' && variant.includes('g') ? 1 : ladder ? 4 * Number(ladder[1] || 1) : undefined;
    gib = vcpus !== undefined ? vcpus * MEMORY_PER_VCPU_GIB[family] : undefined;
  }
  if (vcpus === undefined || gib === undefined) return undefined;
  return { instanceType, cpu: vcpus * 1024, memoryMiB: gib * 1024 };
}

/** The instance type of an Auto Scaling group, when the group's own launch configuration or template names it. */
export function instanceTypeOf(group: autoscaling.IAutoScalingGroup): string | undefined {
  for (const child of group.node.findAll()) {
    if (child instanceof autoscaling.CfnLaunchConfiguration) return known(child.instanceType);
    if (child instanceof ec2.CfnLaunchTemplate) {
      const data = child.launchTemplateData as ec2.CfnLaunchTemplate.LaunchTemplateDataProperty | undefined;
      return typeof data?.instanceType === 'string' ? known(data.instanceType) : undefined;
    }
  }
  return undefined;
}

/** The maximum number of instances of an Auto Scaling group, when it is a literal. */
export function maxInstancesOf(group: autoscaling.IAutoScalingGroup): number | undefined {
  const cfn = group.node.defaultChild;
  if (!(cfn instanceof autoscaling.CfnAutoScalingGroup)) return undefined;
  const max = cfn.maxSize;
  return typeof max === 'string' && !Token.isUnresolved(max) ? Number(max) : undefined;
}

function known(value: string): string | undefined {
  return Token.isUnresolved(value) ? undefined : value;
}

/** Static host ports held on each capacity provider by bridge-mode services, for the `host-port-clash` rule. */
const hostPorts = new WeakMap<IConstruct, Map<number, IConstruct>>();

/** Record a service's static host ports on a capacity provider; returns the first other service holding one of them. */
export function claimHostPorts(provider: IConstruct, service: IConstruct, ports: number[]): { port: number; holder: IConstruct } | undefined {
  let held = hostPorts.get(provider);
  if (!held) {
    held = new Map();
    hostPorts.set(provider, held);
  }
  let clash: { port: number; holder: IConstruct } | undefined;
  for (const port of ports) {
    const holder = held.get(port);
    if (holder && holder !== service) clash ??= { port, holder };
    else held.set(port, service);
  }
  return clash;
}
