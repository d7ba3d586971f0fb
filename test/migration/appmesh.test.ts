import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { Match } from 'aws-cdk-lib/assertions';
import * as appmesh from 'aws-cdk-lib/aws-appmesh';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { synthesize, typeCheck, writeGeneratedApp } from './generated-app';
import { ServiceConnectProtocol } from '../../src';
import type { MigrationPlan } from '../../src/migration';
import { AppMeshMigration, FindingSeverity, MigratedLaunchType, MigratedSecretSource } from '../../src/migration';

// ---------------------------------------------------------------- helpers (generated apps)

/** Remove generated dirs that a crashed earlier run left behind (older than an hour: never a concurrent run's). */
for (const stale of fs.readdirSync(__dirname).filter((d) => d.startsWith('.generated-'))) {
  const dir = path.join(__dirname, stale);
  if (Date.now() - fs.statSync(dir).mtimeMs > 3_600_000) fs.rmSync(dir, { recursive: true, force: true });
}
const workDir = fs.mkdtempSync(path.join(__dirname, '.generated-'));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));
/** Every app generated in this file: type-checked together at the end (one compiler program is ~10 s). */
const generated: string[] = [];

/** Write the plan's app next to the tests, importing the library from the repository's src/. */
function writeApp(plan: MigrationPlan, name: string): string {
  const file = writeGeneratedApp(plan, workDir, name);
  generated.push(file);
  return file;
}


function serviceConnectOf(t: Template, discoveryName: string): any {
  const services = Object.values(t.findResources('AWS::ECS::Service')) as any[];
  return services.find((s) => s.Properties.ServiceConnectConfiguration?.Services?.[0]?.DiscoveryName === discoveryName);
}

// ---------------------------------------------------------------- an App Mesh application made with aws-cdk-lib

