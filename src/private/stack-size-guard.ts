import { CfnResource, STACK_RESOURCE_LIMIT_CONTEXT, Stack, Stage } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { warn } from './validation/problems';

/** CloudFormation's limit of resources per stack (aws-cdk-lib's default for `@aws-cdk/core:stackResourceLimit`). */
export const CLOUDFORMATION_RESOURCE_LIMIT = 500;

/** The share of the limit above which the guard warns: 450 of 500. */
export const STACK_SIZE_WARNING_RATIO = 0.9;

/** The services each guarded stack holds, in the order they asked for the guard. */
const guarded = new WeakMap<Stack, Set<IConstruct>>();

/**
 * Make sure the stack of `service` warns (rule `stack-size`) when, at synthesis, it holds more
 * than 90 % of the stack resource limit (450 of CloudFormation's 500). Call it once per service:
 * the stack gets one check however many services it holds (calling it twice for one service
 * counts it once), and the warning estimates how many of
 * them to move out from the average number of resources they create.
 *
 * Above the limit itself aws-cdk-lib fails synthesis (`TooManyResourcesInStack`, with the count
 * of each resource type); the guard does not repeat that error. The limit follows
 * aws-cdk-lib's context `@aws-cdk/core:stackResourceLimit` (`0` turns both checks off).
 *
 * Not part of the public API (not exported from the package).
 *
 * @param service the construct that counts as one service of its stack
 */
export function ensureStackSizeGuard(service: IConstruct): void {
  const stack = Stack.of(service);
  const services = guarded.get(stack);
  if (services) {
    services.add(service);
    return;
  }
  const members = new Set([service]);
  guarded.set(stack, members);
  stack.node.addValidation({ validate: () => checkStackSize(stack, members) });
}

function checkStackSize(stack: Stack, members: ReadonlySet<IConstruct>): string[] {
  const limit = resourceLimitOf(stack);
  if (limit <= 0) return [];
  const threshold = Math.floor(limit * STACK_SIZE_WARNING_RATIO);
  const total = countResources(stack);
  if (total <= threshold) return [];

  const services = [...members];
  const perService = services.map((s) => countResources(s));
  const serviceTotal = perService.reduce((a, b) => a + b, 0);
  const average = services.length > 0 ? serviceTotal / services.length : 0;
  const excess = total - threshold;
  const toMove = average > 0 ? Math.min(services.length, Math.ceil(excess / average)) : 0;

  const counted = `stack ${stack.node.path} has ${total} resources: ${total > limit ? 'over' : 'close to'} CloudFormation's limit of ${limit} ` +
    `per stack (the warning starts above ${threshold}; aws-cdk-lib fails synthesis above ${limit}, and every later connectTo or feature adds more).`;
  const estimate = toMove > 0
    ? ` Its ${services.length} ConnectedFargateService(s) create ${serviceTotal} of them, ${average.toFixed(1)} each on average: ` +
      `move at least ${toMove} service(s) out of this stack (${Math.ceil(excess)} resources) to get back to ${threshold}, more to leave room for growth.`
    : ` Move services or other resources out of this stack to get back to ${threshold}.`;
  const how = ' How: create a team stack per group of services (new Stack(app, \'TeamPayments\')) and create their ' +
    'ConnectedFargateServices there with the same ServiceConnectCluster — CDK passes the cluster, namespace and VPC to the new ' +
    'stack as cross-stack references, and connectTo keeps working across stacks (it puts each security-group rule in the ' +
    'client\'s stack and orders the stacks). Keep services that call each other a lot in the same team stack.';
  warn(stack, 'stack-size', counted + estimate + how);
  return [];
}

function resourceLimitOf(stack: Stack): number {
  const raw: unknown = stack.node.tryGetContext(STACK_RESOURCE_LIMIT_CONTEXT);
  if (raw === undefined) return CLOUDFORMATION_RESOURCE_LIMIT;
  const parsed = parseInt(String(raw), 10);
  return Number.isNaN(parsed) ? CLOUDFORMATION_RESOURCE_LIMIT : parsed;
}

/** The CloudFormation resources under `scope` that belong to the same stack (nested stacks and stages are not descended into). */
function countResources(scope: IConstruct): number {
  let count = 0;
  const pending: IConstruct[] = [scope];
  while (pending.length > 0) {
    const c = pending.pop()!;
    if (CfnResource.isCfnResource(c)) count++;
    for (const child of c.node.children) {
      if (Stack.isStack(child) || Stage.isStage(child)) continue;
      pending.push(child);
    }
  }
  return count;
}
