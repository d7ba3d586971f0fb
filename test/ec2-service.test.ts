import type { CfnElement } from 'aws-cdk-lib';
import { Size, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AUTOSCALING_GENERATE_LAUNCH_TEMPLATE } from 'aws-cdk-lib/cx-api';
import type { IConstruct } from 'constructs';
import { strictApp, strictStack, TEST_IMAGE as image } from './helpers';
import type { ConnectedEc2ServiceProps } from '../src';
import { ConnectedEc2Service, ConnectedFargateService, EnvoySizing, ServiceConnectAlarms, ServiceConnectCluster } from '../src';

interface Setup {
  readonly stack: Stack;
  readonly cluster: ServiceConnectCluster;
  readonly asg: ecs.AsgCapacityProvider;
}

function setup(instanceType = 'm6i.large', maxCapacity = 4): Setup {
  const stack = strictStack();
  const cluster = new ServiceConnectCluster(stack, 'Cluster', { namespaceName: 'ec2.internal' });
  const group = new autoscaling.AutoScalingGroup(stack, 'Group', {
    vpc: cluster.vpc,
    instanceType: new ec2.InstanceType(instanceType),
    machineImage: ecs.EcsOptimizedImage.amazonLinux2023(),
    minCapacity: 2,
    maxCapacity,
  });
  const asg = new ecs.AsgCapacityProvider(stack, 'Capacity', { autoScalingGroup: group });
  cluster.addAsgCapacityProvider(asg);
  return { stack, cluster, asg };
}

function managedInstances(stack: Stack, cluster: ServiceConnectCluster): ecs.ManagedInstancesCapacityProvider {
  const sg = new ec2.SecurityGroup(stack, 'InstancesSg', { vpc: cluster.vpc });
  const provider = new ecs.ManagedInstancesCapacityProvider(stack, 'Managed', {
    subnets: cluster.vpc.privateSubnets, securityGroups: [sg], instanceRequirements: { vCpuCountMin: 1, memoryMin: Size.gibibytes(2) },
  });
  cluster.addManagedInstancesCapacityProvider(provider);
  return provider;
}

function ec2Service(s: Setup, id: string, props: Partial<ConnectedEc2ServiceProps> = {}): ConnectedEc2Service {
  return new ConnectedEc2Service(s.stack, id, { cluster: s.cluster, image, asgCapacityProvider: s.asg, ...props });
}

function resourceOf(t: Template, c: IConstruct): any {
  return t.toJSON().Resources[Stack.of(c).getLogicalId(c.node.defaultChild as CfnElement)];
}

const pollStatement = (clusterRef: string) => Match.objectLike({
  Action: 'ecs:Poll',
  Effect: 'Allow',
  Resource: { 'Fn::Join': ['', Match.arrayWith([':task-set/', { Ref: clusterRef }, '/*'])] },
});

describe('an awsvpc service on an Auto Scaling group', () => {
  // GIVEN an EC2 server with one port
  const s = setup();
  const api = ec2Service(s, 'Api', { ports: [{ name: 'api', containerPort: 8080 }] });
  const t = Template.fromStack(s.stack);

  test('THEN the task is EC2-compatible, awsvpc, with task memory and CPU that reserve the proxy budget', () => {
    expect(resourceOf(t, api.taskDefinition).Properties).toMatchObject({
      RequiresCompatibilities: ['EC2'], NetworkMode: 'awsvpc', Cpu: '512', Memory: '576',
    });
    expect(api.sizing.proxyCpu).toBe(256);
    expect(api.sizing.proxyMemoryMiB).toBe(64);
    expect(api.sizing.appMemoryMiB).toBe(512);
  });

  test('THEN the service runs on the capacity provider with its own security group and Service Connect', () => {
    const props = resourceOf(t, api.service).Properties;
    expect(props.LaunchType).toBeUndefined();
    expect(props.CapacityProviderStrategy).toEqual([{ CapacityProvider: { Ref: expect.stringMatching(/^Capacity/) }, Weight: 1 }]);
    expect(props.NetworkConfiguration.AwsvpcConfiguration.SecurityGroups).toEqual([{ 'Fn::GetAtt': [Stack.of(api).getLogicalId(api.securityGroup.node.defaultChild as CfnElement), 'GroupId'] }]);
    expect(props.ServiceConnectConfiguration).toMatchObject({ Enabled: true, Services: [{ PortName: 'api', DiscoveryName: 'api', ClientAliases: [{ DnsName: 'api', Port: 8080 }] }] });
    expect(api.service).toBeInstanceOf(ecs.Ec2Service);
  });

  test('THEN the instance role may poll the cluster\'s task sets (and only those)', () => {
    const clusterRef = Stack.of(s.cluster).getLogicalId(s.cluster.cluster.node.defaultChild as CfnElement);
    t.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Stack.of(s.stack).getLogicalId(s.asg.autoScalingGroup.role.node.defaultChild as CfnElement) }],
      PolicyDocument: { Statement: Match.arrayWith([pollStatement(clusterRef)]) },
    });
  });

  test('THEN its metrics, endpoint and URL are those of any Service Connect service', () => {
    expect(api.endpointUrl()).toBe('http://api:8080');
    expect(api.metricRequestCount().dimensions).toEqual({ DiscoveryName: 'api' });
    expect(api.clientOnly).toBe(false);
  });
});

