import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Aspects, CfnOutput, CfnResource, DefaultStackSynthesizer, NestedStack, Stack, Stage } from 'aws-cdk-lib';
import type { App, CfnElement, ISynthesisSession } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';
import { strictApp, TEST_IMAGE } from './helpers';
import { buildCrossAccountApp } from '../examples/cross-account/app';
import { buildCrossStackApp } from '../examples/cross-stack/app';
import { buildManyServicesApp } from '../examples/many-services/app';
import { buildObservabilityApp } from '../examples/observability/app';
import { buildProgressiveDeliveryApp } from '../examples/progressive-delivery/app';
import { buildSeedApp } from '../examples/seed/app';
import { ServiceConnectChecks } from '../src';

/** The checks' findings of an app: rule ids of errors and warnings, with the path they are on. */
function findings(app: App): Array<{ level: string; rule: string; path: string }> {
  Aspects.of(app).add(new ServiceConnectChecks());
  const assembly = app.synth();
  const out: Array<{ level: string; rule: string; path: string }> = [];
  for (const stack of assembly.stacks) {
    for (const m of stack.messages) {
      const text = String(m.entry.data);
      const error = m.level === 'error' ? /^\[([a-z0-9-]+)\]/.exec(text) : null;
      const warning = m.level === 'warning' ? /cdk-service-connect:([a-z0-9-]+)/.exec(text) : null;
      if (error) out.push({ level: 'error', rule: error[1], path: m.id });
      if (warning) out.push({ level: 'warning', rule: warning[1], path: m.id });
    }
  }
  return out.sort((a, b) => a.rule.localeCompare(b.rule) || a.path.localeCompare(b.path));
}

/**
 * The seed article's service written with aws-cdk-lib's L2 constructs, with or without its
 * mistakes; `byId` passes the namespace's id (a `Ref`, which ECS does not take) instead of a name.
 */
function seedWithL2(stack: Stack, mistakes: boolean, byId = false): ecs.FargateService {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  const namespace = mistakes && !byId ? undefined : new servicediscovery.HttpNamespace(stack, 'Ns', { name: 'production.internal' });
  const task = new ecs.FargateTaskDefinition(stack, 'Task', { cpu: 512, memoryLimitMiB: 1024 });
  task.addContainer('app', {
    image: TEST_IMAGE,
    cpu: mistakes ? 412 : 256,
    memoryLimitMiB: mistakes ? 1000 : 896,
    portMappings: [{ name: 'orders-http', containerPort: 8080, appProtocol: ecs.AppProtocol.http }],
  });
  const service = new ecs.FargateService(stack, 'Orders', {
    cluster,
    taskDefinition: task,
    serviceConnectConfiguration: {
      // the seed's mistake: a name that no namespace of the app has (ECS fails to create the service
      // unless one exists in the account); worse, the namespace's id, which ECS would look up as a name
      namespace: byId ? namespace!.namespaceId : mistakes ? 'production.internal' : namespace!.namespaceArn,
      services: [{ portMappingName: 'orders-http', discoveryName: 'orders', dnsName: 'orders', port: 8080 }],
    },
  });
  new cloudwatch.Alarm(stack, 'Requests', {
    // the seed's mistake: aws-cdk-lib's service.metric() is by ClusterName, ServiceName
    metric: mistakes ? service.metric('RequestCount') : new cloudwatch.Metric({
      namespace: 'AWS/ECS', metricName: 'RequestCount', dimensionsMap: { DiscoveryName: 'orders' },
    }),
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
  });
  return service;
}

