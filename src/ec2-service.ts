import { RemovalPolicy, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { IServiceConnectCluster } from './cluster';
import { ConnectedServiceBase } from './connected-service-base';
import { ServiceConnectDeployment } from './deployment';
import type { ServiceConnectEndpoint } from './ports';
import { deploymentServiceProps } from './private/deployment-wiring';
import { claimHostPorts, fixAsgCapacity, fixManagedInstancesCapacity, instanceSizeOf, instanceTypeOf, maxInstancesOf } from './private/ec2-capacity';
import { resolveEndpoint } from './private/endpoints';
import { addAutoScaling, addEfsVolumes, addSidecars, addTags, desiredCountOf, librarySidecarDemand, sidecarDemand } from './private/service-options';
import { addTracingSidecar, tracingOf } from './private/sidecars';
import { ec2Description } from './private/validation/formats';
import { Problems, warn } from './private/validation/problems';
import { validateServiceCluster, validateServiceProps } from './private/validation/service-props';
import type { ConnectedFargateServiceProps } from './service-props';
import { EnvoySizing } from './sizing';
import type { ServiceConnectTls } from './tls';
import type { ServiceConnectTracing } from './tracing';

const KIND = 'ConnectedEc2Service';

/** The ephemeral host ports Docker and ECS pick from for dynamic port mappings on Linux instances. */
const EPHEMERAL_PORTS = { from: 32768, to: 65535 };

/**
 * Properties of a `ConnectedEc2Service`: those of a `ConnectedFargateService`, the capacity the
 * tasks run on, and the network mode.
 */
export interface ConnectedEc2ServiceProps extends ConnectedFargateServiceProps {
  /**
   * The EC2 Auto Scaling group capacity provider the tasks run on. Add it to the cluster with
   * `ServiceConnectCluster.addAsgCapacityProvider()` (which also grants the instance role what the
   * Service Connect agent needs; the service grants it too, for a provider added otherwise).
   * Give this or `managedInstancesCapacityProvider`.
   *
   * @default - none: `managedInstancesCapacityProvider` is required
   */
  readonly asgCapacityProvider?: ecs.AsgCapacityProvider;

  /**
   * The ECS Managed Instances capacity provider the tasks run on. Add it to the cluster with
   * `ServiceConnectCluster.addManagedInstancesCapacityProvider()`. Give this or
   * `asgCapacityProvider`.
   *
   * @default - none: `asgCapacityProvider` is required
   */
  readonly managedInstancesCapacityProvider?: ecs.ManagedInstancesCapacityProvider;

  /**
   * The network mode of the tasks: `AWS_VPC` (each task has its own network interface and
   * security group) or `BRIDGE` (EC2 only: tasks share the instance's network interface and
   * security group, and reach each other through host ports). Service Connect supports no other.
   *
   * @default ecs.NetworkMode.AWS_VPC
   */
  readonly networkMode?: ecs.NetworkMode;

  /**
   * In `bridge` network mode, map each container port to the same port of the instance instead of
   * a dynamic (ephemeral) host port. An instance then holds one task of the service.
   *
   * @default false - dynamic host ports
   */
  readonly staticHostPorts?: boolean;
}

/**
 * A service on EC2 (an Auto Scaling group capacity provider) or ECS Managed Instances in a Service
 * Connect namespace: the same ports, client aliases, `connectTo`, metrics, alarms, deployments and
 * checks as `ConnectedFargateService`, with the task's memory budgeted for the proxy, `awsvpc` or
 * `bridge` network mode, and the instance permission the Service Connect agent needs.
 */
export class ConnectedEc2Service extends ConnectedServiceBase {
  /**
   * The ECS service: an `ecs.Ec2Service` on an Auto Scaling group, an `ecs.FargateService` with
   * the Managed Instances capacity provider strategy on Managed Instances (as aws-cdk-lib models it).
   */
  public readonly service: ecs.BaseService;
  /** The task definition. */
  public readonly taskDefinition: ecs.TaskDefinition;
  /** The application container. */
  public readonly container: ecs.ContainerDefinition;
  /** The CPU/memory split between app and proxy. */
  public readonly sizing: EnvoySizing;
  /**
   * The security group that admits callers: the tasks' own in `awsvpc` network mode, the
   * instances' (the Auto Scaling group's first) in `bridge` network mode.
   */
  public readonly securityGroup: ec2.ISecurityGroup;
  /** The network connections of the service. */
  public readonly connections: ec2.Connections;
  /** The Service Connect ports with every default worked out; empty for a client-only service. */
  public readonly endpoints: ServiceConnectEndpoint[];
  /** The cluster the service runs in. */
  public readonly cluster: IServiceConnectCluster;
  /** The log group of the application container. */
  public readonly appLogGroup: logs.ILogGroup;
  /** The log group of the Service Connect proxy. */
  public readonly proxyLogGroup: logs.ILogGroup;
  /** How new revisions are deployed. */
  public readonly deployment: ServiceConnectDeployment;
  /** The TLS of the service's ports, if any. */
  public readonly tls?: ServiceConnectTls;
  /** The network mode of the tasks. */
  public readonly networkMode: ecs.NetworkMode;
  /** The name of the capacity provider the tasks run on. */
  public readonly capacityProviderName: string;
  /** The auto scaling of the task count, when `autoScaling` is set. */
  public readonly scaling?: ecs.ScalableTaskCount;
  /** The tracing sidecar, if any (`tracing`, or the X-Ray daemon of the deprecated `xrayTracing`). */
  public readonly tracing?: ServiceConnectTracing;

  private readonly bridgeCallers = new Set<ConnectedServiceBase>();

  constructor(scope: Construct, id: string, props: ConnectedEc2ServiceProps) {
    super(scope, id);
    validateServiceCluster(this, props.cluster);
    this.cluster = props.cluster;
    this.networkMode = props.networkMode ?? ecs.NetworkMode.AWS_VPC;
    validateCompute(this, props, this.networkMode);
    const asg = props.asgCapacityProvider;
    const managed = props.managedInstancesCapacityProvider;
    this.capacityProviderName = (asg ?? managed)!.capacityProviderName;
    if (asg) fixAsgCapacity(this.cluster.cluster, asg);
    if (managed) fixManagedInstancesCapacity(this.cluster.cluster, managed);

    this.tracing = tracingOf(props);
    const sidecars = sidecarDemand(props);
    this.sizing = props.sizing ?? EnvoySizing.forEc2App({
      appCpu: 256,
      appMemoryMiB: 512,
      sidecarCpu: sidecars.cpu,
      sidecarMemoryMiB: sidecars.memoryMiB,
    });
    this.tls = props.tls ?? props.cluster.tls;
    const ports = props.ports ?? [];
    this.endpoints = ports.map((p, i) => resolveEndpoint(p, i, props.serviceName));
    validateServiceProps(this, props, this.endpoints);
    if (asg) checkInstanceFit(this, asg, this.sizing);
    this._recordOwnVariables(props);

    const retention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    this.appLogGroup = new logs.LogGroup(this, 'AppLogs', { retention, removalPolicy: RemovalPolicy.RETAIN });
    this.proxyLogGroup = new logs.LogGroup(this, 'ProxyLogs', { retention, removalPolicy: RemovalPolicy.RETAIN });
    this.taskDefinition = new ecs.TaskDefinition(this, 'TaskDefinition', {
      compatibility: managed ? ecs.Compatibility.MANAGED_INSTANCES : ecs.Compatibility.EC2,
      networkMode: this.networkMode,
      cpu: String(this.sizing.taskCpu),
      memoryMiB: String(this.sizing.taskMemoryMiB),
      taskRole: props.taskRole,
      executionRole: props.executionRole,
      runtimePlatform: props.cpuArchitecture && {
        cpuArchitecture: props.cpuArchitecture,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    const bridge = this.networkMode === ecs.NetworkMode.BRIDGE;
    const staticHostPorts = bridge && props.staticHostPorts === true;
    this.container = this._addAppContainer(this.taskDefinition, props, staticHostPorts ? (port) => port : undefined);
    const tracingBudget = (props.sidecars ?? []).length > 0 ? librarySidecarDemand(props) : this._sidecarBudget;
    if (this.tracing) {
      this._addLibraryVariables(addTracingSidecar(this.tracing, this.taskDefinition, this.container, tracingBudget, this.appLogGroup));
    }
    addSidecars(this.taskDefinition, this.container, props, this.appLogGroup);

    this.securityGroup = bridge
      ? asg!.autoScalingGroup.connections.securityGroups[0]
      : new ec2.SecurityGroup(this, 'SecurityGroup', {
        vpc: this.cluster.vpc,
        description: ec2Description(`Service Connect tasks of ${this.node.path}`),
        allowAllOutbound: true,
      });
    this.deployment = props.deployment ?? ServiceConnectDeployment.rolling();
    this.service = this.createService(props, bridge);
    this.connections = this.service.connections;
    addEfsVolumes(this.service, this.taskDefinition, this.container, props);
    addTags(this, props.tags);
    if (props.autoScaling) this.scaling = addAutoScaling(this.service, this, this.endpoints, props.autoScaling);
    if (staticHostPorts && asg) this.checkStaticHostPorts(props, asg);
    this._completeService(props);
  }

  /** @internal */
  public _ecsService(): ecs.BaseService {
    return this.service;
  }

  /** @internal */
  public _ecsTaskDefinition(): ecs.TaskDefinition {
    return this.taskDefinition;
  }

  /** @internal */
  public _acceptCall(client: ConnectedServiceBase, endpoint: ServiceConnectEndpoint): void {
    if (this.networkMode !== ecs.NetworkMode.BRIDGE || this.bridgeCallers.has(client)) return;
    this.bridgeCallers.add(client);
    const override = (endpoint.listenerPort !== endpoint.containerPort);
    warn(this, 'bridge-connect-instance-sg',
      `${client.node.path} calls this bridge network mode service: the rule admits it to the instances' security group ` +
      `${this.securityGroup.node.path}, so it reaches every task on those instances, on ` +
      (override ? `port ${endpoint.listenerPort} (the ingress port override)` : `the proxy's ephemeral host ports ${EPHEMERAL_PORTS.from}-${EPHEMERAL_PORTS.to}`) +
      '. Use awsvpc network mode for a security group per service.');
  }

  /** @internal */
  public _ingressPortFor(listenerPort: number): ec2.Port {
    if (this.networkMode !== ecs.NetworkMode.BRIDGE) return ec2.Port.tcp(listenerPort);
    // In bridge mode the proxy listens on an ephemeral host port unless the port has an override.
    const overridden = this.endpoints.some((e) => e.listenerPort === listenerPort && e.listenerPort !== e.containerPort);
    return overridden ? ec2.Port.tcp(listenerPort) : ec2.Port.tcpRange(EPHEMERAL_PORTS.from, EPHEMERAL_PORTS.to);
  }

  private createService(props: ConnectedEc2ServiceProps, bridge: boolean): ecs.BaseService {
    const common = {
      enableExecuteCommand: props.enableExecuteCommand ?? false,
      cluster: this.cluster.cluster,
      taskDefinition: this.taskDefinition,
      serviceName: props.serviceName,
      desiredCount: desiredCountOf(props),
      minHealthyPercent: props.minHealthyPercent ?? 100,
      maxHealthyPercent: props.maxHealthyPercent ?? 200,
      healthCheckGracePeriod: props.healthCheckGracePeriod,
      propagateTags: props.tags ? ecs.PropagatedTagSource.SERVICE : undefined,
      ...deploymentServiceProps(this.deployment),
      capacityProviderStrategies: [{ capacityProvider: this.capacityProviderName, weight: 1 }],
      serviceConnectConfiguration: this._serviceConnectConfiguration(props),
    };
    const network = bridge ? {} : { vpcSubnets: props.vpcSubnets, securityGroups: [this.securityGroup] };
    const service = props.managedInstancesCapacityProvider
      ? new ecs.FargateService(this, 'Service', { ...common, ...network, assignPublicIp: false })
      : new ecs.Ec2Service(this, 'Service', { ...common, ...network });
    this._addTlsDependency(service, props);
    return service;
  }

  private checkStaticHostPorts(props: ConnectedEc2ServiceProps, asg: ecs.AsgCapacityProvider): void {
    const ports = this.endpoints.map((e) => e.containerPort);
    const clash = claimHostPorts(asg, this, ports);
    if (clash) {
      warn(this, 'host-port-clash',
        `static host port ${clash.port} is already mapped by ${clash.holder.node.path} on capacity provider ${asg.node.path}: ` +
        'a task of each never shares an instance, so placement fails once every instance holds one. Use dynamic host ports (leave staticHostPorts unset).');
    }
    const maxInstances = maxInstancesOf(asg.autoScalingGroup);
    const desired = desiredCountOf(props);
    const peak = Math.ceil(desired * 2);
    if (maxInstances !== undefined && !Token.isUnresolved(desired) && peak > maxInstances) {
      warn(this, 'bridge-static-host-port',
        `static host ports hold one task per instance: a rolling deployment runs up to ${peak} tasks (desiredCount ${desired} at 200 %) ` +
        `but the Auto Scaling group has at most ${maxInstances} instances. Use dynamic host ports, or raise maxCapacity.`);
    }
  }
}

function validateCompute(scope: ConnectedEc2Service, props: ConnectedEc2ServiceProps, networkMode: ecs.NetworkMode): void {
  const problems = new Problems(scope, KIND);
  const asg = props.asgCapacityProvider;
  const managed = props.managedInstancesCapacityProvider;
  if ((asg === undefined) === (managed === undefined)) {
    problems.add('ec2-capacity-provider', 'asgCapacityProvider / managedInstancesCapacityProvider', asg && managed ? 'both' : 'neither',
      'the tasks run on one capacity provider.', 'give exactly one of them (for Fargate, use ConnectedFargateService).');
  }
  if (networkMode !== ecs.NetworkMode.AWS_VPC && networkMode !== ecs.NetworkMode.BRIDGE) {
    problems.add('ec2-network-mode', 'networkMode', networkMode, 'Service Connect supports awsvpc and bridge network mode only.',
      'use ecs.NetworkMode.AWS_VPC (the default) or ecs.NetworkMode.BRIDGE.');
  }
  if (managed && networkMode === ecs.NetworkMode.BRIDGE) {
    problems.add('managed-instances-bridge', 'networkMode', networkMode,
      'ECS Managed Instances run tasks in awsvpc or host network mode, not bridge.', 'use ecs.NetworkMode.AWS_VPC (the default).');
  }
  const fargateOnly = ([['assignPublicIp', props.assignPublicIp === true], ['capacityProviderStrategies', props.capacityProviderStrategies !== undefined],
    ['ephemeralStorageGiB', props.ephemeralStorageGiB !== undefined], ['cpuArchitecture', asg !== undefined && props.cpuArchitecture !== undefined]] as Array<[string, boolean]>).filter(([, set]) => set).map(([name]) => name);
  for (const name of fargateOnly) {
    problems.add('ec2-fargate-only', name, 'set', 'this setting is not for tasks on EC2 instances (they get no public IP, ' +
      'run on the capacity provider given to the service, use the instance\'s storage, and have the architecture of the instance type).',
    `leave ${name} unset${name === 'cpuArchitecture' ? ' and choose the instance type' : ''}, or use ConnectedFargateService.`);
  }
  if (networkMode === ecs.NetworkMode.BRIDGE && props.vpcSubnets !== undefined) {
    problems.add('bridge-network-props', 'vpcSubnets', 'set', 'in bridge network mode tasks use the instance\'s network interface.',
      'leave vpcSubnets unset (choose the subnets of the Auto Scaling group), or use awsvpc network mode.');
  }
  problems.throwIfAny();
}

function checkInstanceFit(scope: ConnectedEc2Service, asg: ecs.AsgCapacityProvider, sizing: EnvoySizing): void {
  const instanceType = instanceTypeOf(asg.autoScalingGroup);
  const instance = instanceType ? instanceSizeOf(instanceType) : undefined;
  if (!instance) return;
  if (sizing.taskCpu > instance.cpu || sizing.taskMemoryMiB > instance.memoryMiB) {
    const problems = new Problems(scope, KIND);
    problems.add('ec2-task-fits-instance', 'sizing', `${sizing.taskCpu} CPU units / ${sizing.taskMemoryMiB} MiB`,
      `an instance of ${asg.node.path} (${instance.instanceType}) has ${instance.cpu} CPU units and ${instance.memoryMiB} MiB, ` +
      'less than the task (and ECS keeps some of the memory for the instance itself), so no task is ever placed.',
      'choose a larger instance type, or a smaller sizing (EnvoySizing.forEc2App with what the app needs).');
    problems.throwIfAny();
  }
}
