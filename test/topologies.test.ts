import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { logicalId, strictApp, strictStack, TEST_IMAGE } from './helpers';
import { buildCrossAccountApp, CONSUMER_ACCOUNT, SHARED_NAMESPACE_ARN } from '../examples/cross-account/app';
import { buildCrossStackApp } from '../examples/cross-stack/app';
import { buildPlatformApp } from '../examples/platform-app/app';
import { buildSeedApp } from '../examples/seed/app';
import { buildTeamApp } from '../examples/team-app/app';
import { ConnectedFargateService, NamespaceShare, ServiceConnectCluster, ServiceConnectProtocol, SharedNamespace } from '../src';

const image = TEST_IMAGE;


function envOf(t: Template, svc: ConnectedFargateService): Array<{ Name: string; Value: string }> {
  return t.toJSON().Resources[logicalId(svc.taskDefinition)].Properties.ContainerDefinitions[0].Environment ?? [];
}

function dependsOn(t: Template, svc: ConnectedFargateService): string[] {
  return t.toJSON().Resources[logicalId(svc.service)].DependsOn ?? [];
}

function server(stack: Stack, cluster: ServiceConnectCluster, id: string, name: string, extra: object = {}): ConnectedFargateService {
  return new ConnectedFargateService(stack, id, { cluster, image, ports: [{ name: `${name}-http`, containerPort: 8080, discoveryName: name, ...extra }] });
}

describe('the seed topology: orders and worker connect to payments', () => {
  const app = strictApp();
  const stack = buildSeedApp(app);
  const t = Template.fromStack(stack);
  const find = (id: string) => stack.node.findChild(id) as ConnectedFargateService;
  const [orders, payments, worker] = [find('Orders'), find('Payments'), find('Worker')];

  test('each client gets PAYMENTS_URL', () => {
    expect(envOf(t, orders)).toContainEqual({ Name: 'PAYMENTS_URL', Value: 'http://payments:8080' });
    expect(envOf(t, worker)).toContainEqual({ Name: 'PAYMENTS_URL', Value: 'http://payments:8080' });
    expect(envOf(t, payments)).toEqual([]);
  });

  test('payments accepts exactly the two clients, on its container port only', () => {
    const rules = Object.values(t.findResources('AWS::EC2::SecurityGroupIngress')).map((r: any) => r.Properties);
    expect(rules).toHaveLength(2);
    for (const r of rules) {
      expect(r).toMatchObject({ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, GroupId: { 'Fn::GetAtt': [logicalId(payments.securityGroup), 'GroupId'] } });
    }
    expect(rules.map((r) => r.SourceSecurityGroupId['Fn::GetAtt'][0]).sort())
      .toEqual([logicalId(orders.securityGroup), logicalId(worker.securityGroup)].sort());
  });

  test('clients are deployed after payments, and every service after the namespace through its ARN reference', () => {
    const ns = Object.keys(t.findResources('AWS::ServiceDiscovery::HttpNamespace'))[0];
    expect(dependsOn(t, orders)).toEqual(expect.arrayContaining([logicalId(payments.service)]));
    expect(dependsOn(t, worker)).toEqual(expect.arrayContaining([logicalId(payments.service)]));
    expect(dependsOn(t, payments)).not.toContain(logicalId(orders.service));
    for (const s of [orders, worker, payments]) {
      expect(t.toJSON().Resources[logicalId(s.service)].Properties.ServiceConnectConfiguration.Namespace).toEqual({ 'Fn::GetAtt': [ns, 'Arn'] });
      // the reference orders it; an explicit DependsOn as well would be cfn-lint's W3005
      expect(dependsOn(t, s)).not.toContain(ns);
    }
  });

  test('orders matches the seed article\'s --service-connect-configuration field for field', () => {
    const sc = t.toJSON().Resources[logicalId(orders.service)].Properties.ServiceConnectConfiguration;
    const ns = Object.entries(t.findResources('AWS::ServiceDiscovery::HttpNamespace'))[0];
    expect((ns[1] as any).Properties.Name).toBe('production.internal');
    expect({ enabled: sc.Enabled, namespace: sc.Namespace, services: sc.Services }).toEqual({
      enabled: true,
      namespace: { 'Fn::GetAtt': [ns[0], 'Arn'] },
      services: [{ PortName: 'orders-http', DiscoveryName: 'orders', ClientAliases: [{ Port: 8080, DnsName: 'orders' }] }],
    });
    t.hasResourceProperties('AWS::ECS::Service', { ServiceConnectConfiguration: Match.objectLike({ Services: sc.Services }), DesiredCount: 3 });
    // the seed's task size, with the proxy's budget reserved out of it
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Cpu: '512',
      Memory: '1024',
      ContainerDefinitions: [Match.objectLike({ Image: 'public.ecr.aws/example/orders:v2.1.0', Cpu: 256, Memory: 960 })],
    });
  });
});

