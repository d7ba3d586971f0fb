// What every connected service shares, whatever its compute: ports, URLs, connectTo, metrics,
// rollback alarms, the Service Connect configuration and namespace membership. Above 400 lines
// because the twelve public metric methods and their TSDoc live here; the logic is in src/private/.
import { Token } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { IConstruct } from 'constructs';
import type { IServiceConnectCluster } from './cluster';
import type { IConnectedService, ServiceConnectMetricOptions } from './connected-service';
import type { ServiceConnectDeployment } from './deployment';
import { ServiceConnectAlarms } from './observability/alarms';
import type { ServiceConnectEndpoint } from './ports';
import { tlsConfigurationOf, tlsDependencyOf } from './private/cluster-tls';
import { recordConnection } from './private/connect-wiring';
import type { WiredService } from './private/connect-wiring';
import { crossAccountReason } from './private/cross-account';
import { addLifecycleHooks, addTestTrafficRules } from './private/deployment-wiring';
import { appProtocolOf, findEndpoint, urlVariableFor } from './private/endpoints';
import { neverPublished, serviceConnectMetric } from './private/metrics';
import type { MetricMethod } from './private/metrics';
import { acknowledge } from './private/nag';
import { deploymentChain, joinNamespace, recordCall } from './private/namespace/members';
import { ensureStackSizeGuard } from './private/stack-size-guard';
import { concrete, renderTokenSettings } from './private/token-settings';
import { validateConnect, validateExternalConnect } from './private/validation/connect';
import { warn } from './private/validation/problems';
import type { ErrorRuleId } from './private/validation/rules';
import { AccessLogFormat } from './service-props';
import type { ConnectedFargateServiceProps, ConnectToExternalOptions, ConnectToOptions } from './service-props';
import type { EnvoySizing } from './sizing';
import type { ServiceConnectTls } from './tls';

/**
 * What Fargate, EC2 and Managed Instances services of a namespace share: ports with every default
 * worked out, URLs, `connectTo` / `connectToExternal` (between services of any compute), metrics,
 * rollback alarms and the namespace-wide checks. `ConnectedFargateService` and
 * `ConnectedEc2Service` extend it; you do not extend it yourself.
 */
export abstract class ConnectedServiceBase extends Construct implements IConnectedService {
  /** The application container. */
  public abstract readonly container: ecs.ContainerDefinition;
  /** The CPU/memory split between app and proxy. */
  public abstract readonly sizing: EnvoySizing;
  /**
   * The security group that admits callers of the service: the tasks' own group in `awsvpc`
   * network mode, the instances' group in `bridge` network mode.
   */
  public abstract readonly securityGroup: ec2.ISecurityGroup;
  /** The network connections of the service. */
  public abstract readonly connections: ec2.Connections;
  /** The Service Connect ports with every default worked out; empty for a client-only service. */
  public abstract readonly endpoints: ServiceConnectEndpoint[];
  /** The cluster the service runs in. */
  public abstract readonly cluster: IServiceConnectCluster;
  /** The log group of the application container. */
  public abstract readonly appLogGroup: logs.ILogGroup;
  /** The log group of the Service Connect proxy. */
  public abstract readonly proxyLogGroup: logs.ILogGroup;
  /** How new revisions are deployed. */
  public abstract readonly deployment: ServiceConnectDeployment;
  /** The TLS of the service's ports, if any. */
  public abstract readonly tls?: ServiceConnectTls;
  /** The alarms that roll deployments back (given, or made by the library), if any. */
  public readonly rollbackAlarms: cloudwatch.IAlarm[] = [];

  private hasOwnEnvironment = false;
  private urlVariablesAcknowledged = false;
  private readonly variableNames = new Set<string>();
  private readonly connectedTo = new Set<ConnectedServiceBase>();
  private wired?: WiredService;

