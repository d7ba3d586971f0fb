import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { buildStackPlacementApp } from '../../examples/stack-placement/app';
import { ConnectedFargateService, ServiceConnectCluster } from '../../src';
import { strictApp, TEST_IMAGE } from '../helpers';

/**
 * Every placement of a chain of services over stacks must synthesize (no cyclic reference from
 * aws-cdk-lib), with one security-group rule per call and, per call, either the deployment
 * order (client after server) or the dependency-cycle warning on the client.
 */

interface Placed {
  readonly stacks: Stack[];
  readonly services: ConnectedFargateService[];
}

/** A platform stack (index 0, owns the cluster) and team stacks; service i in stack `placement[i]`; chain s0 → s1 → … */
function chain(stackCount: number, placement: number[]): Placed {
  const app = strictApp();
  // a team stack no service uses is left out (an empty template is invalid)
  const stacks = Array.from({ length: stackCount }, (_, i) => (i === 0 || placement.includes(i) ? new Stack(app, i === 0 ? 'Platform' : `Team${i}`) : undefined));
  const cluster = new ServiceConnectCluster(stacks[0]!, 'Cluster');
  const services = placement.map((s, i) => new ConnectedFargateService(stacks[s]!, `S${i}`, {
    cluster, image: TEST_IMAGE, ports: [{ name: `s${i}`, containerPort: 8080 + i }],
  }));
  for (let i = 0; i + 1 < services.length; i++) services[i].connectTo(services[i + 1]);
  app.synth();
  return { stacks: stacks.filter((s): s is Stack => s !== undefined), services };
}

function placements(services: number, stacks: number): number[][] {
  if (services === 0) return [[]];
  return placements(services - 1, stacks).flatMap((p) => Array.from({ length: stacks }, (_, s) => [...p, s]));
}

function ingressRules(stacks: Stack[]): Array<{ stack: Stack; props: any }> {
  return stacks.flatMap((stack) => Object.values(Template.fromStack(stack).findResources('AWS::EC2::SecurityGroupIngress'))
    .map((r: any) => ({ stack, props: r.Properties })));
}

function serviceDependsOn(client: ConnectedFargateService, server: ConnectedFargateService): boolean {
  const resources = Template.fromStack(Stack.of(client)).toJSON().Resources;
  const id = Stack.of(client).getLogicalId(client.service.node.defaultChild as any);
  const sameStack = Stack.of(client) === Stack.of(server);
  if (sameStack) return (resources[id].DependsOn ?? []).includes(Stack.of(server).getLogicalId(server.service.node.defaultChild as any));
  return Stack.of(client).dependencies.includes(Stack.of(server));
}

function hasCycleWarning(client: ConnectedFargateService): boolean {
  const warnings = Annotations.fromStack(Stack.of(client)).findWarning(`/${client.node.path}`, Match.stringLikeRegexp('cdk-service-connect:dependency-cycle'));
  return warnings.length > 0;
}

describe('connectTo: every placement of a chain over stacks synthesizes', () => {
  const cases = [
    ...placements(2, 2).map((p) => [2, p] as const),
    ...placements(3, 2).map((p) => [2, p] as const),
    ...placements(3, 3).map((p) => [3, p] as const),
  ];

  test.each(cases)('%d stacks, services in stacks %j', (stackCount, placement) => {
    // GIVEN / WHEN: the chain s0 → s1 (→ s2) placed over the stacks, the whole app synthesized
    const { stacks, services } = chain(stackCount, [...placement]);

    // THEN: one rule per call, from the client's group to the server's port
    const rules = ingressRules(stacks);
    expect(rules).toHaveLength(services.length - 1);
    for (let i = 0; i + 1 < services.length; i++) {
      expect(rules.filter((r) => r.props.FromPort === 8081 + i)).toHaveLength(1);
    }
    // and each call is ordered or warned about, never silently dropped
    for (let i = 0; i + 1 < services.length; i++) {
      const [client, server] = [services[i], services[i + 1]];
      expect(serviceDependsOn(client, server) || hasCycleWarning(client)).toBe(true);
      // a team's server is never deployed after a client of the platform stack that depends on it
      if (placement[i] === 0 && placement[i + 1] !== 0) expect(hasCycleWarning(client)).toBe(true);
    }
  });
});