describe('connectTo', () => {
  test('opens the ingress override port, never the client alias port', () => {
    const stack = strictStack();
    const cluster = new ServiceConnectCluster(stack, 'C');
    const db = server(stack, cluster, 'Db', 'db', { containerPort: 5432, clientPort: 6543, ingressPortOverride: 15432 });
    const api = server(stack, cluster, 'Api', 'api');
    expect(api.connectTo(db)).toBe('http://db:6543');
    const rules = Object.values(Template.fromStack(stack).findResources('AWS::EC2::SecurityGroupIngress')).map((r: any) => r.Properties);
    expect(rules).toEqual([expect.objectContaining({ FromPort: 15432, ToPort: 15432 })]);
  });

  test('portName picks a server port, environmentVariable names the variable, and a client may call many servers', () => {
    const stack = strictStack();
    const cluster = new ServiceConnectCluster(stack, 'C');
    const multi = new ConnectedFargateService(stack, 'Multi', {
      cluster, image, ports: [{ name: 'multi-http', containerPort: 8080 }, { name: 'multi-admin', containerPort: 9000, dnsName: 'multi.admin' }],
    });
    const other = server(stack, cluster, 'Other', 'other');
    const client = new ConnectedFargateService(stack, 'Client', { cluster, image });
    expect(client.connectTo(multi, { portName: 'multi-admin' })).toBe('http://multi.admin:9000');
    client.connectTo(multi, { environmentVariable: 'MULTI_API' });
    client.connectTo(other);
    const t = Template.fromStack(stack);
    expect(envOf(t, client)).toEqual([
      { Name: 'MULTI_ADMIN_URL', Value: 'http://multi.admin:9000' },
      { Name: 'MULTI_API', Value: 'http://multi-http:8080' },
      { Name: 'OTHER_URL', Value: 'http://other:8080' },
    ]);
    const ports = Object.values(t.findResources('AWS::EC2::SecurityGroupIngress')).map((r: any) => r.Properties.FromPort).sort();
    expect(ports).toEqual([8080, 8080, 9000]);
    expect(dependsOn(t, client)).toEqual(expect.arrayContaining([logicalId(multi.service), logicalId(other.service)]));
  });

  test('a cycle keeps variables and ingress both ways, one dependency, and says which in a warning', () => {
    const stack = strictStack();
    const cluster = new ServiceConnectCluster(stack, 'C');
    const a = server(stack, cluster, 'A', 'alpha');
    const b = server(stack, cluster, 'B', 'beta');
    a.connectTo(b);
    b.connectTo(a);
    const t = Template.fromStack(stack);
    expect(envOf(t, a)).toEqual([{ Name: 'BETA_URL', Value: 'http://beta:8080' }]);
    expect(envOf(t, b)).toEqual([{ Name: 'ALPHA_URL', Value: 'http://alpha:8080' }]);
    t.resourceCountIs('AWS::EC2::SecurityGroupIngress', 2);
    expect(dependsOn(t, a)).toContain(logicalId(b.service));
    expect(dependsOn(t, b)).not.toContain(logicalId(a.service));
    Annotations.fromStack(stack).hasWarning('/TestStack/B', Match.stringLikeRegexp(
      'circle: TestStack/B → TestStack/A → TestStack/B.*the call TestStack/B → TestStack/A gets no deployment-order dependency. ' +
      'Deploy first: TestStack/B, then TestStack/A.*cdk-service-connect:dependency-cycle'));
  });

  test('a ring of three: the call that closes it gets no dependency, and the warning names the circle and what to deploy first', () => {
    // GIVEN a → b → c
    const stack = strictStack();
    const cluster = new ServiceConnectCluster(stack, 'C');
    const a = server(stack, cluster, 'A', 'alpha');
    const b = server(stack, cluster, 'B', 'beta');
    const c = server(stack, cluster, 'Cc', 'gamma');
    a.connectTo(b);
    b.connectTo(c);
    // WHEN c → a closes the ring
    c.connectTo(a);
    // THEN the template has no circular DependsOn (CloudFormation would refuse it) and every call keeps its variable and ingress
    const t = Template.fromStack(stack);
    expect(dependsOn(t, a)).toContain(logicalId(b.service));
    expect(dependsOn(t, b)).toContain(logicalId(c.service));
    expect(dependsOn(t, c)).not.toContain(logicalId(a.service));
    expect(envOf(t, c)).toEqual([{ Name: 'ALPHA_URL', Value: 'http://alpha:8080' }]);
    t.resourceCountIs('AWS::EC2::SecurityGroupIngress', 3);
    Annotations.fromStack(stack).hasWarning('/TestStack/Cc', Match.stringLikeRegexp(
      'circle: TestStack/Cc → TestStack/A → TestStack/B → TestStack/Cc.*the call TestStack/Cc → TestStack/A gets no deployment-order dependency. ' +
      'Deploy first: TestStack/Cc, then TestStack/B, then TestStack/A'));
  });

  test('a ring of four across four stacks synthesizes without a circular stack dependency', () => {
    const app = strictApp();
    const cluster = new ServiceConnectCluster(new Stack(app, 'Platform'), 'C');
    const services = ['One', 'Two', 'Three', 'Four'].map((name) => server(new Stack(app, name), cluster, 'S', name.toLowerCase()));
    services.forEach((s, i) => s.connectTo(services[(i + 1) % services.length]));
    expect(() => app.synth()).not.toThrow();
    Annotations.fromStack(Stack.of(services[3])).hasWarning('/Four/S', Match.stringLikeRegexp('cdk-service-connect:dependency-cycle'));
  });

  test('connecting twice to the same server (two ports) is not a circle', () => {
    const stack = strictStack();
    const cluster = new ServiceConnectCluster(stack, 'C');
    const a = server(stack, cluster, 'A', 'alpha');
    const b = server(stack, cluster, 'B', 'beta');
    a.connectTo(b);
    a.connectTo(b, { environmentVariable: 'BETA_AGAIN_URL' });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('dependency-cycle'));
  });

  test('a cycle across two stacks synthesizes without a circular stack dependency', () => {
    const app = strictApp();
    const platform = new Stack(app, 'Platform');
    const cluster = new ServiceConnectCluster(platform, 'C');
    const a = server(new Stack(app, 'TeamA'), cluster, 'A', 'alpha');
    const b = server(new Stack(app, 'TeamB'), cluster, 'B', 'beta');
    a.connectTo(b);
    b.connectTo(a);
    expect(() => app.synth()).not.toThrow();
    expect(Stack.of(a).dependencies.map((s) => s.stackName).sort()).toEqual(['Platform', 'TeamB']);
    expect(Stack.of(b).dependencies.map((s) => s.stackName)).toEqual(['Platform']);
  });

  test.each([
    ['connect-self', (a: ConnectedFargateService) => a.connectTo(a), /\[connect-self\] connectTo\(TestStack\/A\) = "TestStack\/A"/],
    ['connect-client-only', (a: ConnectedFargateService, _b: ConnectedFargateService, w: ConnectedFargateService) => a.connectTo(w),
      /\[connect-client-only\].*the server is client-only.* Fix: give the server `ports`/],
    ['connect-unknown-port', (a: ConnectedFargateService, b: ConnectedFargateService) => a.connectTo(b, { portName: 'beta-grpc' }),
      /\[connect-unknown-port\] connectTo\(TestStack\/B\)\(portName\) = "beta-grpc": the service has no port of that name. Fix: use one of "beta-http"/],
    ['env-name-format', (a: ConnectedFargateService, b: ConnectedFargateService) => a.connectTo(b, { environmentVariable: 'BETA=URL' }),
      /\[env-name-format\] connectTo\(TestStack\/B\)\.environmentVariable = "BETA=URL"/],
    ['env-name-clash (environment)', (a: ConnectedFargateService, b: ConnectedFargateService) => a.connectTo(b, { environmentVariable: 'MODE' }),
      /\[env-name-clash\] connectTo\(TestStack\/B\)\.environmentVariable = "MODE": the app container already has this variable/],
    ['env-name-clash (second connect)', (a: ConnectedFargateService, b: ConnectedFargateService) => { a.connectTo(b); a.connectTo(b); },
      /\[env-name-clash\] connectTo\(TestStack\/B\)\.environmentVariable = "BETA_URL"/],
  ])('%s is rejected', (_rule, act, pattern) => {
    const stack = strictStack();
    const cluster = new ServiceConnectCluster(stack, 'C');
    const a = new ConnectedFargateService(stack, 'A', { cluster, image, ports: [{ name: 'alpha-http', containerPort: 8080 }], environment: { MODE: 'x' } });
    const b = server(stack, cluster, 'B', 'beta');
    const w = new ConnectedFargateService(stack, 'W', { cluster, image });
    expect(() => act(a, b, w)).toThrow(pattern);
  });

  test('connectToExternal sets the URL variable only: no ingress rule, no dependency', () => {
    const stack = strictStack();
    const cluster = new ServiceConnectCluster(stack, 'C');
    const web = new ConnectedFargateService(stack, 'Web', { cluster, image });
    expect(web.connectToExternal('inventory', 8080)).toBe('http://inventory:8080');
    expect(web.connectToExternal('ledger.db', 5432, { protocol: ServiceConnectProtocol.TCP, environmentVariable: 'LEDGER' })).toBe('tcp://ledger.db:5432');
    const t = Template.fromStack(stack);
    expect(envOf(t, web)).toEqual([{ Name: 'INVENTORY_URL', Value: 'http://inventory:8080' }, { Name: 'LEDGER', Value: 'tcp://ledger.db:5432' }]);
    t.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    expect(dependsOn(t, web).filter((d) => !d.includes('Namespace') && !d.includes('TaskRole'))).toEqual([]);
  });

  test('connectToExternal checks the alias, the port and the variable', () => {
    const stack = strictStack();
    const web = new ConnectedFargateService(stack, 'Web', { cluster: new ServiceConnectCluster(stack, 'C'), image, environment: { INVENTORY_URL: 'x' } });
    expect(() => web.connectToExternal('Inventory', 0)).toThrow(
      /has 3 invalid settings:\n.*\[dns-name-format\] connectToExternal\("Inventory"\)\.dnsName = "Inventory".*\n.*\[port-range\] connectToExternal\("Inventory"\)\.clientPort = 0.*\n.*\[env-name-clash\] connectToExternal\("Inventory"\)\.environmentVariable = "INVENTORY_URL"/);
  });

  test('connect-namespace: a server in another namespace is rejected', () => {
    const stack = strictStack();
    const a = server(stack, new ServiceConnectCluster(stack, 'C1', { namespaceName: 'one' }), 'A', 'alpha');
    const b = server(stack, new ServiceConnectCluster(stack, 'C2', { namespaceName: 'two' }), 'B', 'beta');
    expect(() => a.connectTo(b)).toThrow(/\[connect-namespace\] connectTo\(TestStack\/B\) = "two": the client is in namespace "one"/);
  });
});

