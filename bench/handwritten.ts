import type { App } from 'aws-cdk-lib';
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';
import type { PlannedService, Topology } from './topology';
import { CONTAINER_PORT, IMAGE, NAMESPACE_NAME, urlOf, urlVariable } from './topology';

/**
 * The same topology written by hand with aws-cdk-lib's L2 constructs, as a careful user would for
 * the same behaviour: the same cluster, VPC with flow logs and namespace; per service a task
 * definition sized for the proxy, named port mapping with appProtocol, app and proxy log groups
 * with retention, its own security group, a Fargate service with Service Connect, circuit breaker
 * and a dependency on the namespace; per call a URL variable, an ingress rule on the server's
 * security group and a deployment-order dependency.
 *
 * The construct ids mirror the library's, so both templates can be compared resource by resource.
 */
export function buildByHand(app: App, topology: Topology): Stack[] {
  const { platform, vpc, cluster, namespace } = handWrittenPlatform(app);
  const image = ecs.ContainerImage.fromRegistry(IMAGE);
  const teams: Stack[] = [];
  const built: HandWrittenService[] = [];
  for (const planned of topology.services) {
    const team = teams[planned.stackIndex] ??= new Stack(app, `Team${planned.stackIndex}`);
    const service = handWrittenService(team, planned, { vpc, cluster, namespace, image });
    for (const serverIndex of planned.calls) {
      const server = built[serverIndex];
      service.container.addEnvironment(urlVariable(server.planned), urlOf(server.planned));
      server.securityGroup.addIngressRule(service.securityGroup, ec2.Port.tcp(CONTAINER_PORT),
        `Service Connect from ${service.scope.node.path} to ${server.planned.portName}`, true);
      service.service.node.addDependency(server.service);
    }
    built.push(service);
  }
  return [platform, ...teams];
}

/** The platform stack of the hand-written side: VPC with flow logs, namespace, cluster with ECS Exec audit logs. */
export function handWrittenPlatform(app: App): { platform: Stack; vpc: ec2.Vpc; cluster: ecs.Cluster; namespace: servicediscovery.HttpNamespace } {
  const platform = new Stack(app, 'Platform');
  const shared = new Construct(platform, 'Shared');
  const vpc = new ec2.Vpc(shared, 'Vpc', {
    maxAzs: 2,
    subnetConfiguration: [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
      { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
    ],
  });
  const flowLogs = new logs.LogGroup(shared, 'FlowLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.RETAIN });
  vpc.addFlowLog('FlowLog', {
    destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs),
    trafficType: ec2.FlowLogTrafficType.ALL,
  });
  const namespace = new servicediscovery.HttpNamespace(shared, 'Namespace', {
    name: NAMESPACE_NAME,
    description: `Service Connect namespace of ${shared.node.path}`,
  });
  const execAudit = new logs.LogGroup(shared, 'ExecuteCommandAudit', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
  const cluster = new ecs.Cluster(shared, 'Cluster', {
    vpc,
    containerInsightsV2: ecs.ContainerInsights.ENHANCED,
    executeCommandConfiguration: {
      logging: ecs.ExecuteCommandLogging.OVERRIDE,
      logConfiguration: { cloudWatchLogGroup: execAudit },
    },
  });
  (cluster.node.defaultChild as ecs.CfnCluster).serviceConnectDefaults = { namespace: namespace.namespaceArn };

  return { platform, vpc, cluster, namespace };
}

interface HandWrittenService {
  readonly planned: PlannedService;
  readonly scope: Construct;
  readonly container: ecs.ContainerDefinition;
  readonly securityGroup: ec2.SecurityGroup;
  readonly service: ecs.FargateService;
}

interface Platform {
  readonly vpc: ec2.IVpc;
  readonly cluster: ecs.ICluster;
  readonly namespace: servicediscovery.HttpNamespace;
  readonly image: ecs.ContainerImage;
}

function handWrittenService(stack: Stack, planned: PlannedService, platform: Platform): HandWrittenService {
  const scope = new Construct(stack, planned.id);
  const appLogs = new logs.LogGroup(scope, 'AppLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.RETAIN });
  const proxyLogs = new logs.LogGroup(scope, 'ProxyLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.RETAIN });

  // 512 CPU / 1024 MiB: 256 / 512 for the app, the rest for the Service Connect proxy.
  const taskDefinition = new ecs.FargateTaskDefinition(scope, 'TaskDefinition', {
    cpu: 512,
    memoryLimitMiB: 1024,
    runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
  });
  const container = taskDefinition.addContainer('App', {
    containerName: 'app',
    image: platform.image,
    essential: true,
    cpu: 256,
    memoryLimitMiB: 512,
    portMappings: [{ name: planned.portName, containerPort: CONTAINER_PORT, protocol: ecs.Protocol.TCP, appProtocol: ecs.AppProtocol.http }],
    logging: ecs.LogDrivers.awsLogs({ logGroup: appLogs, streamPrefix: 'app' }),
  });

  const securityGroup = new ec2.SecurityGroup(scope, 'SecurityGroup', {
    vpc: platform.vpc,
    description: `Service Connect tasks of ${scope.node.path}`,
    allowAllOutbound: true,
  });

  const service = new ecs.FargateService(scope, 'Service', {
    enableExecuteCommand: false,
    cluster: platform.cluster,
    taskDefinition,
    desiredCount: 2,
    minHealthyPercent: 100,
    maxHealthyPercent: 200,
    assignPublicIp: false,
    securityGroups: [securityGroup],
    circuitBreaker: { enable: true, rollback: true },
    platformVersion: ecs.FargatePlatformVersion.LATEST,
    serviceConnectConfiguration: {
      namespace: platform.namespace.namespaceArn,
      logDriver: ecs.LogDrivers.awsLogs({ logGroup: proxyLogs, streamPrefix: 'proxy' }),
      services: [{ portMappingName: planned.portName, discoveryName: planned.discoveryName, dnsName: planned.discoveryName, port: CONTAINER_PORT }],
    },
  });
  service.node.addDependency(platform.namespace);
  return { planned, scope, container, securityGroup, service };
}