describe('ServiceConnectChecks on aws-cdk-lib L2 services', () => {
  test('GIVEN the seed article\'s mistakes with L2 WHEN synthesized with the checks THEN each is reported at its construct', () => {
    const app = strictApp();
    seedWithL2(new Stack(app, 'Seed'), true);
    expect(findings(app)).toEqual([
      { level: 'warning', rule: 'metric-dimensions', path: '/Seed/Requests' },
      { level: 'warning', rule: 'namespace-by-name', path: '/Seed/Orders' },
      { level: 'warning', rule: 'proxy-headroom', path: '/Seed/Task' },
      { level: 'warning', rule: 'proxy-headroom', path: '/Seed/Task' },
    ]);
  });

  test('GIVEN the same service written correctly WHEN checked THEN nothing is reported', () => {
    const app = strictApp();
    seedWithL2(new Stack(app, 'Seed'), false);
    expect(findings(app)).toEqual([]);
  });

  test('GIVEN an error WHEN checked THEN the annotation names the property, the value and the fix', () => {
    const app = strictApp();
    const stack = new Stack(app, 'Seed');
    seedWithL2(stack, true, true);
    Aspects.of(app).add(new ServiceConnectChecks());
    app.synth();
    Annotations.fromStack(stack).hasError('/Seed/Orders', Match.stringLikeRegexp(
      '^\\[namespace-arn\\] OrdersService[0-9A-F]+\\.ServiceConnectConfiguration\\.Namespace = "!GetAtt Ns[0-9A-F]+\\.Id \\(the namespace Id\\)": .* Fix: pass the namespace\'s ARN'));
    Annotations.fromStack(stack).hasWarning('/Seed/Task', Match.stringLikeRegexp('^\\[proxy-headroom\\] Task[0-9A-F]+\\.Cpu = 512: .*leaving the Service Connect proxy 100.*cdk-service-connect:proxy-headroom'));
  });

  test('GIVEN services in two stacks registering one discovery name WHEN checked THEN the second is an error (across stacks)', () => {
    const app = strictApp();
    const shared = new Stack(app, 'Shared');
    const vpc = new ec2.Vpc(shared, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const cluster = new ecs.Cluster(shared, 'Cluster', { vpc });
    const ns = new servicediscovery.HttpNamespace(shared, 'Ns', { name: 'shared.internal' });
    for (const id of ['TeamA', 'TeamB']) {
      const stack = new Stack(app, id);
      const task = new ecs.FargateTaskDefinition(stack, 'Task', { cpu: 512, memoryLimitMiB: 1024 });
      task.addContainer('app', { image: TEST_IMAGE, portMappings: [{ name: 'http', containerPort: 8080, appProtocol: ecs.AppProtocol.http }] });
      new ecs.FargateService(stack, 'Orders', {
        cluster,
        taskDefinition: task,
        serviceConnectConfiguration: { namespace: ns.namespaceArn, services: [{ portMappingName: 'http', discoveryName: 'orders' }] },
      });
    }
    expect(findings(app)).toEqual([
      { level: 'error', rule: 'client-alias-unique', path: '/TeamB/Orders' },
      { level: 'error', rule: 'discovery-name-unique', path: '/TeamB/Orders' },
    ]);
  });
});

describe('ServiceConnectChecks on apps shaped like aws-cdk-lib\'s own Service Connect tests', () => {
  // aws-cdk-lib's services write their namespace's *name* (`Namespace: "<name>"`), and the cluster its ARN
  function server(stack: Stack, cluster: ecs.ICluster, id: string, sc: ecs.ServiceConnectProps, memory = 512): ecs.FargateService {
    const task = new ecs.FargateTaskDefinition(stack, `${id}Task`, { cpu: 256, memoryLimitMiB: memory });
    task.addContainer('web', {
      image: TEST_IMAGE,
      portMappings: [{ name: 'api', containerPort: 80, appProtocol: ecs.AppProtocol.http }],
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'web' }),
    });
    return new ecs.FargateService(stack, id, { cluster, taskDefinition: task, serviceConnectConfiguration: sc });
  }

  test('GIVEN a cluster\'s defaultCloudMapNamespace for Service Connect WHEN checked THEN the service naming it is not a finding', () => {
    const app = strictApp();
    const stack = new Stack(app, 'Basic');
    const cluster = new ecs.Cluster(stack, 'EcsCluster', {
      vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 }),
      defaultCloudMapNamespace: { name: 'scorekeep.internal', useForServiceConnect: true },
    });
    server(stack, cluster, 'Svc', {
      services: [{ portMappingName: 'api', dnsName: 'api', port: 80 }],
      logDriver: ecs.LogDrivers.awsLogs({ streamPrefix: 'sc' }),
    });
    expect(findings(app)).toEqual([]);
  });

  test('GIVEN an existing private DNS namespace made the cluster\'s default WHEN checked THEN nothing is reported', () => {
    const app = strictApp();
    const stack = new Stack(app, 'Existing');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const cluster = new ecs.Cluster(stack, 'EcsCluster', { vpc });
    cluster.addExistingDefaultCloudMapNamespace({
      namespace: new servicediscovery.PrivateDnsNamespace(stack, 'ExistingNamespace', { name: 'existing.internal', vpc }),
      useForServiceConnect: true,
    });
    server(stack, cluster, 'Service', { services: [{ portMappingName: 'api', dnsName: 'api', port: 80 }] });
    expect(findings(app)).toEqual([]);
  });

  test('GIVEN a namespace imported with fromHttpNamespaceAttributes and services in another stack WHEN checked THEN only the service naming it is warned', () => {
    const app = strictApp();
    const env = { account: '111111111111', region: 'us-east-1' };
    const network = new Stack(app, 'Network', { env });
    const cluster = new ecs.Cluster(network, 'Cluster', { vpc: new ec2.Vpc(network, 'Vpc', { maxAzs: 2, natGateways: 0 }) });
    const services = new Stack(app, 'Services', { env });
    const ns = servicediscovery.HttpNamespace.fromHttpNamespaceAttributes(services, 'Ns', {
      namespaceName: 'shared.internal',
      namespaceId: 'ns-0123456789abcdef',
      namespaceArn: 'arn:aws:servicediscovery:us-east-1:111111111111:namespace/ns-0123456789abcdef',
    });
    server(services, cluster, 'ByArn', { namespace: ns.namespaceArn, services: [{ portMappingName: 'api' }] });
    server(services, cluster, 'ByName', { namespace: ns.namespaceName, services: [{ portMappingName: 'api', discoveryName: 'api-b' }] });
    expect(findings(app)).toEqual([{ level: 'warning', rule: 'namespace-by-name', path: '/Services/ByName' }]);
  });

  test('GIVEN an L2 service given the name of a namespace its stack creates, on a cluster without it WHEN checked THEN namespace-order (the name orders nothing)', () => {
    const app = strictApp();
    const stack = new Stack(app, 'Order');
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 }) });
    const ns = new servicediscovery.HttpNamespace(stack, 'Ns', { name: 'order.internal' });
    server(stack, cluster, 'ByName', { namespace: ns.namespaceName, services: [{ portMappingName: 'api' }] });
    server(stack, cluster, 'ByArn', { namespace: ns.namespaceArn, services: [{ portMappingName: 'api', discoveryName: 'api-arn' }] });
    expect(findings(app)).toEqual([{ level: 'warning', rule: 'namespace-order', path: '/Order/ByName' }]);
  });

  test('GIVEN services in nested stacks given the namespace ARN by their parent WHEN checked THEN one namespace: the second owner of a name is an error', () => {
    const app = strictApp();
    const parent = new Stack(app, 'Parent');
    const ns = new servicediscovery.HttpNamespace(parent, 'Ns', { name: 'nested.internal' });
    const cluster = new ecs.Cluster(parent, 'Cluster', { vpc: new ec2.Vpc(parent, 'Vpc', { maxAzs: 2, natGateways: 0 }) });
    server(new NestedStack(parent, 'TeamA'), cluster, 'Orders', { namespace: ns.namespaceArn, services: [{ portMappingName: 'api', discoveryName: 'orders' }] });
    server(new NestedStack(parent, 'TeamB'), cluster, 'Orders', { namespace: ns.namespaceArn, services: [{ portMappingName: 'api', discoveryName: 'orders' }] });
    expect(findings(app)).toEqual([
      { level: 'error', rule: 'client-alias-unique', path: '/Parent/TeamB/Orders' },
      { level: 'error', rule: 'discovery-name-unique', path: '/Parent/TeamB/Orders' },
    ]);
  });

  test('GIVEN the namespace created in one stack and named by services of another WHEN checked THEN it is known across stacks', () => {
    const app = strictApp();
    const shared = new Stack(app, 'Shared');
    const cluster = new ecs.Cluster(shared, 'Cluster', {
      vpc: new ec2.Vpc(shared, 'Vpc', { maxAzs: 2, natGateways: 0 }),
      defaultCloudMapNamespace: { name: 'team.internal', type: servicediscovery.NamespaceType.HTTP, useForServiceConnect: true },
    });
    server(new Stack(app, 'TeamA'), cluster, 'Orders', { services: [{ portMappingName: 'api', discoveryName: 'orders' }] });
    server(new Stack(app, 'TeamB'), cluster, 'Orders', { services: [{ portMappingName: 'api', discoveryName: 'orders' }] });
    expect(findings(app)).toEqual([
      { level: 'error', rule: 'client-alias-unique', path: '/TeamB/Orders' },
      { level: 'error', rule: 'discovery-name-unique', path: '/TeamB/Orders' },
    ]);
  });
});

