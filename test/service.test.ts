import type { CfnElement } from 'aws-cdk-lib';
import { Annotations as CoreAnnotations, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { IConstruct } from 'constructs';
import type { ConnectedFargateServiceProps } from '../src';
import {
  AccessLogFormat, ConnectedFargateService, EnvoySizing, ProxyBudget, ServiceConnectCluster,
  ServiceConnectProtocol,
} from '../src';
import { strictStack } from './helpers';

const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/example/app:1');

function setup(): { stack: Stack; cluster: ServiceConnectCluster } {
  const stack = strictStack();
  return { stack, cluster: new ServiceConnectCluster(stack, 'Cluster', { namespaceName: 'test.internal' }) };
}

function logicalId(c: IConstruct): string {
  return Stack.of(c).getLogicalId(c.node.defaultChild as CfnElement);
}

function serviceOf(t: Template, svc: ConnectedFargateService): any {
  return t.toJSON().Resources[logicalId(svc.service)];
}

describe('a server with several ports', () => {
  // GIVEN a service with HTTP, gRPC and TCP ports and every port option
  const { stack, cluster } = setup();
  const svc = new ConnectedFargateService(stack, 'Multi', {
    cluster,
    image,
    sizing: EnvoySizing.forApp({ appCpu: 512, appMemoryMiB: 1024 }),
    ports: [
      { name: 'multi-http', containerPort: 8080, discoveryName: 'multi', idleTimeout: Duration.minutes(10), perRequestTimeout: Duration.seconds(30) },
      { name: 'multi-grpc', containerPort: 9090, protocol: ServiceConnectProtocol.GRPC, dnsName: 'multi.grpc', clientPort: 443 },
      { name: 'multi-h2', containerPort: 8443, protocol: ServiceConnectProtocol.HTTP2, ingressPortOverride: 15000 },
      { name: 'multi-tcp', containerPort: 5432, protocol: ServiceConnectProtocol.TCP, idleTimeout: Duration.hours(2) },
    ],
    environment: { LOG_LEVEL: 'info' },
  });
  const t = Template.fromStack(stack);

  test('the task has task-level CPU and memory and the app container exactly the app share', () => {
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Cpu: '1024',
      Memory: '2048',
      RequiresCompatibilities: ['FARGATE'],
      NetworkMode: 'awsvpc',
      ContainerDefinitions: [Match.objectLike({ Name: 'app', Cpu: 512, Memory: 1024, Essential: true })],
    });
  });

  test('port mappings are named, TCP, with appProtocol except for TCP ports', () => {
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({
        PortMappings: [
          { Name: 'multi-http', ContainerPort: 8080, Protocol: 'tcp', AppProtocol: 'http' },
          { Name: 'multi-grpc', ContainerPort: 9090, Protocol: 'tcp', AppProtocol: 'grpc' },
          { Name: 'multi-h2', ContainerPort: 8443, Protocol: 'tcp', AppProtocol: 'http2' },
          { Name: 'multi-tcp', ContainerPort: 5432, Protocol: 'tcp' },
        ],
      })],
    });
  });

  test('one Service Connect entry per port with one client alias, overrides and timeouts', () => {
    const sc = serviceOf(t, svc).Properties.ServiceConnectConfiguration;
    expect(sc.Enabled).toBe(true);
    expect(sc.Services).toEqual([
      {
        PortName: 'multi-http',
        DiscoveryName: 'multi',
        ClientAliases: [{ DnsName: 'multi', Port: 8080 }],
        Timeout: { IdleTimeoutSeconds: 600, PerRequestTimeoutSeconds: 30 },
      },
      { PortName: 'multi-grpc', DiscoveryName: 'multi-grpc', ClientAliases: [{ DnsName: 'multi.grpc', Port: 443 }] },
      { PortName: 'multi-h2', DiscoveryName: 'multi-h2', ClientAliases: [{ DnsName: 'multi-h2', Port: 8443 }], IngressPortOverride: 15000 },
      { PortName: 'multi-tcp', DiscoveryName: 'multi-tcp', ClientAliases: [{ DnsName: 'multi-tcp', Port: 5432 }], Timeout: { IdleTimeoutSeconds: 7200 } },
    ]);
  });

  test('the namespace is referenced by ARN and the service depends on it explicitly', () => {
    const s = serviceOf(t, svc);
    const nsId = Object.keys(t.findResources('AWS::ServiceDiscovery::HttpNamespace'))[0];
    expect(s.Properties.ServiceConnectConfiguration.Namespace).toEqual({ 'Fn::GetAtt': [nsId, 'Arn'] });
    expect(s.DependsOn).toContain(nsId);
  });

  test('proxy logs and app logs go to two log groups, both with retention', () => {
    const resources = t.toJSON().Resources;
    for (const g of [svc.appLogGroup, svc.proxyLogGroup]) expect(resources[logicalId(g)].Properties.RetentionInDays).toBe(30);
    const s = serviceOf(t, svc);
    const proxyGroup = s.Properties.ServiceConnectConfiguration.LogConfiguration.Options['awslogs-group'];
    expect(proxyGroup).toEqual({ Ref: logicalId(svc.proxyLogGroup) });
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({
        LogConfiguration: Match.objectLike({ Options: Match.objectLike({ 'awslogs-group': { Ref: logicalId(svc.appLogGroup) } }) }),
      })],
    });
    expect(proxyGroup).not.toEqual({ Ref: logicalId(svc.appLogGroup) });
  });

  test('private subnets, no public IP, its own security group, circuit breaker with rollback', () => {
    const p = serviceOf(t, svc).Properties;
    expect(p.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp).toBe('DISABLED');
    expect(p.NetworkConfiguration.AwsvpcConfiguration.Subnets).toEqual(
      cluster.vpc.privateSubnets.map((sn) => ({ Ref: logicalId(sn) })));
    expect(p.NetworkConfiguration.AwsvpcConfiguration.SecurityGroups).toEqual([
      { 'Fn::GetAtt': [logicalId(svc.connections.securityGroups[0]), 'GroupId'] },
    ]);
    expect(p.DeploymentConfiguration).toMatchObject({
      DeploymentCircuitBreaker: { Enable: true, Rollback: true }, MinimumHealthyPercent: 100, MaximumPercent: 200,
    });
    expect(p.DesiredCount).toBe(2);
    expect(p.LaunchType).toBe('FARGATE');
  });

  test('no ingress is opened until a peer connects', () => {
    t.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    const sg = t.toJSON().Resources[logicalId(svc.connections.securityGroups[0])];
    expect(sg.Properties.SecurityGroupIngress).toBeUndefined();
  });

  test('endpoints and URLs work out every default', () => {
    expect(svc.endpointUrl()).toBe('http://multi:8080');
    expect(svc.endpointUrl('multi-grpc')).toBe('http://multi.grpc:443');
    expect(svc.endpointUrl('multi-tcp')).toBe('tcp://multi-tcp:5432');
    expect(svc.endpoint('multi-h2')).toEqual({
      portName: 'multi-h2',
      containerPort: 8443,
      protocol: ServiceConnectProtocol.HTTP2,
      discoveryName: 'multi-h2',
      dnsName: 'multi-h2',
      clientPort: 8443,
      listenerPort: 15000,
      url: 'http://multi-h2:8443',
    });
    expect(svc.clientOnly).toBe(false);
    expect(() => svc.endpointUrl('nope')).toThrow(/\[endpoint-unknown-port\] endpointUrl\(portName\) = "nope": the service has no port of that name. Fix: use one of "multi-http", "multi-grpc", "multi-h2", "multi-tcp"/);
  });
});

