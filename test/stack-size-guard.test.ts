import { App, CfnResource, NestedStack, STACK_RESOURCE_LIMIT_CONTEXT, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { strictApp } from './helpers';
import { ConnectedFargateService, ServiceConnectCluster } from '../src';
import { ensureStackSizeGuard } from '../src/private/stack-size-guard';

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

/** A strict app whose stacks may hold 100 resources (the guard warns above 90): small stacks keep the tests fast. */
function smallLimitApp(): App {
  return strictApp({ context: { [STACK_RESOURCE_LIMIT_CONTEXT]: 100 } });
}

/** Synthesize once: the stack's resource count and its stack-size warnings. */
function synthesize(stack: Stack): { total: number; warnings: string[] } {
  const artifact = App.of(stack)!.synth().getStackByName(stack.stackName);
  return {
    total: Object.keys(artifact.template.Resources).length,
    warnings: artifact.messages.filter((m) => m.level === 'warning' && String(m.entry.data).includes(RULE)).map((m) => String(m.entry.data)),
  };
}

describe('stack-size guard', () => {
  test('no warning at or below 90 % of the limit', () => {
    // GIVEN 9 services of 10 resources with a limit of 100
    const { total, warnings } = synthesize(stackOfFakeServices(9, 10, smallLimitApp()));

    // THEN
    expect(total).toBeLessThanOrEqual(90);
    expect(warnings).toEqual([]);
  });

  test('above 450 of CloudFormation\'s 500: one warning with the count, the limit, how many services to move and how', () => {
    // GIVEN 47 services of 10 resources (470 and the metadata resource, if any), the default limit
    const { total, warnings } = synthesize(stackOfFakeServices(47, 10));

    // THEN
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`stack Team has ${total} resources: close to CloudFormation's limit of 500 per stack (the warning starts above 450;`);
    expect(warnings[0]).toContain('Its 47 ConnectedFargateService(s) create 470 of them, 10.0 each on average');
    expect(warnings[0]).toContain(`move at least ${Math.ceil((total - 450) / 10)} service(s) out of this stack`);
    expect(warnings[0]).toMatch(/create a team stack per group of services .* with the same ServiceConnectCluster/);
    expect(warnings[0]).toContain(`acknowledgeWarning('${RULE}')`);
  });

  test('resources that are not services count toward the stack but not the per-service average', () => {
    // GIVEN 4 services of 12 resources and 45 other resources, limit 100
    const stack = stackOfFakeServices(4, 12, smallLimitApp());
    const shared = new Construct(stack, 'Shared');
    for (let i = 0; i < 45; i++) new CfnResource(shared, `Topic${i}`, { type: 'AWS::SNS::Topic' });
    const { total, warnings } = synthesize(stack);

    // THEN 48 of the resources are the services', 12 each
    expect(warnings[0]).toContain(`has ${total} resources`);
    expect(warnings[0]).toContain('Its 4 ConnectedFargateService(s) create 48 of them, 12.0 each on average');
    expect(warnings[0]).toContain(`move at least ${Math.ceil((total - 90) / 12)} service(s)`);
  });

  test('guarding a service twice counts it once', () => {
    // GIVEN
    const stack = stackOfFakeServices(19, 5, smallLimitApp());
    for (const child of stack.node.children) ensureStackSizeGuard(child);

    // THEN
    const { warnings } = synthesize(stack);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('Its 19 ConnectedFargateService(s)');
  });

  test('resources of a nested stack belong to the nested stack', () => {
    // GIVEN 8 services (80 resources) in the parent and 30 resources in a nested stack, limit 100
    const stack = stackOfFakeServices(8, 10, smallLimitApp());
    const nested = new NestedStack(stack, 'Nested');
    for (let i = 0; i < 30; i++) new CfnResource(nested, `Topic${i}`, { type: 'AWS::SNS::Topic' });

    // THEN the parent holds 81-82 resources (the nested stack is one): no warning
    expect(synthesize(stack).warnings).toEqual([]);
  });

  test('no limit (stack resource limit 0): no warning', () => {
    const unlimited = stackOfFakeServices(47, 10, strictApp({ context: { [STACK_RESOURCE_LIMIT_CONTEXT]: 0 } }));
    expect(synthesize(unlimited).warnings).toEqual([]);
  });

  test('above 500 resources aws-cdk-lib itself fails synthesis (the guard does not repeat that error)', () => {
    // GIVEN 51 services of 10 resources
    const stack = stackOfFakeServices(51, 10);

    // THEN
    expect(() => Template.fromStack(stack)).toThrow(/Number of resources in stack 'Team': 51\d is greater than allowed maximum of 500/);
  });

  test('a real ConnectedFargateService is counted with everything it creates', () => {
    // GIVEN a cluster, one server and one client in a stack filled up to just over 90 of 100
    const stack = new Stack(smallLimitApp(), 'Real');
    const cluster = new ServiceConnectCluster(stack, 'Cluster', { namespaceName: 'guard.internal' });
    const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/example/app:1');
    const server = new ConnectedFargateService(stack, 'Server', { cluster, image, ports: [{ name: 'server-http', containerPort: 8080 }] });
    const client = new ConnectedFargateService(stack, 'Client', { cluster, image });
    client.connectTo(server);
    ensureStackSizeGuard(server);
    ensureStackSizeGuard(client);
    const filler = new Construct(stack, 'Filler');
    const before = stack.node.findAll().filter(CfnResource.isCfnResource).length;
    for (let i = before; i < 93; i++) new CfnResource(filler, `Topic${i}`, { type: 'AWS::SNS::Topic' });

    // THEN (counted after synthesis, which adds the connectTo security-group rule)
    const [warning] = synthesize(stack).warnings;
    const servicesResources = [server, client].map((s) => s.node.findAll().filter(CfnResource.isCfnResource).length)
      .reduce((a, b) => a + b, 0);
    expect(warning).toContain(`Its 2 ConnectedFargateService(s) create ${servicesResources} of them`);
    expect(warning).toContain('move at least 1 service(s)');
  });
});