describe('calls between Fargate and EC2 services', () => {
  // GIVEN a Fargate client of an EC2 server, and an EC2 client of a Fargate server
  const s = setup();
  const orders = ec2Service(s, 'Orders', { ports: [{ name: 'orders', containerPort: 8080 }] });
  const payments = new ConnectedFargateService(s.stack, 'Payments', { cluster: s.cluster, image, ports: [{ name: 'payments', containerPort: 9000 }] });
  const web = new ConnectedFargateService(s.stack, 'Web', { cluster: s.cluster, image });
  // WHEN
  const ordersUrl = web.connectTo(orders);
  const paymentsUrl = orders.connectTo(payments);
  const t = Template.fromStack(s.stack);
  const sgId = (c: ConnectedFargateService | ConnectedEc2Service) => ({ 'Fn::GetAtt': [Stack.of(c).getLogicalId(c.securityGroup.node.defaultChild as CfnElement), 'GroupId'] });

  test('THEN both directions get URLs, security-group rules and deployment order', () => {
    expect(ordersUrl).toBe('http://orders:8080');
    expect(paymentsUrl).toBe('http://payments:9000');
    const rule = (to: ConnectedFargateService | ConnectedEc2Service, from: ConnectedFargateService | ConnectedEc2Service, port: number) =>
      t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { GroupId: sgId(to), SourceSecurityGroupId: sgId(from), FromPort: port, ToPort: port });
    rule(orders, web, 8080);
    rule(payments, orders, 9000);
    const id = (c: IConstruct) => Stack.of(c).getLogicalId(c.node.defaultChild as CfnElement);
    expect(resourceOf(t, orders.service).DependsOn).toEqual(expect.arrayContaining([id(payments.service)]));
    expect(resourceOf(t, web.service).DependsOn).toEqual(expect.arrayContaining([id(orders.service)]));
  });

  test('THEN the namespace knows every service, whatever its compute', () => {
    expect(s.cluster.services).toEqual([orders, payments, web]);
  });

  test('THEN alarms take an EC2 service like a Fargate one', () => {
    const alarms = new ServiceConnectAlarms(s.stack, 'OrdersAlarms', { service: orders });
    expect(alarms.alarms.length).toBeGreaterThan(0);
  });
});