describe('defaults and client-only services', () => {
  test('a client-only service enables Service Connect with no Services entry and still logs its proxy', () => {
    const { stack, cluster } = setup();
    const worker = new ConnectedFargateService(stack, 'Worker', { cluster, image });
    new ConnectedFargateService(stack, 'Api', { cluster, image, ports: [{ name: 'api', containerPort: 80 }] });
    const sc = serviceOf(Template.fromStack(stack), worker).Properties.ServiceConnectConfiguration;
    expect(sc.Enabled).toBe(true);
    expect(sc.Services ?? []).toEqual([]);
    expect(sc.LogConfiguration.LogDriver).toBe('awslogs');
    expect(worker.clientOnly).toBe(true);
    expect(() => worker.endpointUrl()).toThrow(/this service is client-only: it offers no port/);
  });

  test('default sizing is the 256/512 app in a 512/1024 task', () => {
    const { stack, cluster } = setup();
    const svc = new ConnectedFargateService(stack, 'Api', { cluster, image, ports: [{ name: 'api', containerPort: 80 }] });
    expect(svc.sizing).toMatchObject({ taskCpu: 512, taskMemoryMiB: 1024, appCpu: 256, appMemoryMiB: 512 });
  });

  test('with serviceName, the first port is discovered under the service name and the rest under their port names', () => {
    const { stack, cluster } = setup();
    const svc = new ConnectedFargateService(stack, 'Api', {
      cluster, image, serviceName: 'api', ports: [{ name: 'api-http', containerPort: 80 }, { name: 'api-admin', containerPort: 81 }],
    });
    expect(svc.endpoints.map((e) => [e.discoveryName, e.dnsName])).toEqual([['api', 'api'], ['api-admin', 'api-admin']]);
    Template.fromStack(stack).hasResourceProperties('AWS::ECS::Service', { ServiceName: 'api' });
  });

  test('environment, secrets, command, health check, container name and ARM64 pass through', () => {
    const { stack, cluster } = setup();
    const secret = new secretsmanager.Secret(stack, 'DbPassword');
    new ConnectedFargateService(stack, 'Api', {
      cluster,
      image,
      ports: [{ name: 'api', containerPort: 80 }],
      environment: { MODE: 'prod' },
      secrets: { DB_PASSWORD: ecs.Secret.fromSecretsManager(secret) },
      command: ['serve'],
      containerName: 'api',
      healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost/health || exit 1'] },
      cpuArchitecture: ecs.CpuArchitecture.ARM64,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
      RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
      ContainerDefinitions: [Match.objectLike({
        Name: 'api',
        Command: ['serve'],
        Environment: [{ Name: 'MODE', Value: 'prod' }],
        Secrets: [Match.objectLike({ Name: 'DB_PASSWORD' })],
        HealthCheck: Match.objectLike({ Command: ['CMD-SHELL', 'curl -f http://localhost/health || exit 1'] }),
      })],
    });
  });
});