describe('ServiceConnectChecks changes no template', () => {
  /** Every template file and the manifest (with each template's hash), as written, byte for byte. */
  function written(build: (app: App) => void, withChecks: boolean): Record<string, string> {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'sc-checks-'));
    try {
      const app = strictApp({ outdir });
      build(app);
      if (withChecks) Aspects.of(app).add(new ServiceConnectChecks());
      app.synth();
      const files: Record<string, string> = {};
      for (const f of fs.readdirSync(outdir)) {
        if (f.endsWith('.template.json') || f === 'manifest.json' || f.endsWith('.assets.json')) files[f] = fs.readFileSync(path.join(outdir, f), 'utf8');
      }
      return files;
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  }

  test.each([
    ['L2 with the seed mistakes', (app: App) => { seedWithL2(new Stack(app, 'Seed'), true); }],
    ['L2 in nested stacks', (app: App) => {
      const parent = new Stack(app, 'Parent');
      seedWithL2(new NestedStack(parent, 'Team'), false);
    }],
    ['the seed example', (app: App) => { buildSeedApp(app); }],
    ['the cross-stack example', (app: App) => { buildCrossStackApp(app); }],
    ['the cross-account example', (app: App) => { buildCrossAccountApp(app); }],
    ['the observability example', (app: App) => { buildObservabilityApp(app); }],
    ['the progressive-delivery example', (app: App) => { buildProgressiveDeliveryApp(app); }],
  ])('GIVEN %s WHEN synthesized with and without the checks THEN every template file and the manifest are the same, byte for byte', (_name, build) => {
    const without = written(build, false);
    expect(Object.keys(without).length).toBeGreaterThan(1);
    expect(written(build, true)).toEqual(without);
  });
});