describe('cross-cluster: two clusters, two VPCs, one namespace', () => {
  test('services of both clusters register in the shared namespace and can connect', () => {
    const stack = strictStack();
    const first = new ServiceConnectCluster(stack, 'First', { namespaceName: 'shared.internal' });
    const second = new ServiceConnectCluster(stack, 'Second', { namespace: first.namespace });
    const api = server(stack, first, 'Api', 'api');
    const client = new ConnectedFargateService(stack, 'Client', { cluster: second, image });
    client.connectTo(api);
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::ServiceDiscovery::HttpNamespace', 1);
    t.resourceCountIs('AWS::EC2::VPC', 2);
    t.resourceCountIs('AWS::ECS::Cluster', 2);
    const ns = Object.keys(t.findResources('AWS::ServiceDiscovery::HttpNamespace'))[0];
    t.resourcePropertiesCountIs('AWS::ECS::Cluster', { ServiceConnectDefaults: { Namespace: { 'Fn::GetAtt': [ns, 'Arn'] } } }, 2);
    expect(first.namespaceServices).toEqual([api, client]);
    expect(second.services).toEqual([client]);
  });

  test('discovery names must be unique across the namespace, whichever cluster', () => {
    const stack = strictStack();
    const first = new ServiceConnectCluster(stack, 'First');
    const second = new ServiceConnectCluster(stack, 'Second', { namespace: first.namespace });
    server(stack, first, 'Api', 'api');
    server(stack, second, 'Api2', 'api', { name: 'api2-http', dnsName: 'api2' });
    expect(() => Template.fromStack(stack)).toThrow(
      /\[discovery-name-unique\] port "api2-http" = "api": TestStack\/Api \(port "api-http"\) already registers this discovery name/);
  });

  test('dnsName:port aliases must be unique across the namespace', () => {
    const stack = strictStack();
    const cluster = new ServiceConnectCluster(stack, 'C');
    server(stack, cluster, 'Api', 'api');
    server(stack, cluster, 'Api2', 'api2', { dnsName: 'api' });
    expect(() => Template.fromStack(stack)).toThrow(/\[client-alias-unique\] port "api2-http" = "api:8080": TestStack\/Api/);
  });

  test('the same discovery name in two different namespaces is fine', () => {
    const stack = strictStack();
    server(stack, new ServiceConnectCluster(stack, 'Staging', { namespaceName: 'staging' }), 'A', 'api');
    server(stack, new ServiceConnectCluster(stack, 'Prod', { namespaceName: 'prod' }), 'B', 'api');
    expect(() => Template.fromStack(stack)).not.toThrow();
  });
});