describe('bridge network mode', () => {
  // GIVEN a bridge server called by an awsvpc EC2 client
  const s = setup();
  const legacy = ec2Service(s, 'Legacy', { networkMode: ecs.NetworkMode.BRIDGE, ports: [{ name: 'legacy', containerPort: 9090 }] });
  const client = ec2Service(s, 'Client');
  client.connectTo(legacy);
  const t = Template.fromStack(s.stack);

  test('THEN the tasks use the instances\' security group and no network configuration of their own', () => {
    expect(legacy.securityGroup).toBe(s.asg.autoScalingGroup.connections.securityGroups[0]);
    expect(resourceOf(t, legacy.service).Properties.NetworkConfiguration).toBeUndefined();
    expect(resourceOf(t, legacy.taskDefinition).Properties.NetworkMode).toBe('bridge');
  });

  test('THEN the client is admitted on the proxy\'s ephemeral host ports, with a warning that says so', () => {
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: { 'Fn::GetAtt': [Stack.of(s.stack).getLogicalId(legacy.securityGroup.node.defaultChild as CfnElement), 'GroupId'] },
      FromPort: 32768,
      ToPort: 65535,
    });
    Annotations.fromStack(s.stack).hasWarning('/TestStack/Legacy', Match.stringLikeRegexp('cdk-service-connect:bridge-connect-instance-sg'));
  });

  test('THEN container ports map to dynamic host ports by default', () => {
    const mappings = resourceOf(t, legacy.taskDefinition).Properties.ContainerDefinitions[0].PortMappings;
    expect(mappings[0].HostPort).toBe(0);
  });

  test('WHEN a bridge port has an ingress port override THEN only that port is opened', () => {
    const s2 = setup();
    const srv = ec2Service(s2, 'Srv', { networkMode: ecs.NetworkMode.BRIDGE, ports: [{ name: 'srv', containerPort: 9090, ingressPortOverride: 15000 }] });
    ec2Service(s2, 'Cli').connectTo(srv);
    Template.fromStack(s2.stack).hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 15000, ToPort: 15000 });
  });

  test('WHEN static host ports are asked for THEN host port = container port, and two services on one port warn', () => {
    const s2 = setup('m6i.large', 10);
    const a = ec2Service(s2, 'A', { networkMode: ecs.NetworkMode.BRIDGE, staticHostPorts: true, ports: [{ name: 'a', containerPort: 80 }] });
    ec2Service(s2, 'B', { networkMode: ecs.NetworkMode.BRIDGE, staticHostPorts: true, ports: [{ name: 'b', containerPort: 80 }] });
    const t2 = Template.fromStack(s2.stack);
    expect(resourceOf(t2, a.taskDefinition).Properties.ContainerDefinitions[0].PortMappings[0].HostPort).toBe(80);
    Annotations.fromStack(s2.stack).hasWarning('/TestStack/B', Match.stringLikeRegexp('cdk-service-connect:host-port-clash'));
    Annotations.fromStack(s2.stack).hasNoWarning('/TestStack/A', Match.stringLikeRegexp('cdk-service-connect:bridge-static-host-port'));
  });
});

describe('Managed Instances', () => {
  // GIVEN a Managed Instances capacity provider added through the cluster
  const stack = strictStack();
  const cluster = new ServiceConnectCluster(stack, 'Cluster', { namespaceName: 'mi.internal' });
  const provider = managedInstances(stack, cluster);
  const api = new ConnectedEc2Service(stack, 'Api', { cluster, image, managedInstancesCapacityProvider: provider, ports: [{ name: 'api', containerPort: 8080 }] });
  const t = Template.fromStack(stack);

  test('THEN the task is Managed Instances-compatible and awsvpc, the service on the provider with no launch type', () => {
    expect(resourceOf(t, api.taskDefinition).Properties).toMatchObject({ RequiresCompatibilities: ['MANAGED_INSTANCES'], NetworkMode: 'awsvpc' });
    const props = resourceOf(t, api.service).Properties;
    expect(props.LaunchType).toBeUndefined();
    expect(props.PlatformVersion).toBeUndefined();
    expect(props.CapacityProviderStrategy).toHaveLength(1);
  });

  test('THEN the instance profile\'s role may poll the cluster\'s task sets', () => {
    const clusterRef = Stack.of(cluster).getLogicalId(cluster.cluster.node.defaultChild as CfnElement);
    const role = provider.ec2InstanceProfile.role!;
    t.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Stack.of(stack).getLogicalId(role.node.defaultChild as CfnElement) }],
      PolicyDocument: { Statement: Match.arrayWith([pollStatement(clusterRef)]) },
    });
  });

  test('WHEN the instance profile has no role of this app THEN instance-role-unknown warns', () => {
    const s2 = strictStack();
    const c2 = new ServiceConnectCluster(s2, 'Cluster');
    const sg = new ec2.SecurityGroup(s2, 'Sg', { vpc: c2.vpc });
    const p2 = new ecs.ManagedInstancesCapacityProvider(s2, 'Managed', {
      subnets: c2.vpc.privateSubnets,
      securityGroups: [sg],
      ec2InstanceProfile: iam.InstanceProfile.fromInstanceProfileName(s2, 'Profile', 'ecsInstanceRole-shared'),
    });
    c2.addManagedInstancesCapacityProvider(p2);
    Annotations.fromStack(s2).hasWarning('/TestStack/Managed', Match.stringLikeRegexp('cdk-service-connect:instance-role-unknown'));
  });
});