describe('ServiceConnectChecks reads the templates synthesis writes, rendering each once', () => {
  /** Stacks and elements that still hold a template or rendering of the checks (none should, once synthesis is over). */
  const pending = (app: App) => app.node.findAll().filter((c) => Object.prototype.hasOwnProperty.call(c, '_toCloudFormation'));

  /** How many times synthesizing the app renders an element or a stack with aws-cdk-lib's own `_toCloudFormation`. */
  function renders(withChecks: boolean): { elements: number; stacks: number } {
    const app = strictApp();
    seedWithL2(new Stack(app, 'Seed'), false);
    buildCrossStackApp(app);
    if (withChecks) Aspects.of(app).add(new ServiceConnectChecks());
    const outputs = jest.spyOn(CfnOutput.prototype as any, '_toCloudFormation');
    const resources = jest.spyOn(CfnResource.prototype as any, '_toCloudFormation');
    const stacks = jest.spyOn(Stack.prototype as any, '_toCloudFormation');
    try {
      app.synth();
      return { elements: outputs.mock.calls.length + resources.mock.calls.length, stacks: stacks.mock.calls.length };
    } finally {
      outputs.mockRestore();
      resources.mockRestore();
      stacks.mockRestore();
    }
  }

  test('GIVEN L2 and library services WHEN synthesized with the checks THEN no element and no stack is rendered more often than without them', () => {
    expect(renders(true)).toEqual(renders(false));
  });

  test('GIVEN an app synthesized with the checks WHEN synthesis is over THEN no stack or element keeps a template of the checks', () => {
    const app = strictApp();
    seedWithL2(new Stack(app, 'Seed'), true);
    Aspects.of(app).add(new ServiceConnectChecks());
    app.synth();
    expect(pending(app)).toEqual([]);
  });

  test('GIVEN an app synthesized with the checks WHEN it is changed and synthesized again THEN the template has the change', () => {
    const app = strictApp();
    const stack = new Stack(app, 'Seed');
    const service = seedWithL2(stack, false);
    Aspects.of(app).add(new ServiceConnectChecks());
    app.synth();
    (service.node.defaultChild as ecs.CfnService).addPropertyOverride('DesiredCount', 7);
    const template = app.synth({ force: true }).getStackByName('Seed').template;
    expect(template.Resources[stack.getLogicalId(service.node.defaultChild as CfnElement)].Properties.DesiredCount).toBe(7);
  });

  /** A synthesizer that fails the first time it writes its stack (a synthesis that stops after the checks ran). */
  class FailingOnce extends DefaultStackSynthesizer {
    public failed = false;
    public synthesize(session: ISynthesisSession): void {
      if (!this.failed) {
        this.failed = true;
        throw new Error('disk full');
      }
      super.synthesize(session);
    }
  }

  test.each([
    ['with the checks again', false],
    ['without validation', true],
  ])('GIVEN a synthesis stopped after the checks ran WHEN the app is changed and synthesized again %s THEN the template has the change', (_name, skipValidation) => {
    const app = strictApp();
    seedWithL2(new Stack(app, 'First', { synthesizer: new FailingOnce() }), false);
    const stack = new Stack(app, 'Second');
    const service = seedWithL2(stack, false);
    Aspects.of(app).add(new ServiceConnectChecks());
    expect(() => app.synth()).toThrow(/disk full/);
    // the checks ran when First was about to be written, and rendered Second's template, which was never written
    expect(pending(app)).toContain(stack);
    (service.node.defaultChild as ecs.CfnService).addPropertyOverride('DesiredCount', 7);
    const template = app.synth({ force: true, skipValidation }).getStackByName('Second').template;
    expect(template.Resources[stack.getLogicalId(service.node.defaultChild as CfnElement)].Properties.DesiredCount).toBe(7);
    expect(pending(app)).toEqual([]);
  });

  test('GIVEN a synthesis stopped after the checks ran WHEN the stack is rendered outside synthesis THEN it renders its current state', () => {
    const app = strictApp();
    seedWithL2(new Stack(app, 'First', { synthesizer: new FailingOnce() }), false);
    const stack = new Stack(app, 'Second');
    const service = seedWithL2(stack, false);
    Aspects.of(app).add(new ServiceConnectChecks());
    expect(() => app.synth()).toThrow(/disk full/);
    expect(pending(app)).toContain(stack);
    const cfn = service.node.defaultChild as ecs.CfnService;
    cfn.addPropertyOverride('DesiredCount', 7);
    const rendered = (stack as unknown as { _toCloudFormation(): any })._toCloudFormation();
    expect(rendered.Resources[stack.getLogicalId(cfn)].Properties.DesiredCount).toBe(7);
  });

  test('GIVEN a stack whose synthesizer is shared WHEN checked THEN the checks run during validation and still report', () => {
    const app = strictApp();
    const stack = new Stack(app, 'Seed');
    seedWithL2(stack, true);
    Object.freeze(stack.synthesizer);
    expect(findings(app).map((f) => f.rule)).toContain('namespace-by-name');
    expect(pending(app)).toEqual([]);
  });

  test('GIVEN the checks added to a construct inside a stack WHEN synthesized THEN the findings on constructs under it, none elsewhere', () => {
    const app = strictApp();
    const stack = new Stack(app, 'Seed');
    const seed = seedWithL2(stack, true);
    const team = new Construct(stack, 'Team');
    const task = new ecs.FargateTaskDefinition(team, 'Task', { cpu: 256, memoryLimitMiB: 512 });
    task.addContainer('app', { image: TEST_IMAGE, portMappings: [{ name: 'web', containerPort: 80, appProtocol: ecs.AppProtocol.http }] });
    new ecs.FargateService(team, 'Web', {
      cluster: seed.cluster,
      taskDefinition: task,
      serviceConnectConfiguration: { namespace: 'team.internal', services: [{ portMappingName: 'web' }] },
    });
    Aspects.of(team).add(new ServiceConnectChecks());
    const assembly = app.synth();
    const paths = assembly.getStackByName('Seed').messages.filter((m) => /cdk-service-connect:|^\[[a-z-]+\]/.test(String(m.entry.data))).map((m) => m.id);
    // the seed's own mistakes (outside the scope) are not reported
    expect(paths).toEqual(['/Seed/Team/Web']);
  });

  test('GIVEN a Stage inside the app WHEN the app is synthesized with the checks THEN the stage\'s stacks keep no template', () => {
    const app = strictApp();
    const stage = new Stage(app, 'Prod');
    seedWithL2(new Stack(stage, 'Seed'), false);
    seedWithL2(new Stack(app, 'Seed'), false);
    Aspects.of(app).add(new ServiceConnectChecks());
    app.synth();
    expect(pending(app)).toEqual([]);
  });
});