  /**
   * @param scope the parent construct
   * @param id the construct id
   */
  constructor(scope: Construct, id: string) {
    super(scope, id);
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
   * server-side proxy listens on, and deploy the server first. Client and server may run on any
   * compute (Fargate, EC2, Managed Instances).
   *
   * Client and server may be in any stacks: at synthesis the security-group rule goes in the
   * stack that already depends on the other (else the client's), and the deployment order is
   * added only where it closes no cycle of stacks or services (else the `dependency-cycle`
   * warning names what to deploy first).
   *
   * @returns the URL, e.g. `http://payments:8080`
   */
  public connectTo(server: ConnectedServiceBase, options: ConnectToOptions = {}): string {
    const endpoint = validateConnect(this, server, options, this.variableNames);
    this.addUrlVariable(options.environmentVariable ?? urlVariableFor(endpoint.dnsName), endpoint.url);
    server._acceptCall(this, endpoint);

    // A call whose server already deploys after this service (directly or through others) would
    // close a circle of deployment-order dependencies that CloudFormation cannot deploy: that call
    // gets no dependency. Cycle detection runs on the namespace model's calls.
    const chain = this.connectedTo.has(server) ? undefined : deploymentChain(server, this, this.cluster.namespace);
    const cycle = chain !== undefined;
    recordCall(this, server, this.cluster.namespace, !cycle);

    // The security-group rule and the deployment order are placed at synthesis, when every
    // stack and stack dependency of the app is known, so that no placement makes a stack cycle;
    // a call that closes a circle of services gets no order (warned here, where the circle is seen).
    recordConnection(this._wired(), server._wired(), endpoint.listenerPort, endpoint.portName, !cycle);
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
   * Call a server of the namespace that is not a service of this app — in another account,
   * another app, or another VPC — by its client alias: add the URL variable to this service's app
   * container.
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

  /**
   * The ECS service (the construct that the deployment order of `connectTo` is put on).
   * @internal
   */
  public abstract _ecsService(): ecs.BaseService;

  /**
   * The task definition.
   * @internal
   */
  public abstract _ecsTaskDefinition(): ecs.TaskDefinition;

  /**
   * Called on the server of a `connectTo` before its security-group rule is recorded; a service
   * whose callers need more than the listener port (bridge network mode) says so here.
   * @internal
   */
  public _acceptCall(_client: ConnectedServiceBase, _endpoint: ServiceConnectEndpoint): void {
    // nothing by default
  }

  /**
   * The port a caller's security group is admitted on, for a listener port.
   * @internal
   */
  public _ingressPortFor(listenerPort: number): ec2.Port {
    return ec2.Port.tcp(listenerPort);
  }

  /**
   * Remember the variables of `environment` and `secrets` (a `connectTo` may not reuse them).
   * @internal
   */
  protected _recordOwnVariables(props: ConnectedFargateServiceProps): void {
    this.hasOwnEnvironment = Object.keys(props.environment ?? {}).length > 0;
    for (const name of [...Object.keys(props.environment ?? {}), ...Object.keys(props.secrets ?? {})]) {
      this.variableNames.add(name);
    }
  }

  /**
   * Everything that follows the creation of the ECS service, the same on every compute: the
   * namespace dependency, test-traffic rules, lifecycle hooks, rollback alarms, the service
   * warnings, namespace membership and the stack-size guard.
   * @internal
   */
  protected _completeService(props: ConnectedFargateServiceProps): void {
    const service = this._ecsService();
    if (props.enableExecuteCommand) acknowledge(this._ecsTaskDefinition().taskRole, 'executeCommand');

    // CloudFormation must never create the service before its namespace. The service refers to
    // the namespace ARN: when that is a reference (the namespace is a resource of this app), the
    // reference is the ordering; only a literal ARN needs an explicit dependency (cfn-lint W3005).
    if (!Token.isUnresolved(this.cluster.namespace.namespaceArn)) {
      const namespace: IConstruct = this.cluster.namespace;
      service.node.addDependency(namespace);
    }

    addTestTrafficRules(service, props.ports ?? []);
    addLifecycleHooks(service, this.deployment);
    this.addRollbackAlarms();
    this.addServiceWarnings(props);
    joinNamespace(this, this.cluster, this.cluster.namespace);
    ensureStackSizeGuard(this);
  }

  /**
   * Set variables the library owns (sidecar addresses) on the app container.
   * @internal
   */
  protected _addLibraryVariables(names: string[]): void {
    for (const name of names) this.variableNames.add(name);
    this.acknowledgeLibraryVariables();
  }

  /**
   * Add the application container: the app's share of the sizing, one named port mapping per
   * Service Connect port (with `hostPortOf` in bridge network mode), logs to the app log group.
   * @internal
   */
  protected _addAppContainer(taskDefinition: ecs.TaskDefinition, props: ConnectedFargateServiceProps,
    hostPortOf?: (containerPort: number) => number | undefined): ecs.ContainerDefinition {
    return taskDefinition.addContainer('App', {
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
        hostPort: hostPortOf?.(e.containerPort),
        protocol: ecs.Protocol.TCP,
        appProtocol: appProtocolOf(e.protocol),
      })),
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.appLogGroup, streamPrefix: 'app' }),
    });
  }

  /**
   * The Service Connect configuration of the ECS service: namespace, proxy logs, access logs, and
   * one entry per port with its aliases, TLS and timeouts.
   * @internal
   */
  protected _serviceConnectConfiguration(props: ConnectedFargateServiceProps): ecs.ServiceConnectProps {
    const ports = props.ports ?? [];
    const tlsConfiguration = this.tls?.enabled && ports.length > 0 ? tlsConfigurationOf(this.cluster, this.tls) : undefined;
    return {
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
        // CfnParameter); tokens are rendered into the template by renderTokenSettings.
        port: concrete(this.endpoints[i].clientPort),
        ingressPortOverride: concrete(p.ingressPortOverride),
        idleTimeout: p.idleTimeout?.isUnresolved() ? undefined : p.idleTimeout,
        perRequestTimeout: p.perRequestTimeout?.isUnresolved() ? undefined : p.perRequestTimeout,
      })),
    };
  }

  /**
   * With TLS, the service waits for the cluster's TLS resources.
   * @internal
   */
  protected _addTlsDependency(service: ecs.BaseService, props: ConnectedFargateServiceProps): void {
    renderTokenSettings(service, props.ports ?? [], this.endpoints);
    const tlsOn = this.tls?.enabled && (props.ports ?? []).length > 0;
    const tlsDependency = tlsOn && this.tls ? tlsDependencyOf(this.cluster) : undefined;
    if (tlsDependency) service.node.addDependency(tlsDependency);
  }

  /** @internal */
  protected get _sidecarBudget(): { cpu: number; memoryMiB: number } {
    return { cpu: this.sizing.sidecarCpu, memoryMiB: this.sizing.sidecarMemoryMiB };
  }

  /** What the `connectTo` wiring needs of this service; one object per service, so calls compare by identity. */
  private _wired(): WiredService {
    if (!this.wired) {
      const self = this;
      this.wired = {
        node: this.node,
        with: (...mixins) => this.with(...mixins),
        get securityGroup() { return self.securityGroup; },
        get service() { return self._ecsService(); },
        ingressPortFor: (listenerPort: number) => self._ingressPortFor(listenerPort),
      };
    }
    return this.wired;
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
    acknowledge(this._ecsTaskDefinition(), 'libraryVariables');
  }

  /** Set a variable the library owns (a peer URL) on the app container. */
  private addUrlVariable(name: string, value: string): void {
    this.container.addEnvironment(name, value);
    this._addLibraryVariables([name]);
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
      this._ecsService().enableDeploymentAlarms(this.rollbackAlarms.map((a) => a.alarmName), {
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

  private addServiceWarnings(props: ConnectedFargateServiceProps): void {
    if (props.serviceName !== undefined) {
      warn(this, 'explicit-service-name',
        `serviceName is set to ${JSON.stringify(props.serviceName)}. Changing it later makes CloudFormation replace the service, ` +
        'and the replacement fails while the old service holds its Service Connect discovery names. Leave serviceName unset unless you must fix it.');
    }
    const publicSubnets = (() => {
      try {
        return this.cluster.vpc.selectSubnets(props.vpcSubnets).hasPublic;
      } catch {
        return false; // a selection the VPC cannot answer (e.g. an imported VPC without subnets) is checked by aws-cdk-lib
      }
    })();
    if (publicSubnets && !props.assignPublicIp) {
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
