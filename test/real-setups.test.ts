import { NestedStack, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { strictApp } from './helpers';
import {
  ConnectedFargateService, EnvoySizing, ServiceConnectCluster, ServiceConnectIngress, ServiceConnectProtocol,
} from '../src';

/**
 * Real public Service Connect setups, re-expressed with the library's API only: no
 * `node.defaultChild`, no `addPropertyOverride`, no aws-cdk-lib ECS/ELB constructs in user code
 * (imports by attributes excepted). Each test says where the layout comes from and checks what
 * the original configured.
 */

const image = (name: string) => ecs.ContainerImage.fromRegistry(`public.ecr.aws/example/${name}:1`);
const services = (t: Template) => Object.values(t.findResources('AWS::ECS::Service')).map((r: any) => r.Properties);
const aliases = (t: Template) => services(t).flatMap((s) => (s.ServiceConnectConfiguration.Services ?? [])
  .map((sc: any) => `${sc.DiscoveryName} ${sc.ClientAliases[0].DnsName}:${sc.ClientAliases[0].Port}`)).sort();

describe('yelb on ECS (mreferre/yelb, deployments/platformdeployment/AWS/ECS/cdk): four tiers, a public UI', () => {
  // The original: a VPC, a cluster, a private DNS namespace yelb.local, 512/2048 tasks; yelb-ui
  // (3 tasks) behind a public ALB on 80; yelb-appserver (2 tasks) on 4567; yelb-db on 5432 and
  // redis-server on 6379, each opened only to its caller. The app finds its peers by host name.
  const app = strictApp();
  const stack = new Stack(app, 'Yelb', { env: { region: 'eu-west-1' } });
  const cluster = new ServiceConnectCluster(stack, 'Yelb', { namespaceName: 'yelb.local' });
  const sizing = EnvoySizing.forTask({ taskCpu: 512, taskMemoryMiB: 2048 });
  const tcp = ServiceConnectProtocol.TCP;
  const db = new ConnectedFargateService(stack, 'Db', { cluster, image: image('yelb-db'), sizing, ports: [{ name: 'yelb-db', containerPort: 5432, protocol: tcp }] });
  const redis = new ConnectedFargateService(stack, 'Redis', { cluster, image: image('redis'), sizing, ports: [{ name: 'redis-server', containerPort: 6379, protocol: tcp }] });
  const appserver = new ConnectedFargateService(stack, 'AppServer', {
    cluster,
    image: image('yelb-appserver'),
    sizing,
    ports: [{ name: 'yelb-appserver', containerPort: 4567 }],
    // yelb reads host names, not URLs: the aliases are plain values of the endpoints
    environment: { YELB_DB_SERVER_ENDPOINT: db.endpoint().dnsName, REDIS_SERVER_ENDPOINT: redis.endpoint().dnsName, RACK_ENV: 'custom' },
  });
  appserver.connectTo(db);
  appserver.connectTo(redis);
  const ui = new ConnectedFargateService(stack, 'Ui', { cluster, image: image('yelb-ui'), sizing, desiredCount: 3 });
  ui.connectTo(appserver, { environmentVariable: 'YELB_APPSERVER_ENDPOINT' });
  new ServiceConnectIngress(stack, 'Public', { cluster }).addRoute(ui, { containerPort: 80 });
  const t = Template.fromStack(stack);

  test('the namespace, the aliases and the ports of the original', () => {
    t.hasResourceProperties('AWS::ServiceDiscovery::HttpNamespace', { Name: 'yelb.local' });
    expect(aliases(t)).toEqual(['redis-server redis-server:6379', 'yelb-appserver yelb-appserver:4567', 'yelb-db yelb-db:5432']);
    t.allResourcesProperties('AWS::ECS::TaskDefinition', { Cpu: '512', Memory: '2048' });
  });

  test('each tier admits only its caller on its port; the UI admits only the load balancer on 80', () => {
    const rules = Object.values(t.findResources('AWS::EC2::SecurityGroupIngress')).map((r: any) => `${r.Properties.FromPort} ${r.Properties.Description ?? ''}`);
    expect(rules.filter((r) => r.startsWith('5432') || r.startsWith('6379') || r.startsWith('4567'))).toHaveLength(3);
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 80,
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^UiSecurityGroup'), 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PublicLoadBalancerSecurityGroup'), 'GroupId'] },
    });
  });

  test('the app server gets the host names yelb expects, the UI the app server URL', () => {
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: Match.arrayWith([Match.objectLike({
        Environment: Match.arrayWith([
          { Name: 'YELB_DB_SERVER_ENDPOINT', Value: 'yelb-db' }, { Name: 'REDIS_SERVER_ENDPOINT', Value: 'redis-server' },
        ]),
      })]),
    });
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: Match.arrayWith([Match.objectLike({ Environment: [{ Name: 'YELB_APPSERVER_ENDPOINT', Value: 'http://yelb-appserver:4567' }] })]),
    });
    t.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 3, LoadBalancers: [Match.objectLike({ ContainerPort: 80 })] });
  });
});