describe('connectTo: placement', () => {
  test('a service of the platform stack calling a team service: the rule goes in the team stack, the order is a warning', () => {
    // GIVEN
    const app = strictApp();
    const platform = new Stack(app, 'Platform');
    const cluster = new ServiceConnectCluster(platform, 'Cluster');
    const gateway = new ConnectedFargateService(platform, 'Gateway', { cluster, image: TEST_IMAGE, ports: [{ name: 'gw', containerPort: 80 }] });
    const team = new Stack(app, 'Team');
    const orders = new ConnectedFargateService(team, 'Orders', { cluster, image: TEST_IMAGE, ports: [{ name: 'orders', containerPort: 8080 }] });

    // WHEN
    gateway.connectTo(orders);

    // THEN
    expect(() => app.synth()).not.toThrow();
    expect(ingressRules([platform])).toHaveLength(0);
    Template.fromStack(team).hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 8080,
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('OrdersSecurityGroup'), 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::ImportValue': Match.stringLikeRegexp('GatewaySecurityGroup') },
    });
    expect(platform.dependencies).toEqual([]);
    Annotations.fromStack(platform).hasWarning('/Platform/Gateway', Match.stringLikeRegexp(
      'stack Team already depends on stack Platform \\(Team → Platform\\).*Deploy Team/Orders first yourself.*cdk-service-connect:dependency-cycle'));
  });

  test('a stack dependency added after connectTo is respected', () => {
    // GIVEN two team stacks without references between them
    const app = strictApp();
    const platform = new Stack(app, 'Platform');
    const cluster = new ServiceConnectCluster(platform, 'Cluster');
    const one = new Stack(app, 'One');
    const two = new Stack(app, 'Two');
    const a = new ConnectedFargateService(one, 'A', { cluster, image: TEST_IMAGE, ports: [{ name: 'a', containerPort: 80 }] });
    const b = new ConnectedFargateService(two, 'B', { cluster, image: TEST_IMAGE, ports: [{ name: 'b', containerPort: 81 }] });

    // WHEN a calls b, and only then stack Two is made to depend on stack One
    a.connectTo(b);
    two.addStackDependency(one);

    // THEN the rule goes where the dependency already points, and the order is a warning
    expect(() => app.synth()).not.toThrow();
    expect(ingressRules([one])).toHaveLength(0);
    expect(ingressRules([two])).toHaveLength(1);
    expect(one.dependencies).toEqual([platform]);
    expect(hasCycleWarning(a)).toBe(true);
  });

  test('a reference added after connectTo is respected', () => {
    // GIVEN
    const app = strictApp();
    const platform = new Stack(app, 'Platform');
    const cluster = new ServiceConnectCluster(platform, 'Cluster');
    const one = new Stack(app, 'One');
    const two = new Stack(app, 'Two');
    const a = new ConnectedFargateService(one, 'A', { cluster, image: TEST_IMAGE, ports: [{ name: 'a', containerPort: 80 }] });
    const b = new ConnectedFargateService(two, 'B', { cluster, image: TEST_IMAGE, ports: [{ name: 'b', containerPort: 81 }] });

    // WHEN a calls b, and a resource of stack Two then references stack One
    a.connectTo(b);
    new ssm.StringParameter(two, 'AGroup', { stringValue: a.securityGroup.securityGroupId });

    // THEN
    expect(() => app.synth()).not.toThrow();
    expect(ingressRules([two])).toHaveLength(1);
    expect(two.dependencies).toContain(one);
    expect(one.dependencies).not.toContain(two);
  });

  test('a cycle of three services in one stack keeps two dependencies and warns on the third', () => {
    // GIVEN
    const app = strictApp();
    const stack = new Stack(app, 'S');
    const cluster = new ServiceConnectCluster(stack, 'Cluster');
    const [a, b, c] = ['A', 'B', 'C'].map((id, i) => new ConnectedFargateService(stack, id, {
      cluster, image: TEST_IMAGE, ports: [{ name: id.toLowerCase(), containerPort: 80 + i }],
    }));

    // WHEN
    a.connectTo(b);
    b.connectTo(c);
    c.connectTo(a);

    // THEN
    expect(() => app.synth()).not.toThrow();
    expect(serviceDependsOn(a, b)).toBe(true);
    expect(serviceDependsOn(b, c)).toBe(true);
    expect(serviceDependsOn(c, a)).toBe(false);
    Annotations.fromStack(stack).hasWarning('/S/C', Match.stringLikeRegexp('connectTo calls form a circle: S/C → S/A → S/B → S/C.*Deploy first: S/C, then S/B, then S/A'));
  });
});

describe('the stack-placement example', () => {
  const app = strictApp();
  const { platform, orders, pricing } = buildStackPlacementApp(app);
  app.synth();

  test('stacks depend one way only: teams on the platform, orders on pricing', () => {
    expect(platform.dependencies).toEqual([]);
    expect(pricing.dependencies).toEqual([platform]);
    expect(orders.dependencies.map((s) => s.stackName).sort()).toEqual(['PlacementPlatform', 'PlacementPricing']);
  });

  test('each rule sits in a stack that may reference both groups', () => {
    expect(ingressRules([platform])).toHaveLength(0);
    expect(ingressRules([orders]).map((r) => r.props.Description).sort()).toEqual([
      'Service Connect from PlacementOrders/Orders to pricing-http',
      'Service Connect from PlacementPlatform/Gateway to orders-http',
    ]);
    expect(ingressRules([pricing]).map((r) => r.props.Description)).toEqual(['Service Connect from PlacementPricing/Pricing to audit-http']);
  });

  test('only the gateway, which the platform stack cannot order after a team stack, gets the warning', () => {
    Annotations.fromStack(platform).hasWarning('/PlacementPlatform/Gateway', Match.stringLikeRegexp('Deploy PlacementOrders/Orders first yourself'));
    expect(Annotations.fromStack(orders).findWarning('*', Match.stringLikeRegexp('dependency-cycle'))).toEqual([]);
    expect(Annotations.fromStack(pricing).findWarning('*', Match.stringLikeRegexp('dependency-cycle'))).toEqual([]);
  });
});