describe('ServiceConnectChecks and stages', () => {
  test('GIVEN a pipeline\'s beta and prod stages, each with the same L2 services WHEN each stage is checked THEN each reports its own mistakes and nothing across stages', () => {
    const app = strictApp();
    for (const name of ['Beta', 'Prod']) {
      const stage = new Stage(app, name);
      seedWithL2(new Stack(stage, 'Seed'), name === 'Beta');
      Aspects.of(stage).add(new ServiceConnectChecks());
    }
    Aspects.of(app).add(new ServiceConnectChecks());
    const assembly = app.synth();
    const rules = (stage: string) => assembly.getNestedAssembly(`assembly-${stage}`).stacks
      .flatMap((st) => st.messages.map((m) => /^\[([a-z0-9-]+)\]|cdk-service-connect:([a-z0-9-]+)/.exec(String(m.entry.data))))
      .flatMap((m) => (m ? [m[1] ?? m[2]] : [])).sort();
    expect(rules('Beta')).toEqual(['metric-dimensions', 'namespace-by-name', 'proxy-headroom', 'proxy-headroom']);
    expect(rules('Prod')).toEqual([]);
  });
});

describe('ServiceConnectChecks on a mix of this library and L2', () => {
  test('GIVEN an L2 service taking a discovery name of the library\'s WHEN checked THEN the L2 service gets the error', () => {
    const app = strictApp();
    const stack = buildSeedApp(app);
    const cluster = (stack.node.findChild('Production') as any).cluster as ecs.Cluster;
    const namespaceArn = (stack.node.findChild('Production') as any).namespace.namespaceArn as string;
    const task = new ecs.FargateTaskDefinition(stack, 'LegacyTask', { cpu: 512, memoryLimitMiB: 1024 });
    task.addContainer('app', { image: TEST_IMAGE, portMappings: [{ name: 'legacy', containerPort: 9090, appProtocol: ecs.AppProtocol.http }] });
    new ecs.FargateService(stack, 'Legacy', {
      cluster,
      taskDefinition: task,
      serviceConnectConfiguration: { namespace: namespaceArn, services: [{ portMappingName: 'legacy', discoveryName: 'payments', port: 9090 }] },
    });
    expect(findings(app)).toEqual([{ level: 'error', rule: 'discovery-name-unique', path: '/ServiceConnectSeed/Legacy' }]);
  });

  test('GIVEN an L2 server whose security group opens the alias port WHEN checked THEN ingress-alias-port on the rule', () => {
    const app = strictApp();
    const stack = new Stack(app, 'Alias');
    const server = seedWithL2(stack, false);
    const cfn = server.node.defaultChild as ecs.CfnService;
    cfn.addPropertyOverride('ServiceConnectConfiguration.Services.0.ClientAliases.0.Port', 80);
    server.connections.allowFrom(ec2.Peer.ipv4('10.0.0.0/16'), ec2.Port.tcp(80));
    expect(findings(app)).toEqual([{ level: 'warning', rule: 'ingress-alias-port', path: '/Alias/Orders/SecurityGroup' }]);
  });
});