describe('retail store sample on ECS (aws-containers/retail-store-sample-app, terraform/lib/ecs): five services behind one UI', () => {
  // The original: every service a 1024/2048 task with a container health check on 8080, ECS
  // Exec on, port mapping "<name>-service" registered with discovery name <name> and client alias
  // <name>:80; the UI behind an ALB on 8080 calls the others at http://<name>; checkout calls
  // orders; an OpenTelemetry collector sidecar (cloudwatch-agent, essential, OTLP on 4318).
  const app = strictApp();
  const stack = new Stack(app, 'Retail', { env: { region: 'eu-west-1' } });
  const cluster = new ServiceConnectCluster(stack, 'Retail', { namespaceName: 'retailstore.local' });
  const collector = { name: 'cloudwatch-agent', image: image('cloudwatch-agent'), cpu: 64, memoryMiB: 256, essential: true, containerPorts: [4318] };
  const make = (name: string, environment: Record<string, string> = {}) => new ConnectedFargateService(stack, name, {
    cluster,
    image: image(name),
    sizing: EnvoySizing.forTask({ taskCpu: 1024, taskMemoryMiB: 2048, sidecarCpu: 64, sidecarMemoryMiB: 256 }),
    containerName: `${name}-service`,
    ports: [{ name: `${name}-service`, containerPort: 8080, discoveryName: name, dnsName: name, clientPort: 80 }],
    healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:8080/actuator/health || exit 1'] },
    enableExecuteCommand: true,
    sidecars: [collector],
    environment: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318', ...environment },
  });
  const [catalog, carts, orders] = ['catalog', 'carts', 'orders'].map((n) => make(n));
  const checkout = make('checkout');
  checkout.connectTo(orders, { environmentVariable: 'RETAIL_CHECKOUT_ENDPOINTS_ORDERS' });
  const ui = make('ui');
  for (const [server, variable] of [[catalog, 'CATALOG'], [carts, 'CARTS'], [checkout, 'CHECKOUT'], [orders, 'ORDERS']] as const) {
    ui.connectTo(server, { environmentVariable: `RETAIL_UI_ENDPOINTS_${variable}` });
  }
  new ServiceConnectIngress(stack, 'Alb', { cluster }).addRoute(ui, { containerPort: 8080, healthCheck: { path: '/actuator/health' } });
  const t = Template.fromStack(stack);

  test('each service registers <name>-service as <name>:80 over container port 8080', () => {
    expect(aliases(t)).toEqual(['carts carts:80', 'catalog catalog:80', 'checkout checkout:80', 'orders orders:80', 'ui ui:80']);
    for (const s of services(t)) expect(s.EnableExecuteCommand).toBe(true);
  });

  test('the UI gets the endpoints the original passes, on the client alias port', () => {
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: Match.arrayWith([Match.objectLike({
        Name: 'ui-service',
        Environment: Match.arrayWith([
          { Name: 'RETAIL_UI_ENDPOINTS_CATALOG', Value: 'http://catalog:80' }, { Name: 'RETAIL_UI_ENDPOINTS_ORDERS', Value: 'http://orders:80' },
        ]),
      })]),
    });
  });

  test('the collector sidecar is essential and listens on 4318; the ALB checks /actuator/health on 8080', () => {
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: Match.arrayWith([Match.objectLike({ Name: 'cloudwatch-agent', Essential: true, PortMappings: [Match.objectLike({ ContainerPort: 4318 })] })]),
    });
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Port: 8080, HealthCheckPath: '/actuator/health', TargetType: 'ip' });
  });

  test('the security group rules open 8080 (the container port), not the alias port 80', () => {
    const ports = Object.values(t.findResources('AWS::EC2::SecurityGroupIngress')).map((r: any) => r.Properties.FromPort);
    expect(ports.filter((p) => p === 8080)).toHaveLength(6); // 5 connectTo + 1 from the load balancer
  });
});

