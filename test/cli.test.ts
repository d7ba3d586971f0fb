import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as appmesh from 'aws-cdk-lib/aws-appmesh';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { cli, strictApp } from './helpers';

const REPO = path.resolve(__dirname, '..');
/** Remove generated dirs that a crashed earlier run left behind (older than an hour: never a concurrent run's). */
for (const stale of fs.readdirSync(__dirname).filter((d) => d.startsWith('.generated-'))) {
  const dir = path.join(__dirname, stale);
  if (Date.now() - fs.statSync(dir).mtimeMs > 3_600_000) fs.rmSync(dir, { recursive: true, force: true });
}
/** Inputs live in the system temp dir; generated apps next to the tests so that they resolve aws-cdk-lib and src/. */
const inputs = fs.mkdtempSync(path.join(os.tmpdir(), 'sc-cli-'));
const outputs = fs.mkdtempSync(path.join(__dirname, '.generated-cli-'));
afterAll(() => {
  fs.rmSync(inputs, { recursive: true, force: true });
  fs.rmSync(outputs, { recursive: true, force: true });
});

function input(name: string, text: string): string {
  const file = path.join(inputs, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

/** A small App Mesh application synthesized by aws-cdk-lib: a weighted router, a retry policy, a gateway and an Envoy task. */
function meshTemplate(): string {
  const app = new App();
  const stack = new Stack(app, 'Mesh');
  const mesh = new appmesh.Mesh(stack, 'Mesh', { meshName: 'demo' });
  const blue = mesh.addVirtualNode('Blue', {
    virtualNodeName: 'api-blue',
    serviceDiscovery: appmesh.ServiceDiscovery.dns('api-blue.demo.local'),
    listeners: [appmesh.VirtualNodeListener.http({ port: 8080 })],
  });
  const green = mesh.addVirtualNode('Green', {
    virtualNodeName: 'api-green',
    serviceDiscovery: appmesh.ServiceDiscovery.dns('api-green.demo.local'),
    listeners: [appmesh.VirtualNodeListener.http({ port: 8080 })],
  });
  const router = mesh.addVirtualRouter('Router', { listeners: [appmesh.VirtualRouterListener.http(8080)] });
  router.addRoute('Split', {
    routeSpec: appmesh.RouteSpec.http({
      weightedTargets: [{ virtualNode: blue, weight: 80 }, { virtualNode: green, weight: 20 }],
      retryPolicy: { retryAttempts: 2, retryTimeout: Duration.seconds(1), httpRetryEvents: [appmesh.HttpRetryEvent.GATEWAY_ERROR] },
    }),
  });
  const api = new appmesh.VirtualService(stack, 'Api', {
    virtualServiceName: 'api.demo.local', virtualServiceProvider: appmesh.VirtualServiceProvider.virtualRouter(router),
  });
  const web = mesh.addVirtualNode('Web', {
    virtualNodeName: 'web',
    serviceDiscovery: appmesh.ServiceDiscovery.dns('web.demo.local'),
    listeners: [appmesh.VirtualNodeListener.http({ port: 3000 })],
    backends: [appmesh.Backend.virtualService(api)],
  });
  mesh.addVirtualGateway('Gateway', { listeners: [appmesh.VirtualGatewayListener.http({ port: 80 })] });
  const task = new ecs.FargateTaskDefinition(stack, 'WebTask', {
    cpu: 512,
    memoryLimitMiB: 1024,
    proxyConfiguration: new ecs.AppMeshProxyConfiguration({
      containerName: 'envoy', properties: { appPorts: [3000], proxyEgressPort: 15001, proxyIngressPort: 15000, ignoredUID: 1337 },
    }),
  });
  task.addContainer('web', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/web:1'), cpu: 256, memoryLimitMiB: 512, portMappings: [{ containerPort: 3000 }] });
  task.addContainer('envoy', {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.6.0-prod'),
    cpu: 256,
    memoryLimitMiB: 512,
    environment: { APPMESH_RESOURCE_ARN: web.virtualNodeArn },
  });
  Validations.of(app).acknowledge({ id: 'CloudFormation-Validate::W3696', reason: 'the App Mesh application being migrated' });
  return JSON.stringify(app.synth().getStackByName(stack.stackName).template);
}

describe('migrate-appmesh', () => {
  const template = input('mesh.template.json', meshTemplate());

  test('prints a report naming every node, every unsupported feature and the sidecar to remove, and writes an app that synthesizes', () => {
    // GIVEN an aws-cdk-lib-synthesized App Mesh template
    const out = path.join(outputs, 'app.ts');
    // WHEN the CLI converts it with --out (importing the library from this repository)
    const r = cli('migrate-appmesh', template, '--out', out, '--import', path.relative(outputs, path.join(REPO, 'src')));
    // THEN it succeeds with a report and the app
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    for (const node of ['api-blue', 'api-green', 'web']) expect(r.stdout).toContain(node);
    for (const code of ['weighted-route', 'retry-policy', 'virtual-gateway', 'standalone-task']) expect(r.stdout).toContain(`[${code}]`);
    expect(r.stdout).toMatch(/Envoy container "envoy" .*ProxyConfiguration of type APPMESH from task definition WebTask/s);
    expect(r.stdout).toContain(`Wrote the CDK app to ${out}`);

    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(out);
    const app = strictApp();
    const stack: Stack = new mod.DemoServiceConnect(app, 'Demo');
    app.synth();
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::ECS::Service', 3);
    t.hasResourceProperties('AWS::ECS::Service', {
      ServiceConnectConfiguration: { Services: [{ PortName: 'api-blue-http', DiscoveryName: 'api-blue', ClientAliases: [{ DnsName: 'api.demo.local', Port: 8080 }] }] },
    });
  });

  test('--json prints the plan as JSON', () => {
    const r = cli('migrate-appmesh', template, '--json');
    expect(r.status).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.services.map((s: { id: string }) => s.id)).toEqual(['ApiBlue', 'ApiGreen', 'Web']);
    expect(plan.deploymentOrder).toEqual(['ApiBlue', 'ApiGreen', 'Web']);
  });

  test('--namespace and --stack-name', () => {
    const out = path.join(outputs, 'named.ts');
    const r = cli('migrate-appmesh', template, '--namespace=prod.internal', '--stack-name', 'Moved', '--out', out);
    expect(r.status).toBe(0);
    const code = fs.readFileSync(out, 'utf8');
    expect(code).toContain("namespaceName: 'prod.internal'");
    expect(code).toContain('export class Moved extends Stack');
    expect(code).toContain("from 'cdk-service-connect'");
  });

  test('reads YAML templates', () => {
    const yaml = input('mesh.yaml', [
      'Resources:',
      '  Node:',
      '    Type: AWS::AppMesh::VirtualNode',
      '    Properties:',
      '      MeshName: !Ref AWS::StackName',
      '      VirtualNodeName: !Sub "${AWS::NoValue}solo"',
      '      Spec:',
      '        Listeners: [{ PortMapping: { Port: 80, Protocol: http } }]',
    ].join('\n'));
    const r = cli('migrate-appmesh', yaml);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Solo ← AWS::AppMesh::VirtualNode solo');
  });
});

describe('errors: one readable line on stderr, non-zero exit, no stack trace', () => {
  const bucket = input('bucket.json', JSON.stringify({ Resources: { B: { Type: 'AWS::S3::Bucket' } } }));
  const broken = input('broken.json', '{ "Resources": ');
  const badShape = input('shape.json', JSON.stringify({
    Resources: { N: { Type: 'AWS::AppMesh::VirtualNode', Properties: { Spec: { Listeners: [{ PortMapping: { Port: 80, Protocol: 'udp' } }] } } } },
  }));

  test.each([
    [['migrate-appmesh', path.join(inputs, 'missing.json')], 1, /^cdk-service-connect: cannot read .*missing\.json: no such file\.\n$/],
    [['migrate-appmesh', inputs], 1, /it is a directory/],
    [['migrate-appmesh', bucket, path.join(inputs, 'b.json')], 1, /cannot read .*b\.json: no such file/],
    [['migrate-appmesh', bucket], 1, /^cdk-service-connect: bucket\.json is not an App Mesh template: .*AWS::S3::Bucket\)\.\n$/],
    [['migrate-appmesh', broken], 1, /broken\.json is not valid JSON/],
    [['migrate-appmesh', badShape], 1, /protocol "udp"/],
    [['migrate-copilot', bucket], 1, /is not a Copilot manifest/],
  ])('%j', (argv, status, message) => {
    const r = cli(...argv);
    expect(r.status).toBe(status);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test.each([
    [[]],
    [['frobnicate']],
    [['migrate-appmesh']],
    [['migrate-appmesh', 'a.json', '--parameter', 'NoEquals']],
    [['migrate-appmesh', 'a.json', '--out']],
    [['migrate-appmesh', 'a.json', '--bogus']],
    [['migrate-copilot']],
  ])('usage error %j exits 2 with the usage', (argv) => {
    const r = cli(...argv);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^cdk-service-connect: .+\n\nUsage:/);
  });

  test('--debug adds the stack trace', () => {
    const r = cli('migrate-appmesh', bucket, '--debug');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/\n\s+at /);
  });

  test('--help prints the usage and exits 0', () => {
    const r = cli('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('migrate-appmesh <template.json|template.yaml> [--out <app.ts>]');
  });

  test('an unwritable --out is an error', () => {
    const r = cli('migrate-appmesh', input('ok.json', JSON.stringify({
      Resources: { N: { Type: 'AWS::AppMesh::VirtualNode', Properties: { Spec: { Listeners: [{ PortMapping: { Port: 80, Protocol: 'http' } }] } } } },
    })), '--out', path.join(bucket, 'app.ts'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^cdk-service-connect: cannot write .*app\.ts: (ENOTDIR|EEXIST)/);
  });
});

describe('migrate-copilot', () => {
  test('converts manifests', () => {
    const manifest = input('copilot/api/manifest.yml', 'name: api\ntype: Backend Service\nimage:\n  location: example/api:1\n  port: 8080\nnetwork:\n  connect: true\n');
    const r = cli('migrate-copilot', manifest, '--app', 'shop', '--env', 'test');
    expect(r.status).toBe(0);
    // Copilot's own Service Connect names (<svc>-sc) and protocol (TCP: it set no appProtocol)
    expect(r.stdout).toContain('port target: container 8080/tcp, discoveryName api-sc, dnsName api → tcp://api:8080');
    expect(r.stdout).toContain('Namespace: test.shop.sc.internal');
  });
});

describe('the executable', () => {
  // The real entry point in a child process (through ts-node, as lib/ may not be built): exit status and streams.
  const node = (...args: string[]) => spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(REPO, 'src/cli/main.ts'), ...args], {
    cwd: REPO, encoding: 'utf8', timeout: 120_000,
  });

  test('starts with a node shebang', () => {
    expect(fs.readFileSync(path.join(REPO, 'src/cli/main.ts'), 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  test('exits 1 with one line for a missing file, 0 for a template', () => {
    const bad = node('migrate-appmesh', path.join(inputs, 'nope.json'));
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^cdk-service-connect: cannot read .*nope\.json: no such file\.$/)]);
    const good = node('migrate-appmesh', path.join(inputs, 'mesh.template.json'));
    expect(good.status).toBe(0);
    expect(good.stdout).toContain('App Mesh → ECS Service Connect migration plan: mesh.template.json');
  });
});