describe('ServiceConnectChecks on L1 resources', () => {
  function l1(stack: Stack, portName: string): void {
    const ns = new servicediscovery.CfnHttpNamespace(stack, 'Ns', { name: 'l1.internal' });
    const cluster = new ecs.CfnCluster(stack, 'Cluster', { serviceConnectDefaults: { namespace: ns.attrArn } });
    const task = new ecs.CfnTaskDefinition(stack, 'Task', {
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name: 'app', image: 'public.ecr.aws/example/app:1', portMappings: [{ name: 'api', containerPort: 80, appProtocol: 'http' }] }],
    });
    new ecs.CfnService(stack, 'Api', {
      cluster: cluster.ref,
      taskDefinition: task.ref,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-11111111'] } },
      serviceConnectConfiguration: { enabled: true, services: [{ portName, discoveryName: 'api' }] },
    });
  }

  test('GIVEN a CfnService naming no port mapping WHEN checked THEN port-name-unknown on the CfnService', () => {
    const app = strictApp();
    l1(new Stack(app, 'L1'), 'api-http');
    expect(findings(app)).toEqual([{ level: 'error', rule: 'port-name-unknown', path: '/L1/Api' }]);
  });

  test('GIVEN the port mapping named right WHEN checked THEN nothing', () => {
    const app = strictApp();
    l1(new Stack(app, 'L1'), 'api');
    expect(findings(app)).toEqual([]);
  });
});

