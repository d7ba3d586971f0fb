import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { IServiceConnectCluster } from './cluster';
import { ConnectedServiceBase } from './connected-service-base';
import { ServiceConnectDeployment } from './deployment';
import type { ServiceConnectEndpoint } from './ports';
import { deploymentServiceProps } from './private/deployment-wiring';
import { resolveEndpoint } from './private/endpoints';
import {
  addAutoScaling, addEfsVolumes, addSidecars, addTags, desiredCountOf, enableCapacityProviders, librarySidecarDemand, sidecarDemand, subnetsOf,
} from './private/service-options';
import { addTracingSidecar, tracingOf } from './private/sidecars';
import { ec2Description } from './private/validation/formats';
import { validateServiceCluster, validateServiceProps } from './private/validation/service-props';
import type { ConnectedFargateServiceProps } from './service-props';
import { EnvoySizing } from './sizing';
import type { ServiceConnectTls } from './tls';
import type { ServiceConnectTracing } from './tracing';

/**
 * A Fargate service in a Service Connect namespace, sized so the proxy fits, with named ports,
 * client aliases, proxy logs, its own security group, and wiring to the services it calls.
 */
export class ConnectedFargateService extends ConnectedServiceBase {
  /** The ECS service. */
  public readonly service: ecs.FargateService;
  /** The task definition. */
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  /** The application container. */
  public readonly container: ecs.ContainerDefinition;
  /** The CPU/memory split between app and proxy. */
  public readonly sizing: EnvoySizing;
  /** The security group of the service's tasks. Ingress is opened only by `connectTo` (or by you). */
  public readonly securityGroup: ec2.ISecurityGroup;
  /** The network connections of the service (its security group). */
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
  /** The auto scaling of the task count, when `autoScaling` is set. */
  public readonly scaling?: ecs.ScalableTaskCount;
  /** The tracing sidecar, if any (`tracing`, or the X-Ray daemon of the deprecated `xrayTracing`). */
  public readonly tracing?: ServiceConnectTracing;

  constructor(scope: Construct, id: string, props: ConnectedFargateServiceProps) {
    super(scope, id);
    validateServiceCluster(this, props.cluster);
    this.cluster = props.cluster;
    this.tracing = tracingOf(props);
    const sidecars = sidecarDemand(props);
    this.sizing = props.sizing ?? EnvoySizing.forApp({
      appCpu: 256,
      appMemoryMiB: 512,
      sidecarCpu: sidecars.cpu,
      sidecarMemoryMiB: sidecars.memoryMiB,
      cpuArchitecture: props.cpuArchitecture,
    });
    this.tls = props.tls ?? props.cluster.tls;
    const ports = props.ports ?? [];
    this.endpoints = ports.map((p, i) => resolveEndpoint(p, i, props.serviceName));
    validateServiceProps(this, props, this.endpoints);
    this._recordOwnVariables(props);

    const retention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    this.appLogGroup = new logs.LogGroup(this, 'AppLogs', { retention, removalPolicy: RemovalPolicy.RETAIN });
    this.proxyLogGroup = new logs.LogGroup(this, 'ProxyLogs', { retention, removalPolicy: RemovalPolicy.RETAIN });
    this.taskDefinition = this.createTaskDefinition(props);
    this.container = this._addAppContainer(this.taskDefinition, props);
    // The tracing sidecar takes the whole sidecar budget unless there are other sidecars to share it with.
    const tracingBudget = (props.sidecars ?? []).length > 0 ? librarySidecarDemand(props) : this._sidecarBudget;
    if (this.tracing) {
      this._addLibraryVariables(addTracingSidecar(this.tracing, this.taskDefinition, this.container, tracingBudget, this.appLogGroup));
    }
    addSidecars(this.taskDefinition, this.container, props, this.appLogGroup);

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: this.cluster.vpc,
      description: ec2Description(`Service Connect tasks of ${this.node.path}`),
      allowAllOutbound: true,
    });
    this.deployment = props.deployment ?? ServiceConnectDeployment.rolling();
    this.service = this.createService(props);
    this.connections = this.service.connections;
    addEfsVolumes(this.service, this.taskDefinition, this.container, props);
    enableCapacityProviders(this.cluster.cluster, props);
    addTags(this, props.tags);
    if (props.autoScaling) this.scaling = addAutoScaling(this.service, this, this.endpoints, props.autoScaling);
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

  private createTaskDefinition(props: ConnectedFargateServiceProps): ecs.FargateTaskDefinition {
    return new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      cpu: this.sizing.taskCpu,
      memoryLimitMiB: this.sizing.taskMemoryMiB,
      taskRole: props.taskRole,
      executionRole: props.executionRole,
      ephemeralStorageGiB: props.ephemeralStorageGiB,
      runtimePlatform: {
        cpuArchitecture: props.cpuArchitecture ?? ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
  }

  private createService(props: ConnectedFargateServiceProps): ecs.FargateService {
    const service = new ecs.FargateService(this, 'Service', {
      enableExecuteCommand: props.enableExecuteCommand ?? false,
      cluster: this.cluster.cluster,
      taskDefinition: this.taskDefinition,
      serviceName: props.serviceName,
      desiredCount: desiredCountOf(props),
      minHealthyPercent: props.minHealthyPercent ?? 100,
      maxHealthyPercent: props.maxHealthyPercent ?? 200,
      healthCheckGracePeriod: props.healthCheckGracePeriod,
      capacityProviderStrategies: props.capacityProviderStrategies,
      assignPublicIp: props.assignPublicIp ?? false,
      vpcSubnets: subnetsOf(props),
      propagateTags: props.tags ? ecs.PropagatedTagSource.SERVICE : undefined,
      securityGroups: [this.securityGroup],
      ...deploymentServiceProps(this.deployment),
      platformVersion: ecs.FargatePlatformVersion.LATEST,
      serviceConnectConfiguration: this._serviceConnectConfiguration(props),
    });
    this._addTlsDependency(service, props);
    return service;
  }
}