describe('validation: every problem of a service in one error', () => {
  function expectInvalid(props: Partial<ConnectedFargateServiceProps>, pattern: RegExp): void {
    const { stack, cluster } = setup();
    expect(() => new ConnectedFargateService(stack, 'Bad', { cluster, image, ...props })).toThrow(pattern);
  }

  test.each([
    ['port-name-format', { ports: [{ name: 'Orders HTTP', containerPort: 80 }] },
      /\[port-name-format\] ports\[0\]\.name = "Orders HTTP": a port name is 1-64 characters.* Fix: use e\.g\. "orders-http"/],
    ['port-name-format (leading -)', { ports: [{ name: '-api', containerPort: 80, discoveryName: 'api' }] }, /\[port-name-format\] ports\[0\]\.name = "-api"/],
    ['port-name-format (65 chars)', { ports: [{ name: 'a'.repeat(65), containerPort: 80, discoveryName: 'api' }] }, /\[port-name-format\]/],
    ['port-name-unique', { ports: [{ name: 'api', containerPort: 80 }, { name: 'api', containerPort: 81, discoveryName: 'api2' }] },
      /\[port-name-unique\] ports\[1\]\.name = "api": ports\[0\] has the same name/],
    ['port-range (0)', { ports: [{ name: 'api', containerPort: 0 }] }, /\[port-range\] ports\[0\]\.containerPort = 0: a port is a whole number from 1 to 65535/],
    ['port-range (fraction)', { ports: [{ name: 'api', containerPort: 80.5 }] }, /\[port-range\] ports\[0\]\.containerPort = 80\.5/],
    ['port-range (client)', { ports: [{ name: 'api', containerPort: 80, clientPort: 70000 }] }, /\[port-range\] ports\[0\]\.clientPort = 70000/],
    ['port-range (ingress)', { ports: [{ name: 'api', containerPort: 80, ingressPortOverride: -1 }] }, /\[port-range\] ports\[0\]\.ingressPortOverride = -1/],
    ['container-port-unique', { ports: [{ name: 'a', containerPort: 80 }, { name: 'b', containerPort: 80 }] },
      /\[container-port-unique\] ports\[1\]\.containerPort = 80: ports\[0\] uses the same container port/],
    ['ingress-port-clash', { ports: [{ name: 'a', containerPort: 80, ingressPortOverride: 81 }, { name: 'b', containerPort: 81 }] },
      /\[ingress-port-clash\] ports\[0\]\.ingressPortOverride = 81: the server-side proxy would listen on a port the application container already uses/],
    ['discovery-name-format', { ports: [{ name: 'api', containerPort: 80, discoveryName: 'Orders.Api' }] },
      /\[discovery-name-format\] ports\[0\]\.discoveryName = "Orders\.Api".* Fix: set ports\[0\]\.discoveryName, e\.g\. "orders-api"/],
    ['discovery-name-format (from serviceName)', { serviceName: 'OrdersService', ports: [{ name: 'api', containerPort: 80 }] },
      /\[discovery-name-format\] ports\[0\]\.discoveryName \(defaulted from serviceName\) = "OrdersService"/],
    ['discovery-name-unique', { ports: [{ name: 'a', containerPort: 80, discoveryName: 'x', dnsName: 'a' }, { name: 'b', containerPort: 81, discoveryName: 'x', dnsName: 'b' }] },
      /\[discovery-name-unique\] ports\[1\]\.discoveryName = "x"/],
    ['dns-name-format', { ports: [{ name: 'api', containerPort: 80, dnsName: 'api..internal' }] }, /\[dns-name-format\] ports\[0\]\.dnsName = "api\.\.internal"/],
    ['dns-name-format (uppercase)', { ports: [{ name: 'api', containerPort: 80, dnsName: 'API' }] }, /\[dns-name-format\] ports\[0\]\.dnsName = "API".* Fix: use e\.g\. "api"/],
    ['dns-name-format (128 chars)', { ports: [{ name: 'api', containerPort: 80, dnsName: 'a'.repeat(128) }] }, /\[dns-name-format\]/],
    ['client-alias-unique', { ports: [{ name: 'a', containerPort: 80, dnsName: 'x', clientPort: 80 }, { name: 'b', containerPort: 81, dnsName: 'x', clientPort: 80 }] },
      /\[client-alias-unique\] ports\[1\]\.dnsName:clientPort = "x:80"/],
    ['timeout-whole-seconds', { ports: [{ name: 'api', containerPort: 80, idleTimeout: Duration.millis(1500) }] },
      /\[timeout-whole-seconds\] ports\[0\]\.idleTimeout = 1 second 500 millis: Service Connect timeouts are whole seconds.* Fix: use e\.g\. Duration\.seconds\(2\)/],
    ['tcp-per-request-timeout', { ports: [{ name: 'db', containerPort: 5432, protocol: ServiceConnectProtocol.TCP, perRequestTimeout: Duration.seconds(5) }] },
      /\[tcp-per-request-timeout\] ports\[0\]\.perRequestTimeout = 5 seconds: a per-request timeout needs an HTTP, HTTP2 or GRPC port/],
    ['service-name-format', { serviceName: 'my service', ports: [{ name: 'api', containerPort: 80, discoveryName: 'api' }] },
      /\[service-name-format\] serviceName = "my service"/],
    ['desired-count-range', { desiredCount: 1.5 }, /\[desired-count-range\] desiredCount = 1\.5/],
    ['env-name-format', { environment: { 'MY-VAR': 'x' } }, /\[env-name-format\] environment\["MY-VAR"\] = "MY-VAR".* Fix: use e\.g\. "MY_VAR"/],
    ['env-name-clash', { environment: { TOKEN: 'x' }, secrets: { TOKEN: ecs.Secret.fromSsmParameter({ parameterArn: 'arn:aws:ssm:us-east-1:111111111111:parameter/t', parameterName: 't' } as any) } },
      /\[env-name-clash\] secrets\["TOKEN"\] = "TOKEN": the same variable is also in `environment`/],
  ])('%s', (_rule, props, pattern) => expectInvalid(props as Partial<ConnectedFargateServiceProps>, pattern));

  test('a mistyped port, discovery name and timeout come back as one readable error naming all three', () => {
    const { stack, cluster } = setup();
    let message = '';
    try {
      new ConnectedFargateService(stack, 'Orders', {
        cluster,
        image,
        ports: [{ name: 'Orders_HTTP', containerPort: 8080, discoveryName: 'orders!', perRequestTimeout: Duration.millis(2500) }],
      });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.split('\n')).toEqual([
      "ConnectedFargateService 'TestStack/Orders' has 3 invalid settings:",
      expect.stringMatching(/^ {2}- \[port-name-format\] ports\[0\]\.name = "Orders_HTTP"/),
      expect.stringMatching(/^ {2}- \[discovery-name-format\] ports\[0\]\.discoveryName = "orders!"/),
      expect.stringMatching(/^ {2}- \[timeout-whole-seconds\] ports\[0\]\.perRequestTimeout = 2 seconds 500 millis/),
    ]);
  });

  test('invalid sizing is rejected where it is made, before the service exists', () => {
    expect(() => EnvoySizing.forTask({ taskCpu: 512, taskMemoryMiB: 512 })).toThrow(/not a valid Fargate task size/);
    expect(() => EnvoySizing.forApp({ appCpu: 100, appMemoryMiB: 100, proxy: ProxyBudget.of(0, 1) })).toThrow(/cpu must be a whole number/);
  });
});

