import { RemovalPolicy, Token } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { IConstruct } from 'constructs';
import type { IServiceConnectCluster } from './cluster';
import type { IConnectedService, ServiceConnectMetricOptions } from './connected-service';
import { ServiceConnectDeployment } from './deployment';
import { ServiceConnectAlarms } from './observability/alarms';
import type { ServiceConnectEndpoint } from './ports';
import { tlsConfigurationOf, tlsDependencyOf } from './private/cluster-tls';
import { recordConnection } from './private/connect-wiring';
import { crossAccountReason } from './private/cross-account';
import { addLifecycleHooks, addTestTrafficRules, deploymentServiceProps } from './private/deployment-wiring';
import { appProtocolOf, findEndpoint, resolveEndpoint, urlVariableFor } from './private/endpoints';
import { neverPublished, serviceConnectMetric } from './private/metrics';
import type { MetricMethod } from './private/metrics';
import { acknowledge } from './private/nag';
import { deploymentChain, joinNamespace, recordCall } from './private/namespace/members';
import {
  addAutoScaling, addEfsVolumes, addSidecars, addTags, desiredCountOf, enableCapacityProviders, librarySidecarDemand, sidecarDemand, subnetsOf,
} from './private/service-options';
import { addTracingSidecar, tracingOf } from './private/sidecars';
import { ensureStackSizeGuard } from './private/stack-size-guard';
import { concrete, renderTokenSettings } from './private/token-settings';
import { validateConnect, validateExternalConnect } from './private/validation/connect';
import { ec2Description } from './private/validation/formats';
import { warn } from './private/validation/problems';
import type { ErrorRuleId } from './private/validation/rules';
import { validateServiceCluster, validateServiceProps } from './private/validation/service-props';
import { AccessLogFormat } from './service-props';
import type { ConnectedFargateServiceProps, ConnectToExternalOptions, ConnectToOptions } from './service-props';
import { EnvoySizing } from './sizing';
import type { ServiceConnectTls } from './tls';
import type { ServiceConnectTracing } from './tracing';

/**
 * A Fargate service in a Service Connect namespace, sized so the proxy fits, with named ports,
 * client aliases, proxy logs, its own security group, and wiring to the services it calls.
 */
export class ConnectedFargateService extends Construct implements IConnectedService {
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
  /** The alarms that roll deployments back (given, or made by the library), if any. */
  public readonly rollbackAlarms: cloudwatch.IAlarm[] = [];
  /** The TLS of the service's ports, if any. */
  public readonly tls?: ServiceConnectTls;
  /** The auto scaling of the task count, when `autoScaling` is set. */
  public readonly scaling?: ecs.ScalableTaskCount;
  /** The tracing sidecar, if any (`tracing`, or the X-Ray daemon of the deprecated `xrayTracing`). */
  public readonly tracing?: ServiceConnectTracing;

  private readonly connectedTo = new Set<ConnectedFargateService>();
  private readonly hasOwnEnvironment: boolean;
  private urlVariablesAcknowledged = false;
  private readonly variableNames = new Set<string>();

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
    this.hasOwnEnvironment = Object.keys(props.environment ?? {}).length > 0;
    for (const name of [...Object.keys(props.environment ?? {}), ...Object.keys(props.secrets ?? {})]) {
      this.variableNames.add(name);
    }

    const retention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    this.appLogGroup = new logs.LogGroup(this, 'AppLogs', { retention, removalPolicy: RemovalPolicy.RETAIN });
    this.proxyLogGroup = new logs.LogGroup(this, 'ProxyLogs', { retention, removalPolicy: RemovalPolicy.RETAIN });
    this.taskDefinition = this.createTaskDefinition(props);
    this.container = this.addAppContainer(props);
    // The tracing sidecar takes the whole sidecar budget unless there are other sidecars to share it with.
    const tracingBudget = (props.sidecars ?? []).length > 0 ? librarySidecarDemand(props) : this.sidecarBudget;
    if (this.tracing) this.addVariables(addTracingSidecar(this.tracing, this.taskDefinition, this.container, tracingBudget, this.appLogGroup));
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
    if (props.enableExecuteCommand) acknowledge(this.taskDefinition.taskRole, 'executeCommand');

