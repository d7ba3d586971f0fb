import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import '@microsoft/jest-sarif';
import { App, NestedStack, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { buildCrossAccountApp } from '../../examples/cross-account/app';
import { buildCrossStackApp } from '../../examples/cross-stack/app';
import { buildManyServicesApp } from '../../examples/many-services/app';
import { buildObservabilityApp } from '../../examples/observability/app';
import { buildProgressiveDeliveryApp } from '../../examples/progressive-delivery/app';
import { buildSeedApp } from '../../examples/seed/app';
import { cli } from '../helpers';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'lint');
const fixture = (name: string) => path.join(FIXTURES, name);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sc-lint-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('lint: exit status and formats', () => {
  test('GIVEN a template with an error WHEN linted THEN exit 1 and each finding names template, logical id, property, rule, value and fix', () => {
    const { status, stdout } = cli('lint', fixture('seed-mistakes.yaml'));
    expect(status).toBe(1);
    expect(stdout).toContain(`${fixture('seed-mistakes.yaml')} Cluster ServiceConnectDefaults.Namespace: error [namespace-arn] "production.internal": `);
    expect(stdout).toMatch(/Fix: create the namespace as a resource/);
    expect(stdout).toMatch(/1 error, 3 warnings in 1 template \(1 Service Connect service\)\.\n$/);
  });

  test('GIVEN warnings only WHEN linted THEN exit 0', () => {
    const { status, stdout } = cli('lint', fixture('client-only.yaml'));
    expect(status).toBe(0);
    expect(stdout).toContain('warning [namespace-without-server]');
  });

  test('GIVEN a clean template WHEN linted THEN exit 0 and a summary only', () => {
    expect(cli('lint', fixture('clean.yaml'))).toEqual({ status: 0, stdout: '0 errors, 0 warnings in 1 template (2 Service Connect services).\n', stderr: '' });
  });

  test('GIVEN --format json WHEN linted THEN the findings and a summary as JSON', () => {
    const { status, stdout } = cli('lint', fixture('service-mistakes.yaml'), '--format', 'json');
    expect(status).toBe(1);
    const doc = JSON.parse(stdout);
    expect(doc.summary).toEqual({ errors: 10, warnings: 1, templates: 1, services: 6 });
    expect(doc.findings[0]).toEqual({
      file: fixture('service-mistakes.yaml'),
      template: fixture('service-mistakes.yaml'),
      logicalId: 'Api',
      path: 'ServiceConnectConfiguration.Services[0].PortName',
      rule: 'port-name-unknown',
      level: 'error',
      value: 'api-http',
      message: expect.stringContaining('has a port mapping of that name (it has "api")'),
      fix: expect.stringContaining('name a port mapping'),
    });
  });

  test('GIVEN --format=sarif WHEN linted THEN a valid SARIF 2.1.0 log with a result per finding, at its line', () => {
    const { status, stdout } = cli('lint', fixture('seed-mistakes.yaml'), fixture('clean.yaml'), '--format=sarif');
    expect(status).toBe(1);
    const log = JSON.parse(stdout);
    // the whole SARIF 2.1.0 JSON schema (OASIS), not a subset of it
    expect(log).toBeValidSarifLog();
    const results = log.runs[0].results;
    expect(results.map((r: any) => r.ruleId)).toEqual(['metric-dimensions', 'namespace-arn', 'metric-dimensions', 'proxy-headroom']);
    const clusterLine = fs.readFileSync(fixture('seed-mistakes.yaml'), 'utf8').split('\n').indexOf('  Cluster:') + 1;
    expect(results[1]).toMatchObject({
      level: 'error',
      locations: [{
        physicalLocation: { artifactLocation: { uri: path.relative(process.cwd(), fixture('seed-mistakes.yaml')) }, region: { startLine: clusterLine } },
        logicalLocations: [{ name: 'Cluster', fullyQualifiedName: 'Cluster.ServiceConnectDefaults.Namespace' }],
      }],
    });
  });

  test('GIVEN a YAML template whose role policy has a key named like a resource WHEN linted as SARIF THEN the result is at the resource\'s line', () => {
    const file = fixture('workload-by-name.yaml');
    const { stdout } = cli('lint', file, '--format', 'sarif');
    const line = fs.readFileSync(file, 'utf8').split('\n').indexOf('  Service:') + 1;
    const results = JSON.parse(stdout).runs[0].results;
    expect(results.map((r: any) => `${r.ruleId} ${r.locations[0].physicalLocation.region.startLine}`)).toEqual([`namespace-by-name ${line}`]);
  });

  test('GIVEN a broken SARIF log WHEN validated THEN the schema rejects it (the validation is not vacuous)', () => {
    const { stdout } = cli('lint', fixture('seed-mistakes.yaml'), '--format=sarif');
    const log = JSON.parse(stdout);
    expect(log).toBeValidSarifLog();
    expect({ ...log, version: '2.0.0' }).not.toBeValidSarifLog();
    expect({ ...log, runs: [{ ...log.runs[0], results: [{ ...log.runs[0].results[0], level: 'fatal' }] }] }).not.toBeValidSarifLog();
    expect({ ...log, runs: [{ ...log.runs[0], tool: { driver: {} } }] }).not.toBeValidSarifLog();
  });

  test('GIVEN --baseline WHEN the service would be replaced THEN exit 1 with replacement-hazard and app-protocol-changed', () => {
    const { status, stdout } = cli('lint', fixture('baseline-new.yaml'), '--baseline', fixture('baseline-old.yaml'));
    expect(status).toBe(1);
    expect(stdout).toContain('Payments ServiceName: error [replacement-hazard] "payments -> payments-v2"');
    expect(stdout).toContain('error [app-protocol-changed] "http -> grpc"');
    expect(cli('lint', fixture('baseline-new.yaml')).status).toBe(0);
  });

  test('GIVEN the deployed version as aws cloudformation get-template prints it WHEN linted with --baseline THEN the same findings', () => {
    const deployed = path.join(tmp, 'get-template.json');
    fs.writeFileSync(deployed, JSON.stringify({ TemplateBody: fs.readFileSync(fixture('baseline-old.yaml'), 'utf8'), StagesAvailable: ['Original', 'Processed'] }));
    const { status, stdout } = cli('lint', fixture('baseline-new.yaml'), '--baseline', deployed);
    expect(status).toBe(1);
    expect(stdout).toContain('Payments ServiceName: error [replacement-hazard] "payments -> payments-v2"');
  });

  test('GIVEN several templates in the new and the old version WHEN linted with --baseline THEN they are matched by file name', () => {
    const version = (name: string, app: string) => {
      const dir = fs.mkdtempSync(path.join(tmp, `${name}-`));
      fs.copyFileSync(fixture(app), path.join(dir, 'payments.yaml'));
      fs.copyFileSync(fixture('clean.yaml'), path.join(dir, 'shop.yaml'));
      return dir;
    };
    const [now, deployed] = [version('new', 'baseline-new.yaml'), version('old', 'baseline-old.yaml')];
    const { status, stdout } = cli('lint', path.join(now, 'payments.yaml'), path.join(now, 'shop.yaml'), '--baseline', path.join(deployed, 'payments.yaml'), '--format', 'json');
    expect(status).toBe(1);
    expect(JSON.parse(stdout).findings.map((f: any) => `${f.rule} ${f.logicalId}`)).toEqual(['replacement-hazard Payments', 'app-protocol-changed Task']);
  });

  test.each([
    [['lint'], 2, /lint needs a cloud assembly directory/],
    [['lint', fixture('clean.yaml'), '--format', 'xml'], 2, /--format is one of text, json, sarif/],
    [['lint', fixture('clean.yaml'), '--nope'], 2, /unknown option --nope/],
    [['lint', '/no/such/file.yaml'], 1, /cannot read \/no\/such\/file.yaml/],
    [['lint', FIXTURES.replace(/lint$/, 'nothing-here')], 1, /cannot read/],
  ])('GIVEN %j WHEN run THEN exit %d with a clear message', (argv, status, message) => {
    const r = cli(...(argv as string[]));
    expect(r.status).toBe(status);
    expect(r.stderr).toMatch(message);
  });

  test('GIVEN a directory with no template WHEN linted THEN exit 1', () => {
    const empty = fs.mkdtempSync(path.join(tmp, 'empty-'));
    expect(cli('lint', empty)).toMatchObject({ status: 1, stderr: expect.stringMatching(/holds no \*\.template\.json/) });
  });

  test('GIVEN --help WHEN run THEN the usage and exit 0', () => {
    expect(cli('lint', '--help')).toMatchObject({ status: 0, stdout: expect.stringContaining('--baseline <old cdk.out|template>') });
  });
});