describe('cross-stack: platform stack and team stacks', () => {
  const app = strictApp();
  const stacks = buildCrossStackApp(app);
  const assembly = app.synth();

  test('no circular stack dependencies: teams depend on the platform, checkout on catalog', () => {
    const deps = (s: Stack) => s.dependencies.map((d) => d.stackName).sort();
    expect(deps(stacks.platform)).toEqual([]);
    expect(deps(stacks.catalog)).toEqual(['Platform']);
    expect(deps(stacks.checkout)).toEqual(['Platform', 'TeamCatalog']);
    expect(deps(stacks.analytics)).toEqual(['Platform']);
    expect(assembly.stacks).toHaveLength(4);
  });

  test('the checkout stack holds the ingress rule into the catalog security group', () => {
    const checkout = Template.fromStack(stacks.checkout);
    checkout.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 8080, ToPort: 8080, GroupId: { 'Fn::ImportValue': Match.stringLikeRegexp('TeamCatalog') },
    });
    Template.fromStack(stacks.catalog).resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
  });

  test('team services use the platform namespace by ARN through exports', () => {
    Template.fromStack(stacks.catalog).hasResourceProperties('AWS::ECS::Service', {
      ServiceConnectConfiguration: Match.objectLike({ Namespace: { 'Fn::ImportValue': Match.stringLikeRegexp('Platform') } }),
    });
  });

  test('a namespace imported by attributes joins another cluster in another VPC', () => {
    const analytics = Template.fromStack(stacks.analytics);
    analytics.hasResourceProperties('AWS::ECS::Cluster', { ServiceConnectDefaults: { Namespace: { 'Fn::ImportValue': 'shop-namespace-arn' } } });
    analytics.resourceCountIs('AWS::EC2::VPC', 1);
    analytics.resourceCountIs('AWS::ServiceDiscovery::HttpNamespace', 0);
  });
});