    // CloudFormation must never create the service before its namespace. The service refers to
    // the namespace ARN: when that is a reference (the namespace is a resource of this app), the
    // reference is the ordering; only a literal ARN needs an explicit dependency (cfn-lint W3005).
    if (!Token.isUnresolved(this.cluster.namespace.namespaceArn)) {
      const namespace: IConstruct = this.cluster.namespace;
      this.service.node.addDependency(namespace);
    }

    addTestTrafficRules(this.service, ports);
    addLifecycleHooks(this.service, this.deployment);
    this.addRollbackAlarms();
    this.addWarnings(props);
    joinNamespace(this, this.cluster, this.cluster.namespace);
    ensureStackSizeGuard(this);
  }

  /**
   * Whether the service offers no port (its proxy handles outbound calls only).
   */
  public get clientOnly(): boolean {
    return this.endpoints.length === 0;
  }

  /**
   * The URL clients use to reach a port of this service: `http://<dnsName>:<clientPort>`
   * (`tcp://` for TCP ports; HTTP/2 and gRPC clients dial the same `http://` URL).
   *
   * @param portName the port (default: the first)
   */
  public endpointUrl(portName?: string): string {
    return this._endpointFor(portName, 'endpoint-unknown-port', 'endpointUrl').url;
  }

  /**
   * Call `server` from this service through Service Connect: add the URL variable to this
   * service's app container, open the server's security group to this one on the port the
   * server-side proxy listens on, and deploy the server first.
   *
   * Client and server may be in any stacks: at synthesis the security-group rule goes in the
   * stack that already depends on the other (else the client's), and the deployment order is
   * added only where it closes no cycle of stacks or services (else the `dependency-cycle`
   * warning names what to deploy first).
   *
   * @returns the URL, e.g. `http://payments:8080`
   */
  public connectTo(server: ConnectedFargateService, options: ConnectToOptions = {}): string {
    const endpoint = validateConnect(this, server, options, this.variableNames);
    this.addUrlVariable(options.environmentVariable ?? urlVariableFor(endpoint.dnsName), endpoint.url);

    // A call whose server already deploys after this service (directly or through others) would
    // close a circle of deployment-order dependencies that CloudFormation cannot deploy: that call
    // gets no dependency. Cycle detection runs on the namespace model's calls.
    const chain = this.connectedTo.has(server) ? undefined : deploymentChain(server, this, this.cluster.namespace);
    const cycle = chain !== undefined;
    recordCall(this, server, this.cluster.namespace, !cycle);

    // The security-group rule and the deployment order are placed at synthesis, when every
    // stack and stack dependency of the app is known, so that no placement makes a stack cycle;
    // a call that closes a circle of services gets no order (warned here, where the circle is seen).
    recordConnection(this, server, endpoint.listenerPort, endpoint.portName, !cycle);
    if (chain) {
      const circle = [this, ...chain].map((s) => s.node.path).join(' → ');
      const order = [...chain].reverse().map((s) => s.node.path).join(', then ');
      warn(this, 'dependency-cycle',
        `connectTo calls form a circle: ${circle}. CloudFormation cannot deploy each service before the next, so the call ` +
        `${this.node.path} → ${server.node.path} gets no deployment-order dependency. Deploy first: ${order}; ${this.node.path} ` +
        `starts before ${server.node.path} exists and needs a new deployment (e.g. ECS "force new deployment") to reach it.`);
    }
    this.connectedTo.add(server);
    return endpoint.url;
  }

  /**
   * Call a server of the namespace that is not a `ConnectedFargateService` of this app — in
   * another account, another app, or another VPC — by its client alias: add the URL variable to
   * this service's app container.
   *
   * Unlike `connectTo`, this adds no deployment dependency (deploy the server's app first), and
   * opens the server's security group only when given as `serverSecurityGroup` (e.g. another app's
   * service in the same VPC, imported by its exported ID); otherwise the server's owner allows
   * this service's traffic (by CIDR across VPCs, or by this service's security group).
   *
   * @param dnsName the server's client alias DNS name (e.g. `inventory`)
   * @param clientPort the server's client alias port (e.g. `8080`)
   * @returns the URL, e.g. `http://inventory:8080`
   */
  public connectToExternal(dnsName: string, clientPort: number, options: ConnectToExternalOptions = {}): string {
    const url = validateExternalConnect(this, dnsName, clientPort, options, this.variableNames);
    this.addUrlVariable(options.environmentVariable ?? urlVariableFor(dnsName), url);
    if (options.serverSecurityGroup) {
      options.serverSecurityGroup.addIngressRule(this.securityGroup, ec2.Port.tcp(options.serverPort ?? clientPort),
        `Service Connect from ${this.node.path} to ${dnsName}`);
    }
    return url;
  }

  /** Requests the server-side proxy received (`RequestCount`, by `DiscoveryName`). Default: sum over 5 minutes. */
  public metricRequestCount(props?: ServiceConnectMetricOptions): cloudwatch.Metric {
    return this.metricOf('metricRequestCount', props);
  }

  /** Connections open to the server-side proxy (`ActiveConnectionCount`, by `DiscoveryName`). Default: average over 5 minutes. */
  public metricActiveConnectionCount(props?: ServiceConnectMetricOptions): cloudwatch.Metric {
    return this.metricOf('metricActiveConnectionCount', props);
  }

  /** Connections opened to the server-side proxy (`NewConnectionCount`, by `DiscoveryName`). Default: sum over 5 minutes. */
  public metricNewConnectionCount(props?: ServiceConnectMetricOptions): cloudwatch.Metric {
    return this.metricOf('metricNewConnectionCount', props);
  }

  /** Bytes the server-side proxy processed (`ProcessedBytes`, by `DiscoveryName`). Default: sum over 5 minutes. */
  public metricProcessedBytes(props?: ServiceConnectMetricOptions): cloudwatch.Metric {
    return this.metricOf('metricProcessedBytes', props);
  }

  /** gRPC requests (`GrpcRequestCount`, by `DiscoveryName`; gRPC ports only). Default: sum over 5 minutes. */
  public metricGrpcRequestCount(props?: ServiceConnectMetricOptions): cloudwatch.Metric {
    return this.metricOf('metricGrpcRequestCount', props);
  }

  /** Response time seen by callers in milliseconds (`TargetResponseTime`, by `TargetDiscoveryName`). Default: p99 over 5 minutes. */
  public metricTargetResponseTime(props?: ServiceConnectMetricOptions): cloudwatch.Metric {
    return this.metricOf('metricTargetResponseTime', props);
  }

  /** 2xx responses to callers (`HTTPCode_Target_2XX_Count`, by `TargetDiscoveryName`). Default: sum over 5 minutes. */
  public metricTarget2xxCount(props?: ServiceConnectMetricOptions): cloudwatch.Metric {
    return this.metricOf('metricTarget2xxCount', props);
  }

  /** 3xx responses to callers (`HTTPCode_Target_3XX_Count`, by `TargetDiscoveryName`). Default: sum over 5 minutes. */
  public metricTarget3xxCount(props?: ServiceConnectMetricOptions): cloudwatch.Metric {
    return this.metricOf('metricTarget3xxCount', props);
  }

  /** 4xx responses to callers (`HTTPCode_Target_4XX_Count`, by `TargetDiscoveryName`). Default: sum over 5 minutes. */
  public metricTarget4xxCount(props?: ServiceConnectMetricOptions): cloudwatch.Metric {
    return this.metricOf('metricTarget4xxCount', props);
  }

  /** 5xx responses to callers (`HTTPCode_Target_5XX_Count`, by `TargetDiscoveryName`). Default: sum over 5 minutes. */
  public metricTarget5xxCount(props?: ServiceConnectMetricOptions): cloudwatch.Metric {
    return this.metricOf('metricTarget5xxCount', props);
  }

  /** Requests per task from callers (`RequestCountPerTarget`, by `TargetDiscoveryName`). Default: sum over 5 minutes. */
  public metricRequestCountPerTarget(props?: ServiceConnectMetricOptions): cloudwatch.Metric {
    return this.metricOf('metricRequestCountPerTarget', props);
  }

  /** Bytes exchanged with callers (`TargetProcessedBytes`, by `TargetDiscoveryName`). Default: sum over 5 minutes. */
  public metricTargetProcessedBytes(props?: ServiceConnectMetricOptions): cloudwatch.Metric {
    return this.metricOf('metricTargetProcessedBytes', props);
  }

  /**
   * A port of this service with every default worked out.
   *
   * @param portName the port (default: the first)
   */
  public endpoint(portName?: string): ServiceConnectEndpoint {
    return this._endpointFor(portName, 'endpoint-unknown-port', 'endpoint');
  }

  /** @internal */
  public _endpointFor(portName: string | undefined, rule: ErrorRuleId, caller: string): ServiceConnectEndpoint {
    return findEndpoint(this, portName, rule, caller);
  }

  private metricOf(method: MetricMethod, props: ServiceConnectMetricOptions = {}): cloudwatch.Metric {
    const endpoint = this._endpointFor(props.portName, 'metric-unknown-port', method);
    if (neverPublished(method, endpoint.protocol)) {
      warn(this, 'metric-protocol',
        `${method}() on port ${JSON.stringify(endpoint.portName)} (${endpoint.protocol}): Service Connect never publishes ` +
        `${serviceConnectMetric(method, endpoint).metricName} for this protocol, so the metric stays empty and an alarm on it never fires.`);
    }
    return serviceConnectMetric(method, endpoint, props);
  }

  /**
   * cdk-nag's AwsSolutions-ECS2 flags every plain environment variable of a task definition.
   * When the only ones are those this library sets (peer URLs, the X-Ray daemon address), the
   * finding is acknowledged here with that reason; variables of your own (`environment`) leave
   * the finding to you.
   */
  private acknowledgeLibraryVariables(): void {
    if (this.hasOwnEnvironment || this.urlVariablesAcknowledged) return;
    this.urlVariablesAcknowledged = true;
    acknowledge(this.taskDefinition, 'libraryVariables');
  }

  /** Set a variable the library owns (a peer URL, a sidecar address) on the app container. */
  private addUrlVariable(name: string, value: string): void {
    this.container.addEnvironment(name, value);
    this.addVariables([name]);
  }

  private addVariables(names: string[]): void {
    for (const name of names) this.variableNames.add(name);
    this.acknowledgeLibraryVariables();
  }

  private get sidecarBudget(): { cpu: number; memoryMiB: number } {
    return { cpu: this.sizing.sidecarCpu, memoryMiB: this.sizing.sidecarMemoryMiB };
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

  private addAppContainer(props: ConnectedFargateServiceProps): ecs.ContainerDefinition {
    return this.taskDefinition.addContainer('App', {
      containerName: props.containerName ?? 'app',
      image: props.image,
      essential: true,
      cpu: this.sizing.appCpu,
      memoryLimitMiB: this.sizing.appMemoryMiB,
      command: props.command,
      entryPoint: props.entryPoint,
      stopTimeout: props.stopTimeout,
      readonlyRootFilesystem: props.readonlyRootFilesystem,
      dockerLabels: props.dockerLabels,
      workingDirectory: props.workingDirectory,
      user: props.user,
      healthCheck: props.healthCheck,
      environment: props.environment,
      secrets: props.secrets,
      portMappings: this.endpoints.map((e) => ({
        name: e.portName,
        containerPort: e.containerPort,
        protocol: ecs.Protocol.TCP,
        appProtocol: appProtocolOf(e.protocol),
      })),
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.appLogGroup, streamPrefix: 'app' }),
    });
  }

  private createService(props: ConnectedFargateServiceProps): ecs.FargateService {
    const ports = props.ports ?? [];
    const tlsConfiguration = this.tls?.enabled && ports.length > 0 ? tlsConfigurationOf(this.cluster, this.tls) : undefined;
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
      serviceConnectConfiguration: {
        namespace: this.cluster.namespace.namespaceArn,
        logDriver: ecs.LogDrivers.awsLogs({ logGroup: this.proxyLogGroup, streamPrefix: 'proxy' }),
        accessLogConfiguration: props.accessLogs && {
          format: props.accessLogs.format === AccessLogFormat.JSON ? ecs.ServiceConnectAccessLogFormat.JSON : ecs.ServiceConnectAccessLogFormat.TEXT,
          includeQueryParameters: props.accessLogs.includeQueryParameters ?? false,
        },
        services: ports.map((p, i) => ({
          portMappingName: p.name,
          tls: tlsConfiguration,
          discoveryName: this.endpoints[i].discoveryName,
          dnsName: this.endpoints[i].dnsName,
          // aws-cdk-lib's L2 checks these values as numbers and would reject a token (a port from a
          // CfnParameter); tokens are rendered below instead.
          port: concrete(this.endpoints[i].clientPort),
          ingressPortOverride: concrete(p.ingressPortOverride),
          idleTimeout: p.idleTimeout?.isUnresolved() ? undefined : p.idleTimeout,
          perRequestTimeout: p.perRequestTimeout?.isUnresolved() ? undefined : p.perRequestTimeout,
        })),
      },
    });
    renderTokenSettings(service, ports, this.endpoints);
    const tlsDependency = tlsConfiguration ? tlsDependencyOf(this.cluster) : undefined;
    if (tlsDependency) service.node.addDependency(tlsDependency);
    return service;
  }

  private addRollbackAlarms(): void {
    const deployment = this.deployment;
    if (deployment.rollbackAlarms) {
      this.rollbackAlarms.push(...deployment.rollbackAlarms);
    } else if (deployment.autoRollbackAlarms && !this.clientOnly) {
      const alarms = new ServiceConnectAlarms(this, 'DeploymentAlarms', { service: this });
      this.rollbackAlarms.push(...alarms.alarms);
      // Checked at synthesis, so that a share made after the service counts too.
      this.node.addValidation({ validate: () => { this.warnCrossAccountCallers(alarms); return []; } });
    }
    if (this.rollbackAlarms.length > 0) {
      // The alarms watch metrics keyed by discovery name, never the service, so the service may
      // depend on them: CloudFormation creates the alarms first and no cycle arises.
      this.service.enableDeploymentAlarms(this.rollbackAlarms.map((a) => a.alarmName), {
        behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM,
      });
    }
  }

  private warnCrossAccountCallers(alarms: ServiceConnectAlarms): void {
    if (alarms.alarms.length === 0) return;
    const reason = crossAccountReason(this, this.cluster.namespace);
    if (!reason) return;
    warn(this, 'alarms-cross-account',
      'the rollback alarms of this service watch Service Connect target metrics, which are published in the account of the calling ' +
      `service, and ${reason}: calls from other accounts never reach these alarms, so they can stay OK while those callers fail. ` +
      'Use CloudWatch cross-account observability (a monitoring account linked to the callers\' accounts) and pass alarms on it as ' +
      'deployment rollbackAlarms, or acknowledge this if every caller runs in this account.');
  }

  private addWarnings(props: ConnectedFargateServiceProps): void {
    if (props.serviceName !== undefined) {
      warn(this, 'explicit-service-name',
        `serviceName is set to ${JSON.stringify(props.serviceName)}. Changing it later makes CloudFormation replace the service, ` +
        'and the replacement fails while the old service holds its Service Connect discovery names. Leave serviceName unset unless you must fix it.');
    }
    if (this.cluster.vpc.selectSubnets(props.vpcSubnets).hasPublic) {
      warn(this, 'tasks-in-public-subnets',
        `the tasks run in public subnets of ${this.cluster.vpc.node.path} (${props.vpcSubnets ? 'vpcSubnets selects them' :
          'the VPC has no private subnets'}) without a public IP, so they reach nothing outside the VPC: no image pull, no logs, ` +
        'no AWS APIs, unless VPC endpoints serve them. Give the VPC private subnets with a NAT gateway (or VPC endpoints) and ' +
        'select those, e.g. vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }.');
    }
    if (props.desiredCount === 1) {
      warn(this, 'desired-count-one',
        'desiredCount is 1: callers have no healthy task while the only one is replaced or fails. Use 2 or more for services others call.');
    }
    if (this.sizing.proxyBudget.cpu * 2 > this.sizing.taskCpu) {
      warn(this, 'proxy-over-half-cpu',
        `the Service Connect proxy's budget is ${this.sizing.proxyBudget.cpu} of the task's ${this.sizing.taskCpu} CPU units (${this.sizing}). ` +
        'Consider EnvoySizing.forApp() with the CPU the app needs, which picks a larger task.');
    }
  }
}