describe('lint: nested stacks', () => {
  test('GIVEN a cloud assembly whose nested stacks get the namespace ARN from their parent WHEN linted THEN one namespace: the second owner of a name is an error', () => {
    // a cloud assembly names a nested template in the parent's TemplateURL only by its published object key (<hash>.json)
    const out = path.join(tmp, 'nested');
    const app = new App({ outdir: out });
    const parent = new Stack(app, 'Parent');
    const namespace = new servicediscovery.HttpNamespace(parent, 'Ns', { name: 'nested.internal' });
    const cluster = new ecs.Cluster(parent, 'Cluster', { vpc: new ec2.Vpc(parent, 'Vpc', { maxAzs: 2, natGateways: 0 }) });
    for (const team of ['TeamA', 'TeamB']) {
      const nested = new NestedStack(parent, team);
      const task = new ecs.FargateTaskDefinition(nested, 'Task', { cpu: 256, memoryLimitMiB: 512 });
      task.addContainer('app', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/orders:1'), portMappings: [{ name: 'api', containerPort: 8080, appProtocol: ecs.AppProtocol.http }] });
      new ecs.FargateService(nested, 'Orders', {
        cluster,
        taskDefinition: task,
        serviceConnectConfiguration: { namespace: namespace.namespaceArn, services: [{ portMappingName: 'api', discoveryName: 'orders' }] },
      });
    }
    app.synth();
    const { status, stdout } = cli('lint', out, '--format', 'json');
    expect(status).toBe(1);
    expect(JSON.parse(stdout).findings.map((f: any) => `${f.rule} ${f.template.replace(/[0-9A-F]{8}(?=\.nested)/, '')}`)).toEqual([
      'client-alias-unique ParentTeamB.nested.template.json',
      'discovery-name-unique ParentTeamB.nested.template.json',
    ]);
  });

  test('GIVEN a parent passing the namespace and an output to nested templates by a literal TemplateURL, and a SAM function WHEN linted THEN the nested templates see both', () => {
    const { stdout } = cli('lint', fixture('nested-parent.yaml'), fixture('nested-orders.yaml'), fixture('nested-orders-v2.yaml'), '--format', 'json');
    expect(JSON.parse(stdout).findings.map((f: any) => `${f.rule} ${path.basename(f.template)}:${f.logicalId}`)).toEqual([
      'discovery-name-unique nested-orders-v2.yaml:Service',
      // the parent passes the first nested stack's output TaskMemory (1080), not the default
      'sizing-invalid nested-orders-v2.yaml:Task',
      'proxy-headroom nested-orders.yaml:Task',
    ]);
  });

  test('GIVEN the nested templates without their parent WHEN linted THEN their namespace is unknown, and nothing is guessed', () => {
    const { stdout } = cli('lint', fixture('nested-orders.yaml'), fixture('nested-orders-v2.yaml'), '--format', 'json');
    expect(JSON.parse(stdout).findings.map((f: any) => f.rule)).toEqual(['proxy-headroom', 'proxy-headroom']);
  });
});

describe('every example of this repository lints clean', () => {
  test.each([
    ['seed', (app: App) => { buildSeedApp(app); }],
    ['cross-stack', (app: App) => { buildCrossStackApp(app); }],
    ['cross-account', (app: App) => { buildCrossAccountApp(app); }],
    ['observability', (app: App) => { buildObservabilityApp(app); }],
    ['progressive-delivery', (app: App) => { buildProgressiveDeliveryApp(app); }],
    ['many-services', (app: App) => { buildManyServicesApp(app); }],
  ])('GIVEN the %s example synthesized to a cdk.out WHEN linted THEN exit 0 with no finding', (name, build) => {
    const outdir = path.join(tmp, name);
    const app = new App({ outdir });
    build(app);
    app.synth();
    const { status, stdout } = cli('lint', outdir);
    expect(stdout).toMatch(/^0 errors, 0 warnings in \d+ templates? \(\d+ Service Connect services?\)\.\n$/);
    expect(status).toBe(0);
  });
});