describe('a capacity provider added without the cluster helper', () => {
  test('THEN the service still grants the instance role ecs:Poll on the task sets, once', () => {
    // GIVEN a provider added with aws-cdk-lib's own method
    const stack = strictStack();
    const cluster = new ServiceConnectCluster(stack, 'Cluster');
    const group = new autoscaling.AutoScalingGroup(stack, 'Group', {
      vpc: cluster.vpc, instanceType: new ec2.InstanceType('t3.medium'), machineImage: ecs.EcsOptimizedImage.amazonLinux2023(),
    });
    const asg = new ecs.AsgCapacityProvider(stack, 'Capacity', { autoScalingGroup: group });
    cluster.ecsCluster.addAsgCapacityProvider(asg);
    // WHEN two services run on it
    new ConnectedEc2Service(stack, 'A', { cluster, image, asgCapacityProvider: asg, ports: [{ name: 'a', containerPort: 80 }] });
    new ConnectedEc2Service(stack, 'B', { cluster, image, asgCapacityProvider: asg, ports: [{ name: 'b', containerPort: 80 }] });
    // THEN one statement
    const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
    const polls = Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement)
      .filter((st: any) => st.Action === 'ecs:Poll' && JSON.stringify(st.Resource).includes('task-set'));
    expect(polls).toHaveLength(1);
  });
});

describe('sizing on EC2', () => {
  test('forEc2App: the task is exactly app + proxy + sidecars, no Fargate size table', () => {
    const sizing = EnvoySizing.forEc2App({ appCpu: 300, appMemoryMiB: 700, sidecarCpu: 32, sidecarMemoryMiB: 256 });
    expect([sizing.taskCpu, sizing.taskMemoryMiB]).toEqual([588, 1020]);
    expect([sizing.proxyCpu, sizing.proxyMemoryMiB]).toEqual([256, 64]);
  });

  test('forEc2App rejects bad values with [sizing-invalid]', () => {
    expect(() => EnvoySizing.forEc2App({ appCpu: 0, appMemoryMiB: 512 })).toThrow(/\[sizing-invalid\].*appCpu/);
    expect(() => EnvoySizing.forEc2App({ appCpu: 200000, appMemoryMiB: 512 })).toThrow(/\[sizing-invalid\].*196608/);
  });

  test('WHEN the task is larger than the Auto Scaling group\'s instance type THEN [ec2-task-fits-instance]', () => {
    const s = setup('t3.medium');
    expect(() => ec2Service(s, 'Big', { sizing: EnvoySizing.forEc2App({ appCpu: 4096, appMemoryMiB: 1024 }) }))
      .toThrow(/\[ec2-task-fits-instance\] sizing = "4352 CPU units \/ 1088 MiB".*t3\.medium.*2048 CPU units and 4096 MiB/);
  });

  test('WHEN the group makes a launch template (not a launch configuration) THEN its instance type is checked too', () => {
    const stack = new Stack(strictApp({ context: { [AUTOSCALING_GENERATE_LAUNCH_TEMPLATE]: true } }), 'Lt');
    const cluster = new ServiceConnectCluster(stack, 'Cluster');
    const group = new autoscaling.AutoScalingGroup(stack, 'Group', {
      vpc: cluster.vpc, instanceType: new ec2.InstanceType('t3.small'), machineImage: ecs.EcsOptimizedImage.amazonLinux2023(),
    });
    const asg = new ecs.AsgCapacityProvider(stack, 'Capacity', { autoScalingGroup: group });
    cluster.addAsgCapacityProvider(asg);
    expect(() => new ConnectedEc2Service(stack, 'Big', { cluster, image, asgCapacityProvider: asg, sizing: EnvoySizing.forEc2App({ appCpu: 256, appMemoryMiB: 4096 }) }))
      .toThrow(/\[ec2-task-fits-instance\].*t3\.small/);
  });

  test('WHEN the instance type is unknown to the table THEN nothing is checked', () => {
    const s = setup('p4d.24xlarge');
    expect(() => ec2Service(s, 'Big', { sizing: EnvoySizing.forEc2App({ appCpu: 8192, appMemoryMiB: 65536 }) })).not.toThrow();
  });
});