function meshTemplate(): string {
  const app = new App();
  const stack = new Stack(app, 'ShopMesh');
  const mesh = new appmesh.Mesh(stack, 'Mesh', { meshName: 'shop' });
  const namespace = new servicediscovery.HttpNamespace(stack, 'Namespace', { name: 'shop.local' });

  const paymentsV1 = mesh.addVirtualNode('PaymentsV1', {
    virtualNodeName: 'payments-v1',
    serviceDiscovery: appmesh.ServiceDiscovery.dns('payments-v1.shop.local'),
    listeners: [appmesh.VirtualNodeListener.http({
      port: 8080,
      timeout: { perRequest: Duration.seconds(10), idle: Duration.seconds(60) },
      outlierDetection: { baseEjectionDuration: Duration.seconds(10), interval: Duration.seconds(30), maxEjectionPercent: 50, maxServerErrors: 5 },
      connectionPool: { maxConnections: 100, maxPendingRequests: 10 },
      tls: {
        mode: appmesh.TlsMode.STRICT,
        certificate: appmesh.TlsCertificate.file('/certs/cert.pem', '/certs/key.pem'),
        mutualTlsValidation: { trust: appmesh.TlsValidationTrust.file('/certs/ca.pem') },
      },
    })],
  });
  const paymentsV2 = mesh.addVirtualNode('PaymentsV2', {
    virtualNodeName: 'payments-v2',
    serviceDiscovery: appmesh.ServiceDiscovery.cloudMap(new servicediscovery.Service(stack, 'PaymentsV2Discovery', { namespace, name: 'payments-v2' })),
    listeners: [appmesh.VirtualNodeListener.http({ port: 8080 })],
  });
  const router = mesh.addVirtualRouter('PaymentsRouter', { listeners: [appmesh.VirtualRouterListener.http(8080)] });
  router.addRoute('Canary', {
    routeSpec: appmesh.RouteSpec.http({
      weightedTargets: [{ virtualNode: paymentsV1, weight: 90 }, { virtualNode: paymentsV2, weight: 10 }],
      retryPolicy: { retryAttempts: 3, retryTimeout: Duration.seconds(2), httpRetryEvents: [appmesh.HttpRetryEvent.SERVER_ERROR] },
      match: { path: appmesh.HttpRoutePathMatch.startsWith('/'), headers: [appmesh.HeaderMatch.valueIs('x-canary', 'true')] },
    }),
  });
  const payments = new appmesh.VirtualService(stack, 'PaymentsService', {
    virtualServiceName: 'payments.shop.local',
    virtualServiceProvider: appmesh.VirtualServiceProvider.virtualRouter(router),
  });

  const inventoryNode = mesh.addVirtualNode('Inventory', {
    virtualNodeName: 'inventory',
    serviceDiscovery: appmesh.ServiceDiscovery.dns('inventory.shop.local'),
    listeners: [appmesh.VirtualNodeListener.grpc({ port: 9090 })],
  });
  const inventory = new appmesh.VirtualService(stack, 'InventoryService', {
    virtualServiceName: 'inventory.shop.local',
    virtualServiceProvider: appmesh.VirtualServiceProvider.virtualNode(inventoryNode),
  });

  const ordersNode = mesh.addVirtualNode('Orders', {
    virtualNodeName: 'orders',
    serviceDiscovery: appmesh.ServiceDiscovery.dns('orders.shop.local'),
    listeners: [appmesh.VirtualNodeListener.http({ port: 8080 })],
    backends: [
      appmesh.Backend.virtualService(payments, { tlsClientPolicy: { validation: { trust: appmesh.TlsValidationTrust.file('/certs/ca.pem') } } }),
      appmesh.Backend.virtualService(inventory),
    ],
  });
  const orders = new appmesh.VirtualService(stack, 'OrdersService', {
    virtualServiceName: 'orders.shop.local',
    virtualServiceProvider: appmesh.VirtualServiceProvider.virtualNode(ordersNode),
  });

  const gateway = mesh.addVirtualGateway('Gateway', { listeners: [appmesh.VirtualGatewayListener.http({ port: 8080 })] });
  gateway.addGatewayRoute('ToOrders', { routeSpec: appmesh.GatewayRouteSpec.http({ routeTarget: orders }) });

  // The orders task: app + Envoy sidecar + X-Ray daemon, with the APPMESH proxy configuration, run by an ECS service.
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  const envoyImage = ecs.ContainerImage.fromRegistry('840364872350.dkr.ecr.us-west-2.amazonaws.com/aws-appmesh-envoy:v1.29.6.0-prod');
  const meshTask = (id: string, node: appmesh.VirtualNode, port: number, image: string): ecs.FargateTaskDefinition => {
    const task = new ecs.FargateTaskDefinition(stack, id, {
      cpu: 512,
      memoryLimitMiB: 1024,
      proxyConfiguration: new ecs.AppMeshProxyConfiguration({
        containerName: 'envoy',
        properties: { appPorts: [port], proxyEgressPort: 15001, proxyIngressPort: 15000, ignoredUID: 1337, egressIgnoredIPs: ['169.254.170.2', '169.254.169.254'] },
      }),
    });
    task.addContainer('app', {
      image: ecs.ContainerImage.fromRegistry(image),
      cpu: 256,
      memoryLimitMiB: 512,
      portMappings: [{ containerPort: port }],
      environment: { LOG_LEVEL: 'info', APPMESH_XDS_ENDPOINT: 'unused' },
    });
    task.addContainer('envoy', {
      image: envoyImage,
      cpu: 192,
      memoryLimitMiB: 384,
      user: '1337',
      environment: { APPMESH_RESOURCE_ARN: node.virtualNodeArn, ENABLE_ENVOY_XRAY_TRACING: '1' },
    });
    task.taskRole.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AWSAppMeshEnvoyAccess'));
    return task;
  };
  const ordersTask = meshTask('OrdersTask', ordersNode, 8080, 'public.ecr.aws/example/orders:2.1.0');
  ordersTask.defaultContainer!.addSecret('DB_PASSWORD', ecs.Secret.fromSecretsManager(
    secretsmanager.Secret.fromSecretCompleteArn(stack, 'OrdersDb', 'arn:aws:secretsmanager:us-east-1:111122223333:secret:orders-db-AbCdEf'), 'password'));
  ordersTask.addContainer('xray', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/xray/aws-xray-daemon:3'), cpu: 32, memoryReservationMiB: 64 });
  new ecs.FargateService(stack, 'OrdersEcsService', { cluster, taskDefinition: ordersTask, desiredCount: 3 });

  const paymentsTask = meshTask('PaymentsV1Task', paymentsV1, 8080, 'public.ecr.aws/example/payments:1.4.0');
  new ecs.FargateService(stack, 'PaymentsV1EcsService', { cluster, taskDefinition: paymentsTask });

  // Inventory runs as standalone tasks (RunTask): no ECS service.
  meshTask('InventoryTask', inventoryNode, 9090, 'public.ecr.aws/example/inventory:3');

  // App Mesh is deprecated: the CloudFormation validator says so for every App Mesh resource, which is why we migrate.
  Validations.of(app).acknowledge({ id: 'CloudFormation-Validate::W3696', reason: 'the App Mesh application being migrated' });
  return JSON.stringify(app.synth().getStackByName(stack.stackName).template, null, 1);
}

// ---------------------------------------------------------------- the aws-cdk-lib-synthesized template

describe('a template synthesized from aws-cdk-lib aws-appmesh constructs', () => {
  // GIVEN the synthesized template of a mesh with a weighted router, a gateway and Envoy tasks
  const template = meshTemplate();
  // WHEN it is converted
  const plan = AppMeshMigration.fromTemplate(template, { sourceLabel: 'mesh.template.json' });
  const report = plan.toReport();
  const byId = (id: string) => plan.services.find((s) => s.id === id)!;

  test('every virtual node becomes a service', () => {
    expect(plan.services.map((s) => s.sourceName)).toEqual(['payments-v1', 'payments-v2', 'inventory', 'orders']);
    expect(plan.services.map((s) => s.id)).toEqual(['PaymentsV1', 'PaymentsV2', 'Inventory', 'Orders']);
    for (const node of ['payments-v1', 'payments-v2', 'inventory', 'orders']) {
      expect(report).toContain(node);
    }
  });

  test('the namespace comes from the nodes\' Cloud Map namespace', () => {
    expect(plan.namespaceName).toBe('shop.local');
    expect(plan.stackName).toBe('ShopServiceConnect');
  });

  test('ports keep the listener port and protocol; virtual service names become the DNS aliases', () => {
    expect(byId('PaymentsV1').ports).toEqual([{
      name: 'payments-v1-http',
      containerPort: 8080,
      protocol: ServiceConnectProtocol.HTTP,
      discoveryName: 'payments-v1',
      dnsName: 'payments.shop.local',
      clientPort: 8080,
      idleTimeoutSeconds: 60,
      perRequestTimeoutSeconds: 10,
    }]);
    // The 10 % target keeps its own discovery name: one alias per port.
    expect(byId('PaymentsV2').ports[0]).toMatchObject({ discoveryName: 'payments-v2', dnsName: 'payments-v2' });
    expect(byId('Inventory').ports[0]).toMatchObject({ protocol: ServiceConnectProtocol.GRPC, containerPort: 9090, dnsName: 'inventory.shop.local' });
    expect(byId('Orders').ports[0]).toMatchObject({ discoveryName: 'orders', dnsName: 'orders.shop.local' });
  });

  test('backends become connectTo edges with the URL variables', () => {
    expect(plan.connections).toEqual([
      expect.objectContaining({ client: 'Orders', server: 'PaymentsV1', url: 'http://payments.shop.local:8080', environmentVariable: 'PAYMENTS_SHOP_LOCAL_URL' }),
      expect.objectContaining({ client: 'Orders', server: 'Inventory', url: 'http://inventory.shop.local:9090', environmentVariable: 'INVENTORY_SHOP_LOCAL_URL' }),
    ]);
    expect(plan.deploymentOrder.indexOf('Orders')).toBeGreaterThan(plan.deploymentOrder.indexOf('PaymentsV1'));
    expect(plan.deploymentOrder.indexOf('Orders')).toBeGreaterThan(plan.deploymentOrder.indexOf('Inventory'));
  });

  test('the app container is kept (image, count, environment without APPMESH_*, secrets); Envoy and X-Ray are not', () => {
    const orders = byId('Orders');
    expect(orders.image).toBe('public.ecr.aws/example/orders:2.1.0');
    expect(orders.desiredCount).toBe(3);
    expect(orders.environment).toEqual({ LOG_LEVEL: 'info' });
    expect(orders.secrets).toEqual([{
      name: 'DB_PASSWORD',
      source: MigratedSecretSource.SECRETS_MANAGER,
      reference: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:orders-db-AbCdEf',
      jsonField: 'password',
    }]);
    expect(plan.findingsOf('xray-daemon')).toHaveLength(1);
  });

  test('sizing: the Envoy share is freed and the proxy gets AWS\'s budget', () => {
    expect(byId('Orders').sizing).toMatchObject({
      appCpu: 256,
      appMemoryMiB: 512,
      proxyBudgetCpu: 256,
      proxyBudgetMemoryMiB: 64,
      taskCpu: 512,
      taskMemoryMiB: 1024,
      previousTaskCpu: 512,
      previousTaskMemoryMiB: 1024,
      freedCpu: 192,
      freedMemoryMiB: 384,
      estimated: false,
    });
    expect(byId('Orders').removedSidecars).toEqual([expect.objectContaining({ containerName: 'envoy', cpu: 192, memoryMiB: 384, proxyConfiguration: true })]);
    expect(report).toMatch(/removed Envoy frees 192 CPU \/ 384 MiB/);
  });

  test('every App Mesh feature without an equivalent is a finding with a severity and what to do instead', () => {
    const codes = new Map(plan.findings.map((f) => [f.code, f.severity]));
    expect(codes.get('weighted-route')).toBe(FindingSeverity.WARNING);
    expect(codes.get('header-match')).toBe(FindingSeverity.WARNING);
    expect(codes.get('retry-policy')).toBe(FindingSeverity.WARNING);
    expect(codes.get('outlier-detection')).toBe(FindingSeverity.INFO);
    expect(codes.get('connection-pool')).toBe(FindingSeverity.WARNING);
    expect(codes.get('tls')).toBe(FindingSeverity.WARNING);
    expect(codes.get('mtls')).toBe(FindingSeverity.BLOCKER);
    expect(codes.get('tls-client-policy')).toBe(FindingSeverity.WARNING);
    expect(codes.get('virtual-gateway')).toBe(FindingSeverity.WARNING);
    expect(codes.get('gateway-route')).toBe(FindingSeverity.WARNING);
    expect(codes.get('standalone-task')).toBe(FindingSeverity.BLOCKER);
    expect(codes.get('egress-filter')).toBe(FindingSeverity.WARNING);
    for (const f of plan.findings) {
      expect(f.recommendation.length).toBeGreaterThan(20);
      expect(report).toContain(`[${f.code}]`);
    }
    // The prefix "/" match is a catch-all, not path routing.
    expect(plan.findingsOf('path-match')).toHaveLength(0);
    expect(plan.findingsOf('unresolved-value')).toHaveLength(0);
  });

  test('weighted routes point to ECS-native blue/green, linear and canary deployments', () => {
    const [weighted] = plan.findingsOf('weighted-route');
    expect(weighted.detail).toContain('payments-v1 90, payments-v2 10');
    expect(weighted.recommendation).toMatch(/blue\/green, linear or canary deployments through Service Connect: set `deployment: ServiceConnectDeployment.canary/);
  });

  test('the standalone task is a blocker naming the node', () => {
    const [standalone] = plan.findingsOf('standalone-task');
    expect(standalone.subject).toMatch(/inventory/);
  });

  test('the report names the sidecars, proxy configuration and IAM to remove', () => {
    expect(plan.removals.filter((r) => r.startsWith('Envoy container "envoy"'))).toHaveLength(3);
    expect(report).toMatch(/Envoy container "envoy" .* ProxyConfiguration of type APPMESH from task definition OrdersTask/s);
    expect(report).toContain('AWSAppMeshEnvoyAccess');
    expect(report).toContain('Deployment order');
  });

  describe('the generated app', () => {
    const file = writeApp(plan, 'mesh-app');
    const code = fs.readFileSync(file, 'utf8');

    test('uses the library\'s constructs and no lookups', () => {
      expect(code).toMatch(/new ServiceConnectCluster\(this, 'Cluster', \{ namespaceName: 'shop.local' \}\)/);
      expect(code).toMatch(/new ConnectedFargateService\(this, 'Orders'/);
      expect(code).toContain('EnvoySizing.forApp({ appCpu: 256, appMemoryMiB: 512 })');
      expect(code).toContain('orders.connectTo(paymentsV1);');
      expect(code).toContain('orders.connectTo(inventory);');
      expect(code).not.toMatch(/fromLookup|valueFromLookup/);
    });

    test('synthesizes with the strict CloudFormation validator, without Envoy', () => {
      const t = synthesize(file, 'ShopServiceConnect');
      t.resourceCountIs('AWS::ECS::Service', 4);
      t.resourceCountIs('AWS::ServiceDiscovery::HttpNamespace', 1);
      expect(serviceConnectOf(t, 'payments-v1').Properties.ServiceConnectConfiguration.Services[0]).toMatchObject({
        PortName: 'payments-v1-http',
        DiscoveryName: 'payments-v1',
        ClientAliases: [{ DnsName: 'payments.shop.local', Port: 8080 }],
        Timeout: { IdleTimeoutSeconds: 60, PerRequestTimeoutSeconds: 10 },
      });
      t.hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [Match.objectLike({
          Image: 'public.ecr.aws/example/orders:2.1.0',
          Environment: Match.arrayWith([
            { Name: 'PAYMENTS_SHOP_LOCAL_URL', Value: 'http://payments.shop.local:8080' },
            { Name: 'INVENTORY_SHOP_LOCAL_URL', Value: 'http://inventory.shop.local:9090' },
          ]),
        })],
      });
      const tasks = Object.values(t.findResources('AWS::ECS::TaskDefinition')) as any[];
      for (const task of tasks) {
        expect(task.Properties.ProxyConfiguration).toBeUndefined();
        expect(JSON.stringify(task.Properties.ContainerDefinitions)).not.toMatch(/appmesh-envoy/);
      }
      t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 9090, ToPort: 9090, IpProtocol: 'tcp' });
    });
  });
});

// ---------------------------------------------------------------- a hand-written YAML template

const HAND_WRITTEN = `
AWSTemplateFormatVersion: '2010-09-09'
Description: Bookstore on App Mesh, written by hand
Parameters:
  MeshName:
    Type: String
    Default: bookstore
  ImageTag:
    Type: String
    Default: 1.2.3
  Env:
    Type: String
    Default: prod
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Mappings:
  Sizes:
    prod: { Count: 4 }
Resources:
  Mesh:
    Type: AWS::AppMesh::Mesh
    Properties:
      MeshName: !Ref MeshName
      Spec:
        EgressFilter:
          Type: ALLOW_ALL
  CatalogNode:
    Type: AWS::AppMesh::VirtualNode
    Properties:
      MeshName: !GetAtt Mesh.MeshName
      VirtualNodeName: catalog
      Spec:
        Listeners:
          - PortMapping: { Port: 8080, Protocol: http2 }
            Timeout:
              HTTP2:
                PerRequest: { Unit: s, Value: 30 }
          - PortMapping: { Port: 5432, Protocol: tcp }
            Timeout:
              TCP:
                Idle: { Unit: ms, Value: 600000 }
        ServiceDiscovery:
          DNS:
            Hostname: !Sub catalog.\${MeshName}.local
  CatalogService:
    Type: AWS::AppMesh::VirtualService
    Properties:
      MeshName: !GetAtt Mesh.MeshName
      VirtualServiceName: !Sub "catalog.\${MeshName}.local"
      Spec:
        Provider:
          VirtualNode:
            VirtualNodeName: !GetAtt CatalogNode.VirtualNodeName
  ReviewsNode:
    Type: AWS::AppMesh::VirtualNode
    Properties:
      MeshName: !GetAtt Mesh.MeshName
      VirtualNodeName: reviews
      Spec:
        Listeners:
          - PortMapping: { Port: 9080, Protocol: http }
        ServiceDiscovery:
          DNS: { Hostname: reviews.bookstore.local }
  ReviewsRouter:
    Type: AWS::AppMesh::VirtualRouter
    Properties:
      MeshName: !GetAtt Mesh.MeshName
      VirtualRouterName: reviews-router
      Spec:
        Listeners:
          - PortMapping: { Port: 80, Protocol: http }
  RatingsRoute:
    Type: AWS::AppMesh::Route
    Properties:
      MeshName: !GetAtt Mesh.MeshName
      VirtualRouterName: !GetAtt ReviewsRouter.VirtualRouterName
      RouteName: ratings
      Spec:
        HttpRoute:
          Match:
            Path: { Exact: /ratings }
            Method: GET
          Action:
            WeightedTargets:
              - VirtualNode: !GetAtt ReviewsNode.VirtualNodeName
                Weight: 1
          Timeout:
            PerRequest: { Unit: s, Value: 5 }
  ReviewsService:
    Type: AWS::AppMesh::VirtualService
    Properties:
      MeshName: !GetAtt Mesh.MeshName
      VirtualServiceName: reviews.bookstore.local
      Spec:
        Provider:
          VirtualRouter:
            VirtualRouterName: !GetAtt ReviewsRouter.VirtualRouterName
  FrontNode:
    Type: AWS::AppMesh::VirtualNode
    Properties:
      MeshName: !GetAtt Mesh.MeshName
      VirtualNodeName: front
      Spec:
        Listeners:
          - PortMapping: { Port: 3000, Protocol: http }
            HealthCheck: { Protocol: http, Path: /health, HealthyThreshold: 2, UnhealthyThreshold: 2, TimeoutMillis: 2000, IntervalMillis: 5000 }
        Backends:
          - VirtualService: { VirtualServiceName: !GetAtt CatalogService.VirtualServiceName }
          - VirtualService: { VirtualServiceName: reviews.bookstore.local }
          - VirtualService: { VirtualServiceName: legacy.example.com }
        Logging:
          AccessLog:
            File: { Path: /dev/stdout }
        ServiceDiscovery:
          DNS: { Hostname: front.bookstore.local }
  FrontTask:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: front
      Cpu: 1 vCPU
      Memory: 2 GB
      NetworkMode: awsvpc
      RequiresCompatibilities: [FARGATE]
      RuntimePlatform: { CpuArchitecture: ARM64, OperatingSystemFamily: LINUX }
      ProxyConfiguration:
        Type: APPMESH
        ContainerName: envoy
        ProxyConfigurationProperties:
          - { Name: AppPorts, Value: '3000' }
          - { Name: IgnoredUID, Value: '1337' }
      ContainerDefinitions:
        - Name: front
          Image: !Sub \${AWS::AccountId}.dkr.ecr.\${AWS::Region}.amazonaws.com/front:\${ImageTag}
          Essential: true
          Cpu: 768
          MemoryReservation: 1536
          Command: [node, server.js]
          PortMappings: [{ ContainerPort: 3000 }]
          HealthCheck:
            Command: [CMD-SHELL, curl -f http://localhost:3000/health || exit 1]
            Interval: 15
            Retries: 2
          Environment:
            - Name: STAGE
              Value: !If [IsProd, production, staging]
            - Name: REGION_NAME
              Value: !Join ['-', [books, !Select [1, !Split [',', 'a,b,c']]]]
          Secrets:
            - Name: API_KEY
              ValueFrom: arn:aws:ssm:us-east-1:111122223333:parameter/front/api-key
            - Name: DB_PASSWORD
              ValueFrom: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:books-db-AbCdEf:password::'
        - Name: envoy
          Image: public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.6.0-prod
          Essential: true
          Cpu: 256
          Memory: 512
          User: '1337'
          Environment:
            - Name: APPMESH_VIRTUAL_NODE_NAME
              Value: !Sub mesh/\${MeshName}/virtualNode/front
  FrontEcsService:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref FrontTask
      DesiredCount: !FindInMap [Sizes, !Ref Env, Count]
      LaunchType: FARGATE
  EnvoyPolicy:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: envoy
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: appmesh:StreamAggregatedResources
            Resource: '*'
      Roles: [front-task-role]
`;

describe('a hand-written YAML template with short-form intrinsics', () => {
  // GIVEN a YAML template using !Ref, !GetAtt, !Sub, !If, !Join, !Select, !Split, !FindInMap
  // WHEN it is converted
  const plan = AppMeshMigration.fromTemplate(HAND_WRITTEN, { sourceLabel: 'bookstore.yaml' });
  const byId = (id: string) => plan.services.find((s) => s.id === id)!;

  test('names resolve through !Ref/!GetAtt/!Sub and the namespace is the shared DNS suffix', () => {
    expect(plan.services.map((s) => s.sourceName)).toEqual(['catalog', 'reviews', 'front']);
    expect(plan.namespaceName).toBe('bookstore.local');
    expect(plan.stackName).toBe('BookstoreServiceConnect');
  });

  test('a node with two listeners gets two ports with the same alias on each port', () => {
    expect(byId('Catalog').ports).toEqual([
      expect.objectContaining({ name: 'catalog-http2-8080', protocol: ServiceConnectProtocol.HTTP2, discoveryName: 'catalog', dnsName: 'catalog.bookstore.local', clientPort: 8080, perRequestTimeoutSeconds: 30 }),
      expect.objectContaining({ name: 'catalog-tcp-5432', protocol: ServiceConnectProtocol.TCP, discoveryName: 'catalog-5432', dnsName: 'catalog.bookstore.local', clientPort: 5432, idleTimeoutSeconds: 600 }),
    ]);
    expect(byId('Catalog').ports[1].perRequestTimeoutSeconds).toBeUndefined();
  });

  test('a router\'s listener port becomes the client port; the route timeout moves to the port', () => {
    expect(byId('Reviews').ports[0]).toMatchObject({ containerPort: 9080, dnsName: 'reviews.bookstore.local', clientPort: 80, perRequestTimeoutSeconds: 5 });
    expect(plan.findingsOf('route-timeout')).toHaveLength(1);
    expect(plan.findingsOf('path-match')).toHaveLength(1);
    expect(plan.findingsOf('method-match')).toHaveLength(1);
  });

  test('the app container: image with pseudo parameters, ARM64, command, health check, resolved variables and secrets', () => {
    const front = byId('Front');
    expect(front.image).toBe('${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/front:1.2.3');
    expect(front.arm64).toBe(true);
    expect(front.command).toEqual(['node', 'server.js']);
    expect(front.healthCheck).toEqual({ command: ['CMD-SHELL', 'curl -f http://localhost:3000/health || exit 1'], intervalSeconds: 15, retries: 2 });
    expect(front.environment).toEqual({ STAGE: 'production', REGION_NAME: 'books-b' });
    expect(front.desiredCount).toBe(4);
    expect(front.secrets).toEqual([
      { name: 'API_KEY', source: MigratedSecretSource.SSM_PARAMETER, reference: '/front/api-key' },
      { name: 'DB_PASSWORD', source: MigratedSecretSource.SECRETS_MANAGER, reference: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:books-db-AbCdEf', jsonField: 'password' },
    ]);
    expect(front.sizing).toMatchObject({
      appCpu: 768, appMemoryMiB: 1536, previousTaskCpu: 1024, previousTaskMemoryMiB: 2048, freedCpu: 256, freedMemoryMiB: 512,
    });
  });

  test('edges to every port of a backend; a backend outside the template is a finding', () => {
    expect(plan.connections.map((c) => `${c.client}->${c.server}:${c.portName}=${c.environmentVariable}`)).toEqual([
      'Front->Catalog:catalog-http2-8080=CATALOG_BOOKSTORE_LOCAL_URL',
      'Front->Catalog:catalog-tcp-5432=CATALOG_BOOKSTORE_LOCAL_5432_URL',
      'Front->Reviews:reviews-http=REVIEWS_BOOKSTORE_LOCAL_URL',
    ]);
    expect(plan.findingsOf('backend-outside-template')[0].detail).toContain('legacy.example.com');
  });

  test('mesh-level findings and removals', () => {
    expect(plan.findingsOf('egress-filter')[0].severity).toBe(FindingSeverity.INFO);
    expect(plan.findingsOf('health-check')).toHaveLength(1);
    expect(plan.findingsOf('access-log')).toHaveLength(1);
    expect(plan.removals.join('\n')).toMatch(/appmesh:StreamAggregatedResources in Policy EnvoyPolicy/);
    expect(plan.removals.join('\n')).toMatch(/Envoy container "envoy" .*FrontTask/);
  });

  test('the generated app synthesizes', () => {
    const file = writeApp(plan, 'bookstore-app');
    const code = fs.readFileSync(file, 'utf8');
    expect(code).toContain('ecs.ContainerImage.fromRegistry(`${this.account}.dkr.ecr.${this.region}.amazonaws.com/front:1.2.3`)');
    expect(code).toContain("front.connectTo(catalog, { portName: 'catalog-tcp-5432', environmentVariable: 'CATALOG_BOOKSTORE_LOCAL_5432_URL' });");
    const t = synthesize(file, 'BookstoreServiceConnect');
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Cpu: '1024',
      RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
      ContainerDefinitions: [Match.objectLike({
        Command: ['node', 'server.js'],
        Secrets: Match.arrayWith([Match.objectLike({ Name: 'API_KEY' }), Match.objectLike({ Name: 'DB_PASSWORD' })]),
      })],
    });
    expect(serviceConnectOf(t, 'catalog').Properties.ServiceConnectConfiguration.Services[1]).toMatchObject({
      PortName: 'catalog-tcp-5432',
      DiscoveryName: 'catalog-5432',
      ClientAliases: [{ DnsName: 'catalog.bookstore.local', Port: 5432 }],
      Timeout: { IdleTimeoutSeconds: 600 },
    });
  });
});

// ---------------------------------------------------------------- errors

describe('input the converter refuses, with a readable message', () => {
  test.each([
    ['', /is empty/],
    ['{ "Resources": ', /is not valid JSON/],
    ['a: [unclosed', /neither JSON nor valid YAML/],
    ['just: a mapping', /no "Resources" section/],
    ['{"Resources":{"Bucket":{"Type":"AWS::S3::Bucket"}}}', /not an App Mesh template.*AWS::S3::Bucket/],
    ['{"Resources":{"Mesh":{"Type":"AWS::AppMesh::Mesh","Properties":{"MeshName":"m"}}}}', /no AWS::AppMesh::VirtualNode/],
    ['{"Resources":{"N":{"Type":"AWS::AppMesh::VirtualNode","Properties":{"Spec":{"Listeners":[{"PortMapping":{"Port":{"Ref":"P"},"Protocol":"http"}}]}}}}}',
      /listener of N has no numeric port/],
    ['{"Resources":{"N":{"Type":"AWS::AppMesh::VirtualNode","Properties":{"Spec":{"Listeners":[{"PortMapping":{"Port":80,"Protocol":"udp"}}]}}}}}',
      /protocol "udp"/],
  ])('%s', (text, message) => {
    expect(() => AppMeshMigration.fromTemplate(text, { sourceLabel: 'in.json' })).toThrow(message);
  });

  test('a node without task definition gets a placeholder image and a finding; the app still synthesizes', () => {
    const plan = AppMeshMigration.fromTemplate(JSON.stringify({
      Resources: {
        Node: { Type: 'AWS::AppMesh::VirtualNode', Properties: { MeshName: 'm', VirtualNodeName: 'solo', Spec: { Listeners: [{ PortMapping: { Port: 80, Protocol: 'http' } }] } } },
      },
    }), { namespaceName: 'solo.internal' });
    expect(plan.services[0].image).toBeUndefined();
    expect(plan.findingsOf('no-task-definition')).toHaveLength(1);
    const file = writeApp(plan, 'solo-app');
    expect(fs.readFileSync(file, 'utf8')).toContain("fromRegistry('REPLACE_ME')");
    synthesize(file, 'MServiceConnect').resourceCountIs('AWS::ECS::Service', 1);
  });
});

describe('a service that ran on EC2', () => {
  // GIVEN the hand-written template with the front task on EC2 instead of Fargate
  const onEc2 = HAND_WRITTEN.replace('RequiresCompatibilities: [FARGATE]', 'RequiresCompatibilities: [EC2]');
  const plan = AppMeshMigration.fromTemplate(onEc2, { sourceLabel: 'bookstore-ec2.yaml' });
  const front = plan.services.find((s) => s.sourceName === 'front')!;

  test('THEN the plan keeps it on EC2 and says so', () => {
    expect(front.launchType).toBe(MigratedLaunchType.EC2);
    expect(plan.services.filter((s) => s !== front).every((s) => s.launchType !== MigratedLaunchType.EC2)).toBe(true);
    expect(plan.findingsOf('launch-type')[0].recommendation).toMatch(/stays on EC2: a ConnectedEc2Service/);
  });

  test('THEN the generated app runs it as a ConnectedEc2Service on an Auto Scaling group capacity provider, and synthesizes', () => {
    const file = writeApp(plan, 'bookstore-ec2-app');
    const code = fs.readFileSync(file, 'utf8');
    expect(code).toMatch(/new ConnectedEc2Service\(this, 'Front', \{\n {6}cluster: this\.cluster,\n {6}asgCapacityProvider: this\.capacity,/);
    expect(code).toContain('EnvoySizing.forEc2App({ appCpu: 768, appMemoryMiB: 1536 })');
    expect(code).toContain('this.cluster.addAsgCapacityProvider(this.capacity);');
    expect(code).toMatch(/new ConnectedFargateService\(this, 'Catalog'/);
    // the instance type decides the architecture on EC2: no cpuArchitecture for the EC2 service
    expect(code).toContain('// Ran on ARM64: choose an ARM64 (Graviton) instance type for its capacity.');
    const t = synthesize(file, 'BookstoreServiceConnect');
    t.hasResourceProperties('AWS::ECS::TaskDefinition', { RequiresCompatibilities: ['EC2'], NetworkMode: 'awsvpc', Cpu: '1024', Memory: '1600' });
    t.resourceCountIs('AWS::ECS::CapacityProvider', 1);
  });
});

describe('every generated app', () => {
  test('type-checks with the project\'s strict compiler options', () => {
    // GIVEN the apps generated by the tests above; WHEN compiled together; THEN no diagnostic in them
    expect(generated.length).toBe(4);
    expect(typeCheck(generated)).toEqual([]);
  });
});