describe('ServiceConnectChecks on this library\'s constructs', () => {
  test.each([
    ['seed', (app: App) => buildSeedApp(app)],
    ['cross-stack', (app: App) => buildCrossStackApp(app)],
    ['cross-account', (app: App) => buildCrossAccountApp(app)],
    ['observability', (app: App) => buildObservabilityApp(app)],
    ['progressive-delivery', (app: App) => buildProgressiveDeliveryApp(app)],
    ['many-services', (app: App) => buildManyServicesApp(app)],
  ])('GIVEN the %s example WHEN checked THEN the checks add nothing', (_name, build) => {
    const app = strictApp();
    build(app);
    expect(findings(app)).toEqual([]);
  });

  test('GIVEN a namespace-wide warning the library already gives WHEN checked THEN it is not repeated', () => {
    const app = strictApp();
    const stack = buildSeedApp(app);
    // the seed's client-only worker alone in a namespace of its own: the library warns once
    const { ConnectedFargateService, ServiceConnectCluster } = jest.requireActual('../src');
    const lonely = new ServiceConnectCluster(stack, 'Lonely', { namespaceName: 'lonely.internal' });
    new ConnectedFargateService(stack, 'Alone', { cluster: lonely, image: TEST_IMAGE });
    const got = findings(app).filter((f) => f.rule === 'namespace-without-server');
    expect(got).toEqual([{ level: 'warning', rule: 'namespace-without-server', path: '/ServiceConnectSeed/Lonely' }]);
  });
});