describe('warnings for risky but legal choices', () => {
  test('explicit serviceName, desiredCount 1 and a proxy budget over half the task CPU', () => {
    const { stack, cluster } = setup();
    new ConnectedFargateService(stack, 'Api', {
      cluster,
      image,
      serviceName: 'api',
      desiredCount: 1,
      sizing: EnvoySizing.forTask({ taskCpu: 512, taskMemoryMiB: 1024, proxy: ProxyBudget.of(384, 64) }),
      ports: [{ name: 'api', containerPort: 80 }],
    });
    const a = Annotations.fromStack(stack);
    a.hasWarning('/TestStack/Api', Match.stringLikeRegexp('replace the service.*cdk-service-connect:explicit-service-name'));
    a.hasWarning('/TestStack/Api', Match.stringLikeRegexp('desiredCount is 1.*cdk-service-connect:desired-count-one'));
    a.hasWarning('/TestStack/Api', Match.stringLikeRegexp('budget is 384 of the task\'s 512 CPU units.*cdk-service-connect:proxy-over-half-cpu'));
  });

  test('idle timeout below the per-request timeout', () => {
    const { stack, cluster } = setup();
    new ConnectedFargateService(stack, 'Api', {
      cluster, image, ports: [{ name: 'api', containerPort: 80, idleTimeout: Duration.seconds(10), perRequestTimeout: Duration.seconds(30) }],
    });
    Annotations.fromStack(stack).hasWarning('/TestStack/Api', Match.stringLikeRegexp('idleTimeout \\(10s\\) is below perRequestTimeout \\(30s\\).*cdk-service-connect:idle-below-per-request'));
  });

  test('a metric AWS says a port never publishes warns (HTTP codes of a TCP port, gRPC requests of an HTTP port), others do not', () => {
    const { stack, cluster } = setup();
    const svc = new ConnectedFargateService(stack, 'Api', {
      cluster, image, ports: [{ name: 'api', containerPort: 80 }, { name: 'db', containerPort: 5432, protocol: ServiceConnectProtocol.TCP }],
    });
    svc.metricTarget5xxCount({ portName: 'db' });
    svc.metricGrpcRequestCount();
    svc.metricTarget5xxCount(); // fine: HTTP
    // AWS states no protocol for these: no warning, even on a TCP port
    svc.metricRequestCount({ portName: 'db' });
    svc.metricTargetResponseTime({ portName: 'db' });
    const warnings = Annotations.fromStack(stack).findWarning('/TestStack/Api', Match.stringLikeRegexp('cdk-service-connect:metric-protocol'));
    expect(warnings.map((w) => String(w.entry.data).split(':')[0])).toEqual(['metricTarget5xxCount() on port "db" (tcp)', 'metricGrpcRequestCount() on port "api" (http)']);
  });

  test('defaults raise no warning of this library', () => {
    const { stack, cluster } = setup();
    new ConnectedFargateService(stack, 'Api', { cluster, image, ports: [{ name: 'api', containerPort: 80 }] });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('cdk-service-connect:'));
  });

  test('a warning can be acknowledged', () => {
    const { stack, cluster } = setup();
    const svc = new ConnectedFargateService(stack, 'Api', { cluster, image, desiredCount: 1, ports: [{ name: 'api', containerPort: 80 }] });
    CoreAnnotations.of(svc).acknowledgeWarning('cdk-service-connect:desired-count-one', 'a singleton by design');
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('desired-count-one'));
  });
});