describe('the aws-cdk Service Connect integration app (namespace scorekeep.com): one API, one caller', () => {
  // The original: a cluster whose default namespace is scorekeep.com, a 1024/2048 task with the
  // container "web" and port mapping "api" on 80 (appProtocol http), Service Connect alias
  // http-api:80, the proxy logging to CloudWatch Logs.
  const app = strictApp();
  const stack = new Stack(app, 'Scorekeep');
  const cluster = new ServiceConnectCluster(stack, 'EcsCluster', { namespaceName: 'scorekeep.com' });
  const api = new ConnectedFargateService(stack, 'Api', {
    cluster,
    image: image('amazon-ecs-sample'),
    containerName: 'web',
    sizing: EnvoySizing.forTask({ taskCpu: 1024, taskMemoryMiB: 2048 }),
    ports: [{ name: 'api', containerPort: 80, dnsName: 'http-api' }],
  });
  const caller = new ConnectedFargateService(stack, 'Caller', { cluster, image: image('caller') });
  const url = caller.connectTo(api);
  const t = Template.fromStack(stack);

  test('the cluster names the namespace by ARN and the service carries the alias of the original', () => {
    t.hasResourceProperties('AWS::ECS::Cluster', { ServiceConnectDefaults: { Namespace: { 'Fn::GetAtt': [Match.stringLikeRegexp('Namespace'), 'Arn'] } } });
    t.hasResourceProperties('AWS::ECS::Service', {
      ServiceConnectConfiguration: Match.objectLike({
        Services: [{ PortName: 'api', DiscoveryName: 'api', ClientAliases: [{ DnsName: 'http-api', Port: 80 }] }],
        LogConfiguration: Match.objectLike({ LogDriver: 'awslogs' }),
      }),
    });
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Cpu: '1024', Memory: '2048', ContainerDefinitions: [Match.objectLike({ Name: 'web', PortMappings: [Match.objectLike({ Name: 'api', ContainerPort: 80, AppProtocol: 'http' })] })],
    });
    expect(url).toBe('http://http-api:80');
  });
});