describe('cross-account: a namespace shared through AWS RAM', () => {
  const app = strictApp();
  const { owner, consumer } = buildCrossAccountApp(app);

  test('the owner shares its namespace with the managed Cloud Map ECS permission, inside the organization', () => {
    const t = Template.fromStack(owner);
    const ns = Object.keys(t.findResources('AWS::ServiceDiscovery::HttpNamespace'))[0];
    t.hasResourceProperties('AWS::RAM::ResourceShare', {
      Name: 'shop.internal-service-connect',
      ResourceArns: [{ 'Fn::GetAtt': [ns, 'Arn'] }],
      Principals: [CONSUMER_ACCOUNT],
      AllowExternalPrincipals: false,
      PermissionArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ram::aws:permission/AWSRAMPermissionCloudMapECSFullPermission']] }],
    });
  });

  test('the consumer uses the shared namespace by ARN and creates none', () => {
    const t = Template.fromStack(consumer);
    t.resourceCountIs('AWS::ServiceDiscovery::HttpNamespace', 0);
    t.hasResourceProperties('AWS::ECS::Cluster', { ServiceConnectDefaults: { Namespace: SHARED_NAMESPACE_ARN } });
    t.hasResourceProperties('AWS::ECS::Service', { ServiceConnectConfiguration: Match.objectLike({ Namespace: SHARED_NAMESPACE_ARN }) });
  });

  test('a shared namespace without an ARN is rejected', () => {
    const stack = strictStack();
    expect(() => SharedNamespace.fromArn(stack, 'Ns', { namespaceArn: 'ns-shop0123456789ab', namespaceName: 'shop.internal' }))
      .toThrow(/\[namespace-arn\] namespaceArn = "ns-shop0123456789ab": a shared namespace is used by its full ARN/);
    const byName = servicediscovery.HttpNamespace.fromHttpNamespaceAttributes(stack, 'ByName', {
      namespaceArn: '', namespaceId: 'ns-1', namespaceName: 'shop.internal',
    });
    expect(() => new ServiceConnectCluster(stack, 'C', { namespace: byName }))
      .toThrow(/\[namespace-arn\] namespace\.namespaceArn = "": the cluster refers to an existing namespace by ARN/);
  });

  test('share principals are checked', () => {
    const stack = strictStack();
    const cluster = new ServiceConnectCluster(stack, 'C');
    expect(() => cluster.shareNamespace('S', ['12345', 'arn:aws:organizations::111122223333:ou/o-abc/ou-ab12-cdef3456']))
      .toThrow(/NamespaceShare 'TestStack\/C\/S' has 1 invalid setting:\n {2}- \[share-principal-format\] principals\[0\] = "12345"/);
    expect(() => new NamespaceShare(stack, 'Empty', { namespace: cluster.namespace, principals: [] }))
      .toThrow(/\[share-principal-format\] principals = "\[\]": a share needs at least one principal/);
  });

  test('external principals can be allowed explicitly', () => {
    const stack = strictStack();
    new ServiceConnectCluster(stack, 'C').shareNamespace('S', ['333333333333'], true);
    Template.fromStack(stack).hasResourceProperties('AWS::RAM::ResourceShare', { AllowExternalPrincipals: true });
  });
});