describe('validation', () => {
  test('errors name the EC2 service\'s own class, path, rule and fix', () => {
    const s = setup();
    expect(() => ec2Service(s, 'Api', { ports: [{ name: 'Bad Name', containerPort: 80 }] }))
      .toThrow(/^ConnectedEc2Service 'TestStack\/Api' has \d invalid settings?:\n {2}- \[port-name-format\] ports\[0\]\.name = "Bad Name"/);
  });

  test('neither or both capacity providers: [ec2-capacity-provider]', () => {
    const s = setup();
    expect(() => new ConnectedEc2Service(s.stack, 'None', { cluster: s.cluster, image })).toThrow(/\[ec2-capacity-provider\].*neither/);
    const provider = managedInstances(s.stack, s.cluster);
    expect(() => ec2Service(s, 'Both', { managedInstancesCapacityProvider: provider })).toThrow(/\[ec2-capacity-provider\].*both/);
  });

  test('host network mode: [ec2-network-mode]; bridge on Managed Instances: [managed-instances-bridge]; subnets in bridge: [bridge-network-props]', () => {
    const s = setup();
    expect(() => ec2Service(s, 'Host', { networkMode: ecs.NetworkMode.HOST })).toThrow(/\[ec2-network-mode\] networkMode = "host"/);
    expect(() => ec2Service(s, 'Sub', { networkMode: ecs.NetworkMode.BRIDGE, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } }))
      .toThrow(/\[bridge-network-props\] vpcSubnets/);
    const provider = managedInstances(s.stack, s.cluster);
    expect(() => new ConnectedEc2Service(s.stack, 'Mb', { cluster: s.cluster, image, managedInstancesCapacityProvider: provider, networkMode: ecs.NetworkMode.BRIDGE }))
      .toThrow(/\[managed-instances-bridge\]/);
  });

  test('Fargate-only settings: [ec2-fargate-only]; cpuArchitecture is for Managed Instances only', () => {
    const s = setup();
    expect(() => ec2Service(s, 'Pub', { assignPublicIp: true })).toThrow(/\[ec2-fargate-only\] assignPublicIp/);
    expect(() => ec2Service(s, 'Arm', { cpuArchitecture: ecs.CpuArchitecture.ARM64 })).toThrow(/\[ec2-fargate-only\] cpuArchitecture.*choose the instance type/);
    const provider = managedInstances(s.stack, s.cluster);
    const arm = new ConnectedEc2Service(s.stack, 'MiArm', { cluster: s.cluster, image, managedInstancesCapacityProvider: provider, cpuArchitecture: ecs.CpuArchitecture.ARM64 });
    expect(resourceOf(Template.fromStack(s.stack), arm.taskDefinition).Properties.RuntimePlatform).toEqual({ CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' });
  });

  test('the service props rules apply as on Fargate', () => {
    const s = setup();
    expect(() => ec2Service(s, 'Bad', { ports: [{ name: 'Bad Name', containerPort: 80 }] })).toThrow(/\[port-name-format\]/);
  });
});

describe('snapshot', () => {
  test('an EC2 awsvpc server, a bridge server and a Managed Instances client', () => {
    const s = setup();
    const provider = managedInstances(s.stack, s.cluster);
    const api = ec2Service(s, 'Api', { ports: [{ name: 'api', containerPort: 8080 }] });
    const legacy = ec2Service(s, 'Legacy', { networkMode: ecs.NetworkMode.BRIDGE, ports: [{ name: 'legacy', containerPort: 9090 }] });
    const web = new ConnectedEc2Service(s.stack, 'Web', { cluster: s.cluster, image, managedInstancesCapacityProvider: provider });
    web.connectTo(api);
    web.connectTo(legacy);
    expect(Template.fromStack(s.stack).toJSON()).toMatchSnapshot();
  });
});
