import { App, CfnResource, NestedStack, STACK_RESOURCE_LIMIT_CONTEXT, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { strictApp } from './helpers';
import { ConnectedFargateService, ServiceConnectCluster } from '../src';
import { ensureStackSizeGuard } from '../src/stack-size-guard';

const RULE = 'cdk-service-connect:stack-size';

/** A stand-in for a service: `resources` cheap CloudFormation resources under one construct, guarded like a service. */
function fakeService(scope: Construct, id: string, resources: number): Construct {
  const service = new Construct(scope, id);
  for (let i = 0; i < resources; i++) {
    new CfnResource(service, `Topic${i}`, { type: 'AWS::SNS::Topic' });
  }
  ensureStackSizeGuard(service);
  return service;
}

function stackOfFakeServices(services: number, resourcesEach: number, app: App = strictApp()): Stack {
  const stack = new Stack(app, 'Team');
  for (let i = 0; i < services; i++) fakeService(stack, `Svc${i}`, resourcesEach);
  return stack;
}

function stackSizeWarnings(stack: Stack): string[] {
  return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(RULE)).map((w) => String(w.entry.data));
}

function resourceCount(stack: Stack): number {
  return Object.keys(Template.fromStack(stack).toJSON().Resources).length;
}

describe('stack-size guard', () => {
  test('no warning at or below 450 resources', () => {
    // GIVEN 44 services of 10 resources (440, plus the CDK metadata resource)
    const stack = stackOfFakeServices(44, 10);

    // THEN
    expect(resourceCount(stack)).toBeLessThanOrEqual(450);
    expect(stackSizeWarnings(stack)).toEqual([]);
  });

  test('above 450 resources: one warning with the count, the limit, how many services to move and how', () => {
    // GIVEN 47 services of 10 resources (470 and the metadata resource, if any)
    const stack = stackOfFakeServices(47, 10);
    const total = resourceCount(stack);
    const toMove = Math.ceil((total - 450) / 10);

    // THEN
    const warnings = stackSizeWarnings(stack);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`stack Team has ${total} resources: close to CloudFormation's limit of 500 per stack`);
    expect(warnings[0]).toContain('Its 47 ConnectedFargateService(s) create 470 of them, 10.0 each on average');
    expect(warnings[0]).toContain(`move at least ${toMove} service(s) out of this stack`);
    expect(warnings[0]).toMatch(/create a team stack per group of services .* with the same ServiceConnectCluster/);
    expect(warnings[0]).toContain(`acknowledgeWarning('${RULE}')`);
  });

  test('resources that are not services count toward the stack but not the per-service average', () => {
    // GIVEN 20 services of 12 resources and 230 other resources
    const stack = stackOfFakeServices(20, 12);
    const shared = new Construct(stack, 'Shared');
    for (let i = 0; i < 230; i++) new CfnResource(shared, `Param${i}`, { type: 'AWS::SNS::Topic' });
    const total = resourceCount(stack);

    // THEN 240 of the resources are the services', 12 each
    const [warning] = stackSizeWarnings(stack);
    expect(warning).toContain(`has ${total} resources`);
    expect(warning).toContain('Its 20 ConnectedFargateService(s) create 240 of them, 12.0 each on average');
    expect(warning).toContain(`move at least ${Math.ceil((total - 450) / 12)} service(s)`);
  });

  test('guarding a service twice counts it once', () => {
    // GIVEN
    const stack = stackOfFakeServices(46, 10);
    for (const child of stack.node.children) ensureStackSizeGuard(child);

    // THEN
    const warnings = stackSizeWarnings(stack);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('Its 46 ConnectedFargateService(s)');
  });

  test('resources of a nested stack belong to the nested stack', () => {
    // GIVEN 44 services (440 resources) in the parent and 100 resources in a nested stack
    const stack = stackOfFakeServices(44, 10);
    const nested = new NestedStack(stack, 'Nested');
    for (let i = 0; i < 100; i++) new CfnResource(nested, `Topic${i}`, { type: 'AWS::SNS::Topic' });

    // THEN the parent holds 441-442 resources (the nested stack is one): no warning
    expect(stackSizeWarnings(stack)).toEqual([]);
  });

  test('follows aws-cdk-lib\'s stack resource limit context (90 % of it; 0 turns the guard off)', () => {
    // GIVEN a limit of 100: the guard warns above 90
    const limited = stackOfFakeServices(10, 10, strictApp({ context: { [STACK_RESOURCE_LIMIT_CONTEXT]: 100 } }));
    const [warning] = stackSizeWarnings(limited);
    expect(warning).toMatch(/has 10\d resources: .*limit of 100 per stack \(the warning starts above 90;/);

    // GIVEN no limit
    const unlimited = stackOfFakeServices(47, 10, strictApp({ context: { [STACK_RESOURCE_LIMIT_CONTEXT]: 0 } }));
    expect(stackSizeWarnings(unlimited)).toEqual([]);
  });

  test('above 500 resources aws-cdk-lib itself fails synthesis (the guard does not repeat that error)', () => {
    // GIVEN 51 services of 10 resources
    const stack = stackOfFakeServices(51, 10);

    // THEN
    expect(() => Template.fromStack(stack)).toThrow(/Number of resources in stack 'Team': 51\d is greater than allowed maximum of 500/);
  });

  test('a real ConnectedFargateService is counted with everything it creates', () => {
    // GIVEN a cluster, one server and one client in a stack filled up to just over 450
    const app = strictApp();
    const stack = new Stack(app, 'Real');
    const cluster = new ServiceConnectCluster(stack, 'Cluster', { namespaceName: 'guard.internal' });
    const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/example/app:1');
    const server = new ConnectedFargateService(stack, 'Server', { cluster, image, ports: [{ name: 'server-http', containerPort: 8080 }] });
    const client = new ConnectedFargateService(stack, 'Client', { cluster, image });
    client.connectTo(server);
    ensureStackSizeGuard(server);
    ensureStackSizeGuard(client);
    const filler = new Construct(stack, 'Filler');
    const before = resourceCount(stack);
    for (let i = before; i <= 455; i++) new CfnResource(filler, `Topic${i}`, { type: 'AWS::SNS::Topic' });
    const servicesResources = [server, client].map((s) => s.node.findAll().filter(CfnResource.isCfnResource).length)
      .reduce((a, b) => a + b, 0);

    // THEN
    const [warning] = stackSizeWarnings(stack);
    expect(warning).toContain(`Its 2 ConnectedFargateService(s) create ${servicesResources} of them`);
    expect(warning).toContain('move at least 1 service(s)');
  });
});