describe('snapshots of the topology examples (update on purpose only: npx jest -u, and say why in the commit)', () => {
  test.each([
    ['seed', () => [buildSeedApp(strictApp())]],
    ['cross-stack', () => Object.values(buildCrossStackApp(strictApp()))],
    ['cross-account', () => Object.values(buildCrossAccountApp(strictApp()))],
  ])('%s', (_name, build) => {
    for (const stack of build() as Stack[]) {
      expect(Template.fromStack(stack).toJSON()).toMatchSnapshot(stack.stackName);
    }
  });
});

describe('platform/team in two CDK apps: the team joins the platform cluster by attributes from SSM', () => {
  const platformApp = strictApp();
  const platform = Template.fromStack(buildPlatformApp(platformApp));
  const teamApp = strictApp();
  const teamStack = buildTeamApp(teamApp);
  const team = Template.fromStack(teamStack);
  const ssmRef = (name: string) => ({ Ref: Match.stringLikeRegexp(`SsmParameterValueshopplatform${name}`) });

  test('the platform app owns the cluster and the namespace and publishes what teams need', () => {
    platform.resourceCountIs('AWS::ECS::Cluster', 1);
    platform.hasResourceProperties('AWS::ServiceDiscovery::HttpNamespace', { Name: 'shop.internal' });
    for (const name of ['cluster-name', 'vpc-id', 'private-subnet-ids', 'namespace-arn', 'identity-security-group-id']) {
      platform.hasResourceProperties('AWS::SSM::Parameter', { Name: `/shop/platform/${name}` });
    }
  });

  test('the team app creates no cluster or namespace, and its services join them by the published values', () => {
    team.resourceCountIs('AWS::ECS::Cluster', 0);
    team.resourceCountIs('AWS::ServiceDiscovery::HttpNamespace', 0);
    team.allResourcesProperties('AWS::ECS::Service', {
      Cluster: ssmRef('clustername'),
      ServiceConnectConfiguration: Match.objectLike({ Namespace: ssmRef('namespacearn') }),
    });
  });

  test('checkout calls cart (this app) and identity (the platform app\'s) with a rule into each', () => {
    const checkout = teamStack.node.findChild('Checkout') as ConnectedFargateService;
    expect(envOf(team, checkout)).toEqual([
      { Name: 'CART_URL', Value: 'http://cart:8080' },
      { Name: 'IDENTITY_URL', Value: 'http://identity:8080' },
    ]);
    team.resourceCountIs('AWS::EC2::SecurityGroupIngress', 2);
    team.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { GroupId: ssmRef('identitysecuritygroupid'), FromPort: 8080 });
  });
});
