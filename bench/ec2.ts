import type { App } from 'aws-cdk-lib';
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';
import { handWrittenPlatform } from './handwritten';
import type { PlannedService, Topology } from './topology';
import { CONTAINER_PORT, IMAGE, NAMESPACE_NAME, urlOf, urlVariable } from './topology';
import { ConnectedEc2Service, ServiceConnectCluster } from '../src';

/**
 * The EC2 topology (`npm run bench -- --compute=ec2`): the same N services and calls, on an EC2
 * Auto Scaling group capacity provider in awsvpc network mode. The platform stack adds the group
 * (m6i.large) and its capacity provider; the instance role gets `ecs:Poll` on the cluster's task
 * sets, which the Service Connect agent needs.
 */

const INSTANCE_TYPE = 'm6i.large';

function instanceGroup(scope: Construct, vpc: ec2.IVpc): ecs.AsgCapacityProvider {
  const group = new autoscaling.AutoScalingGroup(scope, 'Instances', {
    vpc,
    instanceType: new ec2.InstanceType(INSTANCE_TYPE),
    machineImage: ecs.EcsOptimizedImage.amazonLinux2023(),
    minCapacity: 2,
    maxCapacity: 20,
  });
  return new ecs.AsgCapacityProvider(scope, 'InstanceCapacity', { autoScalingGroup: group });
}

/** The EC2 topology with this library. */
export function buildEc2WithLibrary(app: App, topology: Topology): Stack[] {
  const platform = new Stack(app, 'Platform');
  const cluster = new ServiceConnectCluster(platform, 'Shared', { namespaceName: NAMESPACE_NAME });
  const capacity = instanceGroup(platform, cluster.vpc);
  cluster.addAsgCapacityProvider(capacity);
  const image = ecs.ContainerImage.fromRegistry(IMAGE);

  const teams: Stack[] = [];
  const services: ConnectedEc2Service[] = [];
  for (const planned of topology.services) {
    const team = teams[planned.stackIndex] ??= new Stack(app, `Team${planned.stackIndex}`);
    const service = new ConnectedEc2Service(team, planned.id, {
      cluster,
      asgCapacityProvider: capacity,
      image,
      ports: [{ name: planned.portName, containerPort: CONTAINER_PORT, discoveryName: planned.discoveryName }],
    });
    for (const server of planned.calls) service.connectTo(services[server]);
    services.push(service);
  }
  return [platform, ...teams];
}

/** The EC2 topology written by hand with aws-cdk-lib's L2 constructs (construct ids mirror the library's). */
export function buildEc2ByHand(app: App, topology: Topology): Stack[] {
  const { platform, vpc, cluster, namespace } = handWrittenPlatform(app);
  const shared = cluster.node.scope as Construct;
  const capacity = instanceGroup(platform, vpc);
  cluster.addAsgCapacityProvider(capacity);
  // The Service Connect agent polls the task sets of the cluster (aws-cdk-lib's own ecs:Poll has an
  // ecs:cluster condition that these requests do not meet).
  capacity.autoScalingGroup.role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['ecs:Poll'],
    resources: [Stack.of(shared).formatArn({ service: 'ecs', resource: 'task-set', resourceName: `${cluster.clusterName}/*` })],
  }));

  const image = ecs.ContainerImage.fromRegistry(IMAGE);
  const teams: Stack[] = [];
  const built: HandWrittenEc2Service[] = [];
  for (const planned of topology.services) {
    const team = teams[planned.stackIndex] ??= new Stack(app, `Team${planned.stackIndex}`);
    const service = handWrittenEc2Service(team, planned, vpc, cluster, namespace, capacity, image);
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

interface HandWrittenEc2Service {
  readonly planned: PlannedService;
  readonly scope: Construct;
  readonly container: ecs.ContainerDefinition;
  readonly securityGroup: ec2.SecurityGroup;
  readonly service: ecs.Ec2Service;
}

function handWrittenEc2Service(stack: Stack, planned: PlannedService, vpc: ec2.IVpc, cluster: ecs.ICluster,
  namespace: servicediscovery.HttpNamespace, capacity: ecs.AsgCapacityProvider, image: ecs.ContainerImage): HandWrittenEc2Service {
  const scope = new Construct(stack, planned.id);
  const appLogs = new logs.LogGroup(scope, 'AppLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.RETAIN });
  const proxyLogs = new logs.LogGroup(scope, 'ProxyLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.RETAIN });

  // 512 CPU / 576 MiB: 256 / 512 for the app, 256 / 64 for the Service Connect proxy.
  const taskDefinition = new ecs.TaskDefinition(scope, 'TaskDefinition', {
    compatibility: ecs.Compatibility.EC2,
    networkMode: ecs.NetworkMode.AWS_VPC,
    cpu: '512',
    memoryMiB: '576',
  });
  const container = taskDefinition.addContainer('App', {
    containerName: 'app',
    image,
    essential: true,
    cpu: 256,
    memoryLimitMiB: 512,
    portMappings: [{ name: planned.portName, containerPort: CONTAINER_PORT, protocol: ecs.Protocol.TCP, appProtocol: ecs.AppProtocol.http }],
    logging: ecs.LogDrivers.awsLogs({ logGroup: appLogs, streamPrefix: 'app' }),
  });
  const securityGroup = new ec2.SecurityGroup(scope, 'SecurityGroup', {
    vpc,
    description: `Service Connect tasks of ${scope.node.path}`,
    allowAllOutbound: true,
  });
  const service = new ecs.Ec2Service(scope, 'Service', {
    enableExecuteCommand: false,
    cluster,
    taskDefinition,
    desiredCount: 2,
    minHealthyPercent: 100,
    maxHealthyPercent: 200,
    securityGroups: [securityGroup],
    circuitBreaker: { enable: true, rollback: true },
    capacityProviderStrategies: [{ capacityProvider: capacity.capacityProviderName, weight: 1 }],
    serviceConnectConfiguration: {
      namespace: namespace.namespaceArn,
      logDriver: ecs.LogDrivers.awsLogs({ logGroup: proxyLogs, streamPrefix: 'proxy' }),
      services: [{ portMappingName: planned.portName, discoveryName: planned.discoveryName, dnsName: planned.discoveryName, port: CONTAINER_PORT }],
    },
  });
  service.node.addDependency(namespace);
  return { planned, scope, container, securityGroup, service };
}