describe('access logs, ECS Exec and X-Ray', () => {
  test('access logs: JSON with query parameters, into the proxy log group', () => {
    const { stack, cluster } = setup();
    const svc = new ConnectedFargateService(stack, 'Api', {
      cluster,
      image,
      ports: [{ name: 'api', containerPort: 80 }],
      accessLogs: { format: AccessLogFormat.JSON, includeQueryParameters: true },
    });
    const sc = serviceOf(Template.fromStack(stack), svc).Properties.ServiceConnectConfiguration;
    expect(sc.AccessLogConfiguration).toEqual({ Format: 'JSON', IncludeQueryParameters: 'ENABLED' });
    expect(sc.LogConfiguration.Options['awslogs-group']).toEqual({ Ref: logicalId(svc.proxyLogGroup) });
  });

  test('access logs default to TEXT without query parameters; none unless asked for', () => {
    const { stack, cluster } = setup();
    const on = new ConnectedFargateService(stack, 'On', { cluster, image, ports: [{ name: 'on', containerPort: 80 }], accessLogs: {} });
    const off = new ConnectedFargateService(stack, 'Off', { cluster, image, ports: [{ name: 'off', containerPort: 80 }] });
    const t = Template.fromStack(stack);
    expect(serviceOf(t, on).Properties.ServiceConnectConfiguration.AccessLogConfiguration).toEqual({ Format: 'TEXT', IncludeQueryParameters: 'DISABLED' });
    expect(serviceOf(t, off).Properties.ServiceConnectConfiguration.AccessLogConfiguration).toBeUndefined();
  });

  test('ECS Exec is off by default, and the cluster audits sessions in its own log group', () => {
    const { stack, cluster } = setup();
    const svc = new ConnectedFargateService(stack, 'Api', { cluster, image, ports: [{ name: 'api', containerPort: 80 }] });
    const t = Template.fromStack(stack);
    expect(serviceOf(t, svc).Properties.EnableExecuteCommand).toBe(false);
    t.hasResourceProperties('AWS::ECS::Cluster', {
      Configuration: { ExecuteCommandConfiguration: { Logging: 'OVERRIDE', LogConfiguration: { CloudWatchLogGroupName: { Ref: logicalId(cluster.executeCommandLogGroup) } } } },
    });
    expect(t.toJSON().Resources[logicalId(cluster.executeCommandLogGroup)].Properties.RetentionInDays).toBe(365);
    // no ssmmessages permission without Exec
    expect(JSON.stringify(t.findResources('AWS::IAM::Policy'))).not.toContain('ssmmessages');
  });

  test('ECS Exec on: ssmmessages for the task role and log writes scoped to the audit group', () => {
    const { stack, cluster } = setup();
    const svc = new ConnectedFargateService(stack, 'Api', { cluster, image, ports: [{ name: 'api', containerPort: 80 }], enableExecuteCommand: true });
    const t = Template.fromStack(stack);
    expect(serviceOf(t, svc).Properties.EnableExecuteCommand).toBe(true);
    const policies = JSON.stringify(t.findResources('AWS::IAM::Policy'));
    expect(policies).toContain('ssmmessages:CreateControlChannel');
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
          Resource: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([Match.stringLikeRegexp('log-group:')])]) }),
        })]),
      },
    });
  });

  test('X-Ray: a daemon sidecar with its own share, the app told where it is, and write-only X-Ray permissions', () => {
    const { stack, cluster } = setup();
    const svc = new ConnectedFargateService(stack, 'Api', { cluster, image, ports: [{ name: 'api', containerPort: 80 }], xrayTracing: true });
    // 256 app + 256 proxy + 32 daemon CPU units no longer fit 512: the cheapest size that does is 1024 / 2048
    expect(svc.sizing).toMatchObject({
      taskCpu: 1024, taskMemoryMiB: 2048, appCpu: 256, appMemoryMiB: 512, sidecarCpu: 32, sidecarMemoryMiB: 256, proxyCpu: 736, proxyMemoryMiB: 1280,
    });
    const t = Template.fromStack(stack);
    const containers = t.toJSON().Resources[logicalId(svc.taskDefinition)].Properties.ContainerDefinitions;
    expect(containers).toHaveLength(2);
    expect(containers[0]).toMatchObject({ Name: 'app', Cpu: 256, Memory: 512, Environment: [{ Name: 'AWS_XRAY_DAEMON_ADDRESS', Value: 'localhost:2000' }] });
    expect(containers[1]).toMatchObject({ Name: 'xray-daemon', Cpu: 32, Memory: 256, Essential: false, PortMappings: [{ ContainerPort: 2000, Protocol: 'udp' }] });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['xray:PutTraceSegments']), Resource: '*' })]) },
    });
  });

  test('X-Ray with a sizing of your own must reserve the daemon\'s share', () => {
    const { stack, cluster } = setup();
    expect(() => new ConnectedFargateService(stack, 'Api', {
      cluster, image, xrayTracing: true, sizing: EnvoySizing.forTask({ taskCpu: 512, taskMemoryMiB: 1024 }),
    })).toThrow(/\[tracing-sizing\] sizing = "task 512 CPU \/ 1024 MiB = app 256 \/ 960 \+ proxy 256 \/ 64": the X-Ray daemon needs 32 CPU units and 256 MiB.* Fix: add `sidecarCpu: 32, sidecarMemoryMiB: 256`/);
    expect(() => new ConnectedFargateService(stack, 'Ok', {
      cluster, image, xrayTracing: true, sizing: EnvoySizing.forTask({ taskCpu: 512, taskMemoryMiB: 1024, sidecarCpu: 32, sidecarMemoryMiB: 256 }),
    })).not.toThrow();
  });

  test('an ARM64 service\'s default sizing is priced at ARM64 rates', () => {
    const { stack, cluster } = setup();
    const svc = new ConnectedFargateService(stack, 'Api', { cluster, image, cpuArchitecture: ecs.CpuArchitecture.ARM64 });
    expect(svc.sizing.hourlyPriceUsd).toBeCloseTo(0.5 * 0.03238 + 1 * 0.00356, 10);
    expect(svc.sizing.cpuArchitecture).toBe(ecs.CpuArchitecture.ARM64);
  });

  test('a plain variable named like a secret warns to use secrets', () => {
    const { stack, cluster } = setup();
    new ConnectedFargateService(stack, 'Api', { cluster, image, environment: { DB_PASSWORD: 'hunter2', MODE: 'x' } });
    Annotations.fromStack(stack).hasWarning('/TestStack/Api', Match.stringLikeRegexp('"DB_PASSWORD" is named like a secret.*cdk-service-connect:env-looks-secret'));
  });
});
