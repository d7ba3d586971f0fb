import type { App } from 'aws-cdk-lib';
import { Aspects, CfnParameter, CfnResource, Duration, STACK_RESOURCE_LIMIT_CONTEXT, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { strictApp, TEST_IMAGE } from './helpers';
import {
  ConnectedEc2Service, ConnectedFargateService, EnvoySizing, ProxyBudget, ServiceConnectAlarms, ServiceConnectCluster, ServiceConnectDeployment,
  NamespaceShare, ServiceConnectChecks, ServiceConnectIngress, ServiceConnectProtocol, ServiceConnectTls, ServiceConnectTracing, SharedNamespace,
} from '../src';
import type { ConnectedEc2ServiceProps, ConnectedFargateServiceProps, ServiceConnectClusterAttributes, ServiceConnectPortOptions } from '../src';
import { lintTemplates } from '../src/private/template/lint';
import { templateSource } from '../src/private/template/reader';
import { RULES } from '../src/private/validation/rules';
import type { RuleId } from '../src/private/validation/rules';

/**
 * One trigger per rule of the table, typed by the rule ids: a new rule without a trigger does not
 * compile. Each trigger builds the smallest app that breaks its rule; the test checks that an
 * error rule stops synthesis with `[id]` and a warning rule leaves `cdk-service-connect:id`.
 */
type Trigger = (stack: Stack) => unknown;

/** What a trigger of a `baseline` rule returns: the deployed version to lint the new one against. */
interface Deployed {
  readonly deployed: (stack: Stack) => void;
}

const isDeployed = (v: unknown): v is Deployed => typeof v === 'object' && v !== null && 'deployed' in v;

/**
 * A Service Connect app written in L1 (CfnService, CfnTaskDefinition, CfnCluster), checked by
 * `ServiceConnectChecks`: the triggers of the rules that run on any app and on templates.
 */
function l1(stack: Stack, more: {
  task?: Partial<ecs.CfnTaskDefinitionProps>;
  service?: Partial<ecs.CfnServiceProps>;
  sc?: Partial<ecs.CfnService.ServiceConnectConfigurationProperty>;
  appProtocol?: string;
} = {}): ecs.CfnService {
  Aspects.of(stack).add(new ServiceConnectChecks());
  const ns = new servicediscovery.CfnHttpNamespace(stack, 'L1Ns', { name: 'l1.internal' });
  const l1Cluster = new ecs.CfnCluster(stack, 'L1Cluster', { serviceConnectDefaults: { namespace: ns.attrArn } });
  const task = new ecs.CfnTaskDefinition(stack, 'L1Task', {
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: '512',
    memory: '1024',
    containerDefinitions: [{
      name: 'app',
      image: 'public.ecr.aws/example/app:1',
      portMappings: [{ name: 'api', containerPort: 8080, appProtocol: more.appProtocol ?? 'http' }],
    }],
    ...more.task,
  });
  return new ecs.CfnService(stack, 'L1Api', {
    cluster: l1Cluster.ref,
    taskDefinition: task.ref,
    launchType: 'FARGATE',
    networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-11111111'] } },
    serviceConnectConfiguration: { enabled: true, services: [{ portName: 'api', discoveryName: 'api' }], ...more.sc },
    ...more.service,
  });
}

const http = (name: string, containerPort: number, more: Partial<ServiceConnectPortOptions> = {}): ServiceConnectPortOptions =>
  ({ name, containerPort, ...more });

function cluster(stack: Stack, id = 'Cluster', namespaceName = 'rules.internal'): ServiceConnectCluster {
  return new ServiceConnectCluster(stack, id, { namespaceName });
}

type ServiceOverrides = Partial<ConnectedFargateServiceProps> & { cluster?: ServiceConnectCluster };

function service(stack: Stack, id: string, props: ServiceOverrides = {}): ConnectedFargateService {
  const c = props.cluster ?? (stack.node.tryFindChild('Cluster') as ServiceConnectCluster | undefined) ?? cluster(stack);
  return new ConnectedFargateService(stack, id, { image: TEST_IMAGE, ...props, cluster: c });
}

const server = (stack: Stack, id = 'Server', more: Partial<ServiceConnectPortOptions> = {}) =>
  service(stack, id, { ports: [http(id.toLowerCase(), 8080, more)] });

/** A number known only at deployment. */
const numberParameter = (stack: Stack) => new CfnParameter(stack, 'Number', { type: 'Number' }).valueAsNumber;
/** A string known only at deployment. */
const stringParameter = (stack: Stack) => new CfnParameter(stack, 'String', { type: 'String' }).valueAsString;
const NAMESPACE_ARN = 'arn:aws:servicediscovery:eu-west-1:111111111111:namespace/ns-abcd1234';

const hook = (stack: Stack) => lambda.Function.fromFunctionArn(stack, 'Hook', 'arn:aws:lambda:eu-west-1:111111111111:function:hook');

/** An Auto Scaling group capacity provider of the stack's cluster (one per stack). */
function asgCapacity(stack: Stack, instanceType = 'm6i.large', maxCapacity = 4): ecs.AsgCapacityProvider {
  const existing = stack.node.tryFindChild('Capacity') as ecs.AsgCapacityProvider | undefined;
  if (existing) return existing;
  const c = (stack.node.tryFindChild('Cluster') as ServiceConnectCluster | undefined) ?? cluster(stack);
  const group = new autoscaling.AutoScalingGroup(stack, 'Group', {
    vpc: c.vpc, instanceType: new ec2.InstanceType(instanceType), machineImage: ecs.EcsOptimizedImage.amazonLinux2023(), maxCapacity,
  });
  const provider = new ecs.AsgCapacityProvider(stack, 'Capacity', { autoScalingGroup: group });
  c.addAsgCapacityProvider(provider);
  return provider;
}

function managedCapacity(stack: Stack, profile?: iam.IInstanceProfile): ecs.ManagedInstancesCapacityProvider {
  const c = (stack.node.tryFindChild('Cluster') as ServiceConnectCluster | undefined) ?? cluster(stack);
  const provider = new ecs.ManagedInstancesCapacityProvider(stack, 'Managed', {
    subnets: c.vpc.privateSubnets, securityGroups: [new ec2.SecurityGroup(stack, 'InstancesSg', { vpc: c.vpc })], ec2InstanceProfile: profile,
  });
  c.addManagedInstancesCapacityProvider(provider);
  return provider;
}

function ec2Service(stack: Stack, id: string, props: Partial<ConnectedEc2ServiceProps> = {}): ConnectedEc2Service {
  const c = (stack.node.tryFindChild('Cluster') as ServiceConnectCluster | undefined) ?? cluster(stack);
  const capacity = props.managedInstancesCapacityProvider ? {} : { asgCapacityProvider: props.asgCapacityProvider ?? asgCapacity(stack) };
  return new ConnectedEc2Service(stack, id, { image: TEST_IMAGE, ...capacity, ...props, cluster: c });
}

const bridge = ecs.NetworkMode.BRIDGE;

const TRIGGERS: Record<RuleId, Trigger> = {
  // ports
  'port-name-format': (s) => service(s, 'Api', { ports: [http('Bad Name', 80)] }),
  'port-name-unique': (s) => service(s, 'Api', { ports: [http('api', 80), http('api', 81)] }),
  'port-range': (s) => service(s, 'Api', { ports: [http('api', 0)] }),
  'container-port-unique': (s) => service(s, 'Api', { ports: [http('api', 80), http('admin', 80)] }),
  'ingress-port-clash': (s) => service(s, 'Api', { ports: [http('api', 80, { ingressPortOverride: 81 }), http('admin', 81)] }),
  'discovery-name-format': (s) => service(s, 'Api', { ports: [http('api', 80, { discoveryName: 'Bad!' })] }),
  'dns-name-format': (s) => service(s, 'Api', { ports: [http('api', 80, { dnsName: 'a..b' })] }),
  'timeout-whole-seconds': (s) => service(s, 'Api', { ports: [http('api', 80, { idleTimeout: Duration.millis(1500) })] }),
  'tcp-per-request-timeout': (s) => service(s, 'Api', {
    ports: [http('api', 80, { protocol: ServiceConnectProtocol.TCP, perRequestTimeout: Duration.seconds(5) })],
  }),
  'port-name-unknown': (s) => l1(s, { sc: { services: [{ portName: 'api-http' }] } }),
  'app-protocol-changed': (s) => {
    l1(s, { appProtocol: 'grpc' });
    return { deployed: (old: Stack) => { l1(old); } } satisfies Deployed;
  },
  'idle-below-per-request': (s) => service(s, 'Api', {
    ports: [http('api', 80, { idleTimeout: Duration.seconds(10), perRequestTimeout: Duration.seconds(20) })],
  }),
  // service
  'service-name-format': (s) => service(s, 'Api', { serviceName: 'bad name', ports: [http('api', 80)] }),
  'service-cluster': (s) => service(s, 'Api', { cluster: cluster(s).cluster as unknown as ServiceConnectCluster }),
  'healthy-percent-range': (s) => service(s, 'Api', { minHealthyPercent: 150 }),
  'capacity-provider': (s) => service(s, 'Api', { capacityProviderStrategies: [{ capacityProvider: 'EC2', weight: 1 }] }),
  'task-option-range': (s) => service(s, 'Api', { ephemeralStorageGiB: 10 }),
  'autoscaling-range': (s) => service(s, 'Api', { autoScaling: { minCapacity: 4, maxCapacity: 2 } }),
  'autoscaling-requests-protocol': (s) => service(s, 'Api', { autoScaling: { minCapacity: 2, maxCapacity: 4, targetRequestsPerTaskPerMinute: 100 } }),
  'public-ip': (s) => server(s, 'Api', {}) && service(s, 'Web', { assignPublicIp: true }),
  'desired-count-range': (s) => service(s, 'Api', { desiredCount: -1, ports: [http('api', 80)] }),
  'duration-token-unit': (s) => service(s, 'Api', { ports: [http('api', 80, { idleTimeout: Duration.minutes(numberParameter(s)) })] }),
  'desired-count-cloud-map': (s) => service(s, 'Api', { desiredCount: 1001, ports: [http('api', 80)] }),
  'container-name-format': (s) => service(s, 'Api', { containerName: 'my app', ports: [http('api', 80)] }),
  'container-name-unique': (s) => service(s, 'Api', {
    containerName: 'aws-otel-collector', tracing: ServiceConnectTracing.openTelemetry(), ports: [http('api', 80)],
  }),
  'env-name-format': (s) => service(s, 'Api', { environment: { 'A=B': 'x' }, ports: [http('api', 80)] }),
  'env-name-clash': (s) => service(s, 'Api', { environment: { ORDERS_URL: 'x' } }).connectToExternal('orders', 8080),
  'tracing-exclusive': (s) => service(s, 'Api', { tracing: ServiceConnectTracing.openTelemetry(), xrayTracing: true, ports: [http('api', 80)] }),
  'xray-daemon-deprecated': (s) => service(s, 'Api', { tracing: ServiceConnectTracing.xrayDaemon(), ports: [http('api', 80)] }),
  'access-log-configuration': (s) => l1(s, { sc: { accessLogConfiguration: { format: 'JSON' } } }),
  'platform-version': (s) => l1(s, { service: { platformVersion: '1.3.0' } }),
  'replacement-hazard': (s) => {
    l1(s, { service: { serviceName: 'api-v2' } });
    return { deployed: (old: Stack) => { l1(old, { service: { serviceName: 'api' } }); } } satisfies Deployed;
  },
  'explicit-service-name': (s) => service(s, 'Api', { serviceName: 'api', ports: [http('api', 80)] }),
  'desired-count-one': (s) => service(s, 'Api', { desiredCount: 1, ports: [http('api', 80)] }),
  'tasks-in-public-subnets': (s) => service(s, 'Api', {
    cluster: new ServiceConnectCluster(s, 'Public', {
      namespaceName: 'public.internal',
      vpc: new ec2.Vpc(s, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC }] }),
    }),
    ports: [http('api', 80)],
  }),
  'env-looks-secret': (s) => service(s, 'Api', { environment: { DB_PASSWORD: 'x' }, ports: [http('api', 80)] }),
  // sizing
  'sizing-invalid': () => EnvoySizing.forTask({ taskCpu: 256, taskMemoryMiB: 100 }),
  'sizing-token': (s) => EnvoySizing.forApp({ appCpu: numberParameter(s), appMemoryMiB: 512 }),
  'tracing-sizing': (s) => service(s, 'Api', {
    tracing: ServiceConnectTracing.openTelemetry(), sizing: EnvoySizing.forApp({ appCpu: 256, appMemoryMiB: 512 }), ports: [http('api', 80)],
  }),
  'task-memory-missing': (s) => l1(s, {
    task: { requiresCompatibilities: ['EC2'], cpu: undefined, memory: undefined },
    service: { launchType: 'EC2' },
  }),
  'proxy-headroom': (s) => l1(s, {
    task: {
      containerDefinitions: [{ name: 'app', image: 'public.ecr.aws/example/app:1', cpu: 412, memory: 896, portMappings: [{ name: 'api', containerPort: 8080 }] }],
    },
  }),
  'sidecar-invalid': (s) => service(s, 'Api', { sidecars: [{ name: 'app', image: TEST_IMAGE, cpu: 64, memoryMiB: 128 }] }),
  'proxy-over-half-cpu': (s) => service(s, 'Api', {
    sizing: EnvoySizing.forTask({ taskCpu: 512, taskMemoryMiB: 1024, proxy: ProxyBudget.of(300, 64) }), ports: [http('api', 80)],
  }),
  // tls
  'tls-ca-arn': (s) => service(s, 'Api', { tls: ServiceConnectTls.fromCertificateAuthorityArn('not-an-arn'), ports: [http('api', 80)] }),
  'tls-ca-permissions': (s) => service(s, 'Api', {
    tls: ServiceConnectTls.fromCertificateAuthorityArn('arn:aws:acm-pca:eu-west-1:111111111111:certificate-authority/0a1b2c3d-4e5f-6789-abcd-ef0123456789', {
      role: iam.Role.fromRoleArn(s, 'Role', 'arn:aws:iam::111111111111:role/ecsInfrastructureRole'),
    }),
    ports: [http('api', 80)],
  }),
  'tls-client-only': (s) => { server(s); service(s, 'Client', { tls: ServiceConnectTls.managedCertificateAuthority() }); },
  // deployment
  'deployment-client-only': (s) => { server(s); service(s, 'Client', { deployment: ServiceConnectDeployment.blueGreen() }); },
  'deployment-range': (s) => service(s, 'Api', { deployment: ServiceConnectDeployment.linear({ stepPercent: 1 }), ports: [http('api', 80)] }),
  'lifecycle-hook': (s) => service(s, 'Api', {
    deployment: ServiceConnectDeployment.rolling({ lifecycleHooks: [{ handler: hook(s), stages: [ecs.DeploymentLifecycleStage.PRE_SCALE_UP] }] }),
    ports: [http('api', 80)],
  }),
  'test-traffic-header': (s) => service(s, 'Api', {
    deployment: ServiceConnectDeployment.blueGreen(),
    ports: [http('api', 80, { protocol: ServiceConnectProtocol.TCP, testTrafficHeader: { name: 'x-canary', value: '1' } })],
  }),
  'deployment-controller': (s) => l1(s, { service: { deploymentController: { type: 'CODE_DEPLOY' } } }),
  'test-traffic-unused': (s) => service(s, 'Api', { ports: [http('api', 80, { testTrafficHeader: { name: 'x-canary', value: '1' } })] }),
  // cluster
  'namespace-exclusive': (s) => new ServiceConnectCluster(s, 'Cluster', {
    namespaceName: 'a.internal', namespace: new servicediscovery.HttpNamespace(s, 'Ns', { name: 'b.internal' }),
  }),
  'namespace-name-format': (s) => cluster(s, 'Cluster', 'has space'),
  'namespace-name-arn': (s) => cluster(s, 'Cluster', NAMESPACE_ARN),
  'cluster-name-format': (s) => new ServiceConnectCluster(s, 'Cluster', { clusterName: 'my cluster' }),
  // a name no namespace of the app has (aws-cdk-lib's services write the name of a namespace they know, which is fine)
  'namespace-by-name': (s) => l1(s, { sc: { namespace: 'elsewhere.internal' } }),
  // names a namespace of its stack that nothing orders it after
  'namespace-order': (s) => {
    new servicediscovery.CfnHttpNamespace(s, 'Other', { name: 'other.internal' });
    return l1(s, { sc: { namespace: 'other.internal' } });
  },
  'namespace-arn': (s) => new ServiceConnectCluster(s, 'Cluster', {
    namespace: servicediscovery.HttpNamespace.fromHttpNamespaceAttributes(s, 'Ns', { namespaceArn: 'bad', namespaceId: 'ns-1', namespaceName: 'x' }),
  }),
  'share-not-owner': (s) => new NamespaceShare(s, 'Share', {
    namespace: SharedNamespace.fromArn(s, 'Ns', { namespaceArn: NAMESPACE_ARN, namespaceName: 'shared.internal' }), principals: ['222222222222'],
  }),
  'cluster-attributes': (s) => ServiceConnectCluster.fromClusterAttributes(s, 'Imported', {
    cluster: ecs.Cluster.fromClusterAttributes(s, 'Ecs', { clusterName: 'platform', vpc: ec2.Vpc.fromVpcAttributes(s, 'Vpc', { vpcId: 'vpc-1', availabilityZones: ['a'] }) }),
  } as unknown as ServiceConnectClusterAttributes),
  'share-principal-format': (s) => cluster(s).shareNamespace('Share', ['123']),
  // namespace
  'namespace-name-unique': (s) => { new ServiceConnectCluster(s, 'First'); new ServiceConnectCluster(s, 'Second'); },
  'discovery-name-unique': (s) => { server(s, 'Api'); service(s, 'Other', { ports: [http('other', 80, { discoveryName: 'api' })] }); },
  'client-alias-unique': (s) => { server(s, 'Api'); service(s, 'Other', { ports: [http('other', 8080, { dnsName: 'api' })] }); },
  'namespace-without-server': (s) => service(s, 'Client'),
  // connect
  'connect-unknown-port': (s) => service(s, 'Client').connectTo(server(s), { portName: 'nope' }),
  'connect-client-only': (s) => service(s, 'Client').connectTo(service(s, 'Other')),
  'connect-self': (s) => { const api = server(s); api.connectTo(api); },
  'connect-namespace': (s) => service(s, 'Client').connectTo(service(s, 'Far', { cluster: cluster(s, 'Other', 'other.internal'), ports: [http('far', 80)] })),
  'url-variable-token': (s) => service(s, 'Client').connectTo(server(s, 'Server', { dnsName: stringParameter(s) })),
  'endpoint-unknown-port': (s) => server(s).endpointUrl('nope'),
  'metric-unknown-port': (s) => server(s).metricRequestCount({ portName: 'nope' }),
  'ingress-alias-port': (s) => {
    const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const sg = new ec2.SecurityGroup(s, 'Sg', { vpc });
    sg.addIngressRule(ec2.Peer.ipv4('10.0.0.0/16'), ec2.Port.tcp(80));
    l1(s, {
      service: {
        networkConfiguration: { awsvpcConfiguration: { subnets: vpc.privateSubnets.map((n) => n.subnetId), securityGroups: [sg.securityGroupId] } },
      },
      sc: { services: [{ portName: 'api', clientAliases: [{ port: 80, dnsName: 'api' }] }] },
    });
  },
  'dependency-cycle': (s) => { const a = server(s, 'A'); const b = server(s, 'B'); a.connectTo(b); b.connectTo(a); },
  // observability
  'alarms-client-only': (s) => { server(s); new ServiceConnectAlarms(s, 'Alarms', { service: service(s, 'Client') }); },
  'alarms-setting-range': (s) => new ServiceConnectAlarms(s, 'Alarms', { service: server(s), errorRateThresholdPercent: 150 }),
  'alarms-none-created': (s) => new ServiceConnectAlarms(s, 'Alarms', { service: server(s, 'Db', { protocol: ServiceConnectProtocol.TCP }) }),
  'alarms-cross-account': (s) => {
    cluster(s).shareNamespace('Share', ['111122223333']);
    service(s, 'Api', { deployment: ServiceConnectDeployment.blueGreen(), ports: [http('api', 80)] });
  },
  'metric-dimensions': (s) => {
    const api = l1(s);
    new cloudwatch.Alarm(s, 'Requests', {
      metric: new cloudwatch.Metric({ namespace: 'AWS/ECS', metricName: 'RequestCount', dimensionsMap: { ClusterName: 'c', ServiceName: api.attrName } }),
      threshold: 1,
      evaluationPeriods: 1,
    });
  },
  'metric-protocol': (s) => server(s, 'Db', { protocol: ServiceConnectProtocol.TCP }).metricTarget5xxCount(),
  // ingress
  'ingress-route': (s) => new ServiceConnectIngress(s, 'Ingress', { cluster: cluster(s) }).addRoute(server(s), { containerPort: 0 }),
  'ingress-access-logs': (s) => { server(s); new ServiceConnectIngress(s, 'Ingress', { cluster: s.node.findChild('Cluster') as ServiceConnectCluster }); },
  // compute
  'ec2-capacity-provider': (s) => new ConnectedEc2Service(s, 'Api', { cluster: cluster(s), image: TEST_IMAGE }),
  'ec2-fargate-only': (s) => ec2Service(s, 'Api', { assignPublicIp: true }),
  'ec2-network-mode': (s) => ec2Service(s, 'Api', { networkMode: ecs.NetworkMode.HOST }),
  'managed-instances-bridge': (s) => ec2Service(s, 'Api', { managedInstancesCapacityProvider: managedCapacity(s), networkMode: bridge }),
  'bridge-network-props': (s) => ec2Service(s, 'Api', { networkMode: bridge, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } }),
  'ec2-task-fits-instance': (s) => ec2Service(s, 'Api', {
    asgCapacityProvider: asgCapacity(s, 't3.small'), sizing: EnvoySizing.forEc2App({ appCpu: 512, appMemoryMiB: 4096 }),
  }),
  'bridge-connect-instance-sg': (s) => ec2Service(s, 'Client').connectTo(ec2Service(s, 'Legacy', { networkMode: bridge, ports: [http('legacy', 80)] })),
  'bridge-static-host-port': (s) => ec2Service(s, 'Api', {
    asgCapacityProvider: asgCapacity(s, 'm6i.large', 2), networkMode: bridge, staticHostPorts: true, ports: [http('api', 80)],
  }),
  'host-port-clash': (s) => {
    asgCapacity(s, 'm6i.large', 10);
    ec2Service(s, 'A', { networkMode: bridge, staticHostPorts: true, ports: [http('a', 80)] });
    ec2Service(s, 'B', { networkMode: bridge, staticHostPorts: true, ports: [http('b', 80)] });
  },
  'instance-role-unknown': (s) => managedCapacity(s, iam.InstanceProfile.fromInstanceProfileName(s, 'Profile', 'ecsInstanceRole-shared')),
  // stack
  'stack-size': (s) => {
    server(s);
    // the app allows 100 resources per stack; the guard warns above 90
    const count = () => s.node.findAll().filter(CfnResource.isCfnResource).length;
    for (let i = 0; count() < 95; i++) new CfnResource(s, `Topic${i}`, { type: 'AWS::SNS::Topic' });
  },
};

