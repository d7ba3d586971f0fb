import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, NestedStack, Stack, Stage } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { buildCrossStackApp } from '../../examples/cross-stack/app';
import { buildSeedApp } from '../../examples/seed/app';
import { cli } from '../helpers';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'lint');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sc-graph-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('graph', () => {
  const seed = path.join(tmp, 'seed');
  beforeAll(() => {
    // as `cdk synth` does: the templates carry each resource's construct path
    const app = new App({ outdir: seed, context: { 'aws:cdk:enable-path-metadata': true } });
    buildSeedApp(app);
    app.synth();
  });

  test('GIVEN the seed example WHEN drawn as Mermaid THEN the README shows exactly this graph', () => {
    const { status, stdout } = cli('graph', seed);
    expect(status).toBe(0);
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const block = /<!-- seed-graph:start -->\n```mermaid\n([\s\S]*?)```\n<!-- seed-graph:end -->/.exec(readme);
    expect(block?.[1]).toEqual(stdout);
  });

  test('GIVEN the seed example WHEN drawn as JSON THEN services with ports and aliases, and the calls connectTo wired', () => {
    const graph = JSON.parse(cli('graph', seed, '--format', 'json').stdout);
    const label = (id: string) => graph.services.find((s: any) => s.id === id).label;
    expect(graph.services.map((s: any) => [s.label.replace(/Service[0-9A-F]+$/, ''), s.ports.map((p: any) => `${p.name} ${p.protocol} ${p.alias}`)])).toEqual([
      ['Payments', ['payments-http http payments:8080']],
      ['Orders', ['orders-http http orders:8080']],
      ['Worker', []],
    ]);
    expect(graph.services.every((s: any) => s.namespace === 'production.internal' && s.stack === 'ServiceConnectSeed')).toBe(true);
    expect(graph.calls.map((c: any) => `${label(c.from).slice(0, 6)}->${label(c.to).slice(0, 8)} ${c.port} ${c.via.join(',')}`).sort()).toEqual([
      'Orders->Payments payments-http env PAYMENTS_URL,security group',
      'Worker->Payments payments-http env PAYMENTS_URL,security group',
    ]);
  });

  test('GIVEN hand-written templates WHEN drawn as DOT THEN a cluster per stack and cluster, and the security-group call', () => {
    const { status, stdout } = cli('graph', path.join(FIXTURES, 'clean.yaml'), '--format=dot');
    expect(status).toBe(0);
    expect(stdout).toMatch(/^digraph service_connect \{/);
    expect(stdout).toContain('label="clean / cluster Cluster, namespace shop.internal";');
    expect(stdout).toContain('"test/fixtures/lint/clean.yaml:Api" [label="Api\\napi-http (http, api:80)"];'.replace('test/fixtures/lint/clean.yaml', path.join(FIXTURES, 'clean.yaml')));
    expect(stdout).toMatch(/:Client" -> ".*:Api" \[label="api:80"\];/);
  });

  test('GIVEN a keyword, quotes, angle brackets and a hash in names WHEN drawn as Mermaid THEN escaped, and ids Mermaid does not read as keywords', () => {
    const { status, stdout } = cli('graph', path.join(FIXTURES, 'odd-names.json'));
    expect(status).toBe(0);
    expect(stdout).toEqual([
      'flowchart LR',
      '  subgraph g0["odd-names / cluster team#lt;a#gt;, namespace ns-0123456789abcdef"]',
      '    svc_end["end<br/>api (http, end:80)"]',
      '    say__hi___1["say #quot;hi#quot; #35;1<br/>api (http)"]',
      '  end',
      '  subgraph g1["odd-names / cluster !ImportValue shop-ClusterName, namespace ns-0123456789abcdef"]',
      '    OrdersService["OrdersService<br/>api (http)"]',
      '  end',
      '',
    ].join('\n'));
  });

  test('GIVEN the same names WHEN drawn as DOT THEN quoted strings with escaped quotes', () => {
    const { stdout } = cli('graph', path.join(FIXTURES, 'odd-names.json'), '--format', 'dot');
    expect(stdout).toContain('label="odd-names / cluster team<a>, namespace ns-0123456789abcdef";');
    expect(stdout).toContain(':Quoted" [label="say \\"hi\\" #1\\napi (http)"];');
    // a CDK logical id without path metadata is shown without its hash
    expect(stdout).toContain(':OrdersServiceA1B2C3D4" [label="OrdersService\\napi (http)"];');
  });

  test('GIVEN services naming their cluster by name or ARN WHEN drawn THEN they are in the cluster resource\'s group', () => {
    const { stdout } = cli('graph', path.join(FIXTURES, 'cluster-by-name.yaml'));
    expect(stdout).toContain('  subgraph g0["cluster-by-name / cluster Cluster, namespace shop.internal"]\n    ByName["ByName<br/>http (http)"]\n    ByArn["ByArn<br/>http (http)"]\n  end\n');
  });

  test('GIVEN services in nested stacks of a cloud assembly WHEN drawn THEN grouped as nested stacks, in their parent\'s namespace', () => {
    const out = path.join(tmp, 'nested');
    const app = new App({ outdir: out });
    const parent = new Stack(app, 'Parent');
    const ns = new servicediscovery.HttpNamespace(parent, 'Ns', { name: 'nested.internal' });
    const cluster = new ecs.Cluster(parent, 'Cluster', { vpc: new ec2.Vpc(parent, 'Vpc', { maxAzs: 2, natGateways: 0 }) });
    const task = new ecs.FargateTaskDefinition(new NestedStack(parent, 'Team'), 'Task', { cpu: 256, memoryLimitMiB: 512 });
    task.addContainer('app', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/orders:1'), portMappings: [{ name: 'api', containerPort: 8080, appProtocol: ecs.AppProtocol.http }] });
    new ecs.FargateService(task.stack, 'Orders', { cluster, taskDefinition: task, serviceConnectConfiguration: { namespace: ns.namespaceArn, services: [{ portMappingName: 'api' }] } });
    app.synth();
    expect(cli('graph', out).stdout).toEqual([
      'flowchart LR',
      '  subgraph g0["ParentTeam (nested) / cluster Parent:Cluster, namespace nested.internal"]',
      '    OrdersService["OrdersService<br/>api (http, api.nested.internal:8080)"]',
      '  end',
      '',
    ].join('\n'));
  });

  test('GIVEN a pipeline\'s beta and prod stages of one app WHEN drawn THEN every call stays in its own stage, and lint finds nothing', () => {
    // each stage exports and imports the same names and registers the same aliases
    const out = path.join(tmp, 'stages');
    const app = new App({ outdir: out });
    buildCrossStackApp(new Stage(app, 'Beta'));
    buildCrossStackApp(new Stage(app, 'Prod'));
    app.synth();
    const graph = JSON.parse(cli('graph', out, '--format', 'json').stdout);
    const stageOf = (id: string) => id.split('/')[0];
    expect(graph.calls.length).toBe(4);
    for (const call of graph.calls) expect(stageOf(call.to)).toBe(stageOf(call.from));
    expect(cli('lint', out)).toMatchObject({ status: 0, stdout: expect.stringContaining('0 errors, 0 warnings in 8 templates') });
  });

  test('GIVEN a bad format WHEN run THEN exit 2', () => {
    expect(cli('graph', seed, '--format', 'png')).toMatchObject({ status: 2, stderr: expect.stringContaining('mermaid, dot, json') });
  });
});