describe('a UI and a worker in an existing VPC with given roles (CdkFargateCloudMapStack, portal-ecs-services.local)', () => {
  // The original: an existing VPC, a private DNS namespace portal-ecs-services.local, a cluster
  // named portal-service-ecs-cluster, two 256/512 services (connect-worker, connect-ui) with fixed
  // service names, 1 task each, task and execution roles given by ARN, and the UI told the
  // worker's address in CONNECT_URL.
  const app = strictApp();
  const stack = new Stack(app, 'Portal');
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0a1b2c3d4e5f60718',
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    privateSubnetIds: ['subnet-0a1b2c3d4e5f60718', 'subnet-0a1b2c3d4e5f60719'],
  });
  const namespace = new servicediscovery.PrivateDnsNamespace(stack, 'Namespace', { name: 'portal-ecs-services.local', vpc });
  const cluster = new ServiceConnectCluster(stack, 'Portal', { vpc, namespace, clusterName: 'portal-service-ecs-cluster' });
  const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::111111111111:role/ecsTaskExecutionRole');
  // 256/512 leaves the app nothing once the proxy's budget is reserved: the default 512/1024 instead
  const common = { cluster, taskRole: role, executionRole: role, desiredCount: 1 };
  const worker = new ConnectedFargateService(stack, 'Worker', {
    ...common,
    image: image('amazon-ecs-sample'),
    serviceName: 'connect-worker',
    environment: { STAGE: 'dev' },
    ports: [{ name: 'connect-worker', containerPort: 80 }],
  });
  const ui = new ConnectedFargateService(stack, 'Ui', {
    ...common,
    image: image('amazon-ecs-sample'),
    serviceName: 'connect-ui',
    environment: { STAGE: 'dev' },
    ports: [{ name: 'connect-ui', containerPort: 80 }],
  });
  ui.connectTo(worker, { environmentVariable: 'CONNECT_URL' });
  const t = Template.fromStack(stack);

  test('the given namespace, cluster name, roles, names and counts', () => {
    t.hasResourceProperties('AWS::ECS::Cluster', { ClusterName: 'portal-service-ecs-cluster' });
    t.resourceCountIs('AWS::ServiceDiscovery::PrivateDnsNamespace', 1);
    t.resourceCountIs('AWS::IAM::Role', 0);
    t.allResourcesProperties('AWS::ECS::TaskDefinition', {
      TaskRoleArn: 'arn:aws:iam::111111111111:role/ecsTaskExecutionRole', ExecutionRoleArn: 'arn:aws:iam::111111111111:role/ecsTaskExecutionRole',
    });
    t.hasResourceProperties('AWS::ECS::Service', { ServiceName: 'connect-ui', DesiredCount: 1 });
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ Environment: Match.arrayWith([{ Name: 'CONNECT_URL', Value: 'http://connect-worker:80' }]) })],
    });
  });

  test('the risky choices of the original are warnings to acknowledge, not errors', () => {
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('cdk-service-connect:'))
      .map((w) => String(w.entry.data).match(/cdk-service-connect:([a-z-]+)/)![1]);
    expect(new Set(warnings)).toEqual(new Set(['explicit-service-name', 'desired-count-one']));
  });
});

describe('services of a config list in a nested stack behind one ALB (FargateWithServiceConnectStack)', () => {
  // The original: a NestedStack holding a cluster with a namespace, one Fargate service per
  // entry of a config list (256/512, port mapping with appProtocol http, alias
  // <serviceDiscoveryName>:<port>), the entry service behind an internet-facing ALB on 80.
  const app = strictApp();
  const parent = new Stack(app, 'Seamless', { env: { region: 'eu-west-1' } });
  const nested = new NestedStack(parent, 'SeamlessProd');
  const cluster = new ServiceConnectCluster(nested, 'Cluster', { namespaceName: 'seamless-prod' });
  const config = [
    { name: 'gateway', port: 3000, dnsName: 'gateway', calls: ['payment'], public: true },
    { name: 'payment', port: 4000, dnsName: 'payment-api', calls: ['ledger'], public: false },
    { name: 'ledger', port: 5000, dnsName: 'ledger-api', calls: [], public: false },
  ];
  const built = new Map(config.map((c) => [c.name, new ConnectedFargateService(nested, c.name, {
    cluster, image: image(c.name), ports: [{ name: `${c.name}-${c.port}-tcp`, containerPort: c.port, dnsName: c.dnsName }],
  })]));
  for (const c of config) for (const callee of c.calls) built.get(c.name)!.connectTo(built.get(callee)!);
  const ingress = new ServiceConnectIngress(nested, 'Alb', { cluster });
  for (const c of config.filter((x) => x.public)) ingress.addRoute(built.get(c.name)!, { containerPort: c.port });
  const t = Template.fromStack(nested);

  test('every entry becomes a Service Connect service with its alias, in the nested stack', () => {
    expect(aliases(t)).toEqual(['gateway-3000-tcp gateway:3000', 'ledger-5000-tcp ledger-api:5000', 'payment-4000-tcp payment-api:4000']);
    Template.fromStack(parent).resourceCountIs('AWS::ECS::Service', 0);
  });

  test('the calls are ordered and opened inside the nested stack; only the gateway is behind the ALB', () => {
    t.resourceCountIs('AWS::EC2::SecurityGroupIngress', 3);
    t.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 1);
    const gatewayId = Object.keys(t.findResources('AWS::ECS::Service')).find((k) => k.startsWith('gateway'))!;
    expect(t.toJSON().Resources[gatewayId].DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^paymentService/)]));
  });
});