/** Build the trigger's app: what it threw (at construction or synthesis) and its warnings. */
function run(trigger: Trigger): { error: string; warnings: string[] } {
  const app: App = strictApp({ context: { [STACK_RESOURCE_LIMIT_CONTEXT]: 100 } });
  const stack = new Stack(app, 'Rules');
  try {
    const more = trigger(stack);
    const assembly = app.synth();
    if (isDeployed(more)) {
      // a rule that needs the deployed version: lint the new template against the old one
      const oldApp = strictApp();
      more.deployed(new Stack(oldApp, 'Rules'));
      const template = (a: { getStackByName(n: string): { template: Record<string, unknown> } }) => [templateSource('Rules', a.getStackByName('Rules').template)];
      const found = lintTemplates(template(assembly), template(oldApp.synth())).findings;
      return { error: found.filter((f) => f.level === 'error').map((f) => `[${f.rule}]`).join('\n'), warnings: [] };
    }
  } catch (e) {
    return { error: (e as Error).message, warnings: [] };
  }
  const errors = Annotations.fromStack(stack).findError('*', Match.anyValue()).map((w) => String(w.entry.data));
  const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('cdk-service-connect:'))
    .map((w) => String(w.entry.data));
  return { error: errors.join('\n'), warnings };
}

describe('every rule of the table has a trigger that raises it', () => {
  test.each(Object.keys(TRIGGERS) as RuleId[])('%s', (id) => {
    const { error, warnings } = run(TRIGGERS[id]);
    if (RULES[id].level === 'error') {
      expect(error).toContain(`[${id}]`);
    } else {
      expect(error).toBe('');
      expect(warnings.some((w) => w.includes(`cdk-service-connect:${id}`))).toBe(true);
    }
  });
});
