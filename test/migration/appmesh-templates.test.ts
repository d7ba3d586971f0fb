import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Template } from 'aws-cdk-lib/assertions';
import { synthesize, typeCheck, writeGeneratedApp } from './generated-app';
import { run } from '../../src/cli/main';
import type { MigrationPlan } from '../../src/migration';
import { AppMeshMigration, FindingSeverity, MigratedSecretSource, MigratedValueKind } from '../../src/migration';
import { FINDING_CODES } from '../../src/migration/findings';

// Fixtures under fixtures/appmesh/ reproduce the shapes of real App Mesh templates (parameterised
// names, split mesh/app stacks joined by exports, egress nodes, prioritised and weighted routes on
// a router port of their own, callers outside the mesh, containers without CPU/memory, the
// template's own ECR repository and secret). They were written for these tests.

const FIXTURES = path.join(__dirname, 'fixtures', 'appmesh');
const read = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');
const SPLIT = [
  { text: read('split/mesh.yaml'), fileName: 'mesh.yaml' },
  { text: read('split/app.yaml'), fileName: 'app.yaml' },
];

for (const stale of fs.readdirSync(__dirname).filter((d) => d.startsWith('.generated-'))) {
  const dir = path.join(__dirname, stale);
  if (Date.now() - fs.statSync(dir).mtimeMs > 3_600_000) fs.rmSync(dir, { recursive: true, force: true });
}
const workDir = fs.mkdtempSync(path.join(__dirname, '.generated-'));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));
const generated: string[] = [];

/** No internal placeholder of the converter anywhere in what it hands out. */
function expectNoInternalPlaceholder(plan: MigrationPlan): void {
  const outputs = [JSON.stringify(plan), plan.toReport(), plan.toCdkApp()];
  for (const text of outputs) expect(text).not.toMatch(/\$\{(Param|Import|Ref|GetAtt):/);
}

/** cfn-lint, with its default settings, on a synthesized template: the second, independent validator. */
function cfnLint(t: Template): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sc-lint-')), 'template.json');
  fs.writeFileSync(file, JSON.stringify(t.toJSON()));
  const r = spawnSync('cfn-lint', ['--', file], { encoding: 'utf8', timeout: 180_000 });
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') return '';
  return `${r.stdout}${r.stderr}`.trim();
}

describe('a split application: the mesh in one template, the ECS services in another', () => {
  // GIVEN mesh.yaml (parameter-named nodes and virtual services, an export) and app.yaml (tasks, an import, ECR, a secret)
  // WHEN both are converted together, without a value for the ProjectName parameter
  const plan = AppMeshMigration.fromTemplates(SPLIT);
  const report = plan.toReport();
  const byId = (id: string) => plan.services.find((s) => s.id === id)!;

  test('names come from the node names without the parameter part; aliases keep the parameter', () => {
    expect(plan.services.map((s) => s.id)).toEqual(['Palette', 'Storefront', 'Mixer']);
    expect(byId('Palette').ports).toEqual([expect.objectContaining({
      name: 'palette-http', containerPort: 9080, discoveryName: 'palette', dnsName: 'palette.${ProjectName}.local', clientPort: 9080,
    })]);
    expect(byId('Storefront').ports[0]).toMatchObject({ discoveryName: 'storefront', dnsName: 'storefront.${ProjectName}.local', clientPort: 8080 });
    expect(plan.namespaceName).toBe('${ProjectName}.local');
    expect(plan.stackName).toBe('MeshServiceConnect');
    expect(plan.values).toEqual([{ name: 'ProjectName', kind: MigratedValueKind.PARAMETER, description: 'Name shared by every stack of the project' }]);
    expect(plan.findingsOf('alias-invalid')).toEqual([]);
  });

  test('the app template\'s tasks are joined to the mesh\'s nodes through the import of the mesh name', () => {
    expect(byId('Storefront')).toMatchObject({ image: 'public.ecr.aws/example/storefront:4.2', desiredCount: 3 });
    expect(byId('Storefront').environment).toEqual({
      PORT: '8080', PALETTE_HOST: 'palette.${ProjectName}.local:9080', STACK: '${AWS::StackName}',
    });
    expect(plan.findingsOf('no-task-definition')).toEqual([]);
    expect(plan.findingsOf('template-without-nodes')[0].subject).toBe('app.yaml');
  });

  test('the image of the template\'s ECR repository and its Secrets Manager secret are references, not "add by hand"', () => {
    expect(byId('Palette')).toMatchObject({ ecrRepository: '${ProjectName}/palette', imageTag: 'v7', image: undefined });
    expect(byId('Palette').secrets).toEqual([{
      name: 'DB_PASSWORD', source: MigratedSecretSource.SECRETS_MANAGER, reference: '${ProjectName}/palette-db', jsonField: 'password',
    }]);
    expect(plan.findingsOf('secret-unresolved')).toEqual([]);
    expect(plan.findingsOf('image-unresolved')).toEqual([]);
    expect(report).toContain('image: ECR repository ${ProjectName}/palette, tag v7');
  });

  test('containers without CPU/memory: the task keeps its size, or the report says why the price changes', () => {
    // 1024/2048: the Envoy's share goes to the Service Connect proxy, the task keeps its size.
    expect(byId('Palette').sizing).toMatchObject({ taskCpu: 1024, taskMemoryMiB: 2048, appCpu: 768, appMemoryMiB: 1984, previousTaskCpu: 1024 });
    // 256/512 cannot hold the proxy's 256 CPU units next to an app: the task grows and a finding says why.
    expect(byId('Storefront').sizing).toMatchObject({ taskCpu: 512, taskMemoryMiB: 1024, appCpu: 256, appMemoryMiB: 512, previousTaskCpu: 256 });
    const [size] = plan.findingsOf('task-size');
    expect(plan.findingsOf('task-size')).toHaveLength(1);
    expect(size.subject).toContain('StorefrontTask');
    expect(size.detail).toMatch(/shared the 256 CPU \/ 512 MiB task.*512 CPU \/ 1024 MiB: \$0\.0247\/h per task instead of \$0\.0123\/h/s);
    expect(report).not.toMatch(/frees 0 CPU/);
  });

  test('an ECS service outside the mesh that calls a mesh name becomes a client-only service with connectTo', () => {
    expect(byId('Mixer')).toMatchObject({ ports: [], sourceKind: 'AWS::ECS::Service', image: 'public.ecr.aws/example/mixer:1' });
    expect(plan.connections.map((c) => `${c.client}->${c.server} ${c.url} ${c.environmentVariable}`)).toEqual([
      'Storefront->Palette http://palette.${ProjectName}.local:9080 PALETTE_LOCAL_URL',
      'Mixer->Palette http://palette.${ProjectName}.local:9080 PALETTE_LOCAL_URL',
    ]);
    expect(plan.findingsOf('caller-outside-mesh')[0].detail).toContain('palette.${ProjectName}.local:9080');
  });

  test('the Cloud Map registration a remaining caller (a Lambda function) resolves is kept', () => {
    const removals = plan.removals.join('\n');
    expect(removals).toMatch(/Keep the Cloud Map registration \(ServiceRegistries\) of ECS service PaletteEcsService \(palette\): AWS::Lambda::Function ReportFunction still resolves/);
    expect(removals).not.toMatch(/^Cloud Map registration .*PaletteEcsService/m);
  });

  test('no internal placeholder leaves the converter', () => {
    expectNoInternalPlaceholder(plan);
  });

  test('the generated app keeps the parameter as a stack prop or CfnParameter, type-checks and synthesizes cleanly', () => {
    const file = writeGeneratedApp(plan, workDir, 'split-app');
    generated.push(file);
    const code = fs.readFileSync(file, 'utf8');
    expect(code).toContain('const projectName = props.projectName ?? new CfnParameter(this, \'ProjectName\'');
    expect(code).toContain('dnsName: `palette.${projectName}.local`');
    expect(code).toContain('namespaceName: `${projectName}.local`');
    expect(code).toContain('ecs.ContainerImage.fromEcrRepository(ecr.Repository.fromRepositoryName(this, \'PaletteRepository\', `${projectName}/palette`), \'v7\')');
    expect(code).toContain("storefront.connectTo(palette, { environmentVariable: 'PALETTE_LOCAL_URL' });");
    expect(code).not.toContain('REPLACE_ME');
    const t = synthesize(file, 'MeshServiceConnect');
    const services = Object.values(t.findResources('AWS::ECS::Service')) as any[];
    const palette = services.find((s) => s.Properties.ServiceConnectConfiguration?.Services?.[0]?.DiscoveryName === 'palette');
    expect(palette.Properties.ServiceConnectConfiguration.Services[0].ClientAliases).toEqual([{
      DnsName: { 'Fn::Join': ['', ['palette.', { Ref: 'ProjectName' }, '.local']] }, Port: 9080,
    }]);
    t.hasParameter('ProjectName', { Type: 'String' });
    t.resourceCountIs('AWS::ECS::Service', 3);
    expect(cfnLint(t)).toBe('');
  });

  test('--parameter values replace the parameter everywhere', () => {
    const given = AppMeshMigration.fromTemplates(SPLIT, { parameters: { ProjectName: 'paint' } });
    expect(given.values).toEqual([]);
    expect(given.namespaceName).toBe('paint.local');
    expect(given.services[0].ports[0].dnsName).toBe('palette.paint.local');
    expect(given.services[0].ecrRepository).toBe('paint/palette');
    expect(given.findingsOf('parameter-unknown')).toEqual([]);
    const typo = AppMeshMigration.fromTemplates(SPLIT, { parameters: { projectname: 'paint' } });
    expect(typo.findingsOf('parameter-unknown')[0].detail).toMatch(/^a value was given for projectname, but no template declares that parameter \(declared: ProjectName, EnvoyImage, PaletteTag\)/);
  });

  test('the app template alone says first that it has no virtual node, and which nodes its Envoys run', () => {
    expect(() => AppMeshMigration.fromTemplate(SPLIT[1].text, { sourceLabel: 'app.yaml' }))
      .toThrow(/^app\.yaml has no AWS::AppMesh::VirtualNode: its task definitions run Envoys for the virtual node\(s\) storefront, palette .*Pass the template that defines the virtual nodes too/);
  });
});

describe('a router with prioritised, weighted routes on its own port, and egress nodes', () => {
  // GIVEN a mesh with DROP_ALL, a router on port 80 over two versions on 8080 (a header route first,
  // then a 75/25 catch-all), and virtual nodes for github.com and go.dev (the latter behind a router on 8443)
  const plan = AppMeshMigration.fromTemplate(read('routing-egress.json'), { sourceLabel: 'routing-egress.json' });
  const report = plan.toReport();
  const byId = (id: string) => plan.services.find((s) => s.id === id)!;

  test('egress nodes are endpoints, not services; their public names are never Service Connect aliases', () => {
    expect(plan.services.map((s) => s.id)).toEqual(['MapsV1', 'MapsV2', 'Planner']);
    expect(plan.egress).toEqual(['github.com:443', 'go.dev:443']);
    for (const s of plan.services) for (const p of s.ports) expect(p.dnsName).not.toMatch(/github\.com|go\.dev/);
    expect(plan.connections.map((c) => c.server)).toEqual(['MapsV1']);
    const [git, go] = plan.findingsOf('egress-endpoint');
    expect(git).toMatchObject({ severity: FindingSeverity.WARNING });
    expect(git.detail).toContain('github.com stands for github.com:443 outside the mesh, called by planner-vn');
    expect(git.recommendation).toMatch(/DROP_ALL .* port\(s\) 443/);
    expect(go.detail).toContain('Clients dialed go.dev:8443 (the router\'s port); without the mesh they dial go.dev:443.');
    expect(plan.namespaceName).toBe('atlas.internal');
  });

  test('the router\'s name and port go to the node of the default route with the largest weight', () => {
    expect(byId('MapsV1').ports).toEqual([expect.objectContaining({ containerPort: 8080, dnsName: 'maps.atlas.internal', clientPort: 80 })]);
    expect(byId('MapsV2').ports[0]).toMatchObject({ dnsName: 'maps-v2', clientPort: 8080 });
    expect(plan.connections[0]).toMatchObject({ client: 'Planner', url: 'http://maps.atlas.internal:80' });
    const [alias] = plan.findingsOf('router-alias');
    expect(alias.detail).toBe('clients dialed maps.atlas.internal:80 (router maps-router); they keep dialing http://maps.atlas.internal:80, which now ' +
      'reaches maps-v1-vn on its container port 8080 only (the default route everyone: priority 5, it matches every request, weight 75 of 100). ' +
      'maps-v2-vn no longer receives traffic sent to maps.atlas.internal; it keeps its own discovery name.');
    expect(plan.findingsOf('header-match')[0].detail).toBe('the route matches the headers x-beta. Requests it matched went to maps-v2-vn; ' +
      'clients keep dialing maps.atlas.internal:80, which now reaches maps-v1-vn for every request.');
    const weighted = plan.findingsOf('weighted-route');
    expect(weighted).toHaveLength(1);
    expect(weighted[0].detail).toMatch(/gives the virtual service's name \(and the router's port\) to maps-v1-vn/);
  });

  test('retries: only what AWS documents (a retry on another host)', () => {
    const [retry] = plan.findingsOf('retry-policy');
    expect(retry.recommendation).toContain('retries a failed request on another task by itself (AWS documents no count and no conditions)');
    expect(report).not.toMatch(/twice|503/);
  });

  test('the generated app type-checks and synthesizes cleanly', () => {
    expectNoInternalPlaceholder(plan);
    const file = writeGeneratedApp(plan, workDir, 'routing-app');
    generated.push(file);
    const t = synthesize(file, 'AtlasServiceConnect');
    t.resourceCountIs('AWS::ECS::Service', 3);
    const serviceConnect = Object.values(t.findResources('AWS::ECS::Service')).map((s: any) => s.Properties.ServiceConnectConfiguration);
    expect(JSON.stringify(serviceConnect)).not.toMatch(/github|go\.dev|go-egress/);
    expect(cfnLint(t)).toBe('');
  });
});

describe('names from the stack name and from another stack\'s export', () => {
  // GIVEN virtual service names built from ${AWS::StackName} and Fn::ImportValue, two names on one
  // port, and an environment value that only the deployed load balancer knows
  const plan = AppMeshMigration.fromTemplate(read('stackname-import.yaml'), { sourceLabel: 'stackname-import.yaml' });
  const byId = (id: string) => plan.services.find((s) => s.id === id)!;

  test('the stack name and the import stay values of the app; nothing falls back to the discovery name or `internal`', () => {
    expect(plan.namespaceName).toBe('${AWS::StackName}.svc');
    expect(byId('Ledger').ports[0]).toMatchObject({ discoveryName: 'ledger', dnsName: 'ledger.${AWS::StackName}.svc', clientPort: 8080 });
    expect(byId('Audit').ports[0]).toMatchObject({ discoveryName: 'audit', dnsName: 'audit.${ImportSharedAuditDomain}', clientPort: 7000 });
    expect(plan.values).toEqual([{
      name: 'ImportSharedAuditDomain', kind: MigratedValueKind.IMPORT, exportName: 'shared-audit-domain', description: 'the export shared-audit-domain of another stack',
    }]);
    expect(plan.egress).toEqual([]);
    expect(plan.findingsOf('alias-invalid')).toEqual([]);
  });

  test('environment values: a dropped alias is rewritten to the kept one; an unknowable value is REPLACE_ME and reported', () => {
    expect(byId('Teller').environment).toEqual({
      LEDGER_URL: 'http://ledger.${AWS::StackName}.svc:8080/v1',
      BOOKS_URL: 'http://ledger.${AWS::StackName}.svc:8080/v1',
      AUDIT_ADDR: 'audit.${ImportSharedAuditDomain}:7000',
      PUBLIC_URL: 'http://REPLACE_ME',
    });
    const unresolved = plan.findingsOf('unresolved-value');
    expect(unresolved).toHaveLength(1);
    expect(unresolved[0].subject).toBe('environment variable PUBLIC_URL of container teller (TellerTask)');
    expect(unresolved[0].detail).toContain('Fn::GetAtt PublicLoadBalancer.DNSName (AWS::ElasticLoadBalancingV2::LoadBalancer)');
    expect(plan.findings.some((f) => f.feature === 'renamed endpoint' && f.detail.includes('BOOKS_URL'))).toBe(true);
    expectNoInternalPlaceholder(plan);
  });

  test('the generated app uses Stack.stackName and Fn.importValue, and synthesizes cleanly', () => {
    const file = writeGeneratedApp(plan, workDir, 'stackname-app');
    generated.push(file);
    const code = fs.readFileSync(file, 'utf8');
    expect(code).toContain("const importSharedAuditDomain = Fn.importValue('shared-audit-domain');");
    expect(code).toContain('namespaceName: `${this.stackName}.svc`');
    expect(code).toContain('dnsName: `audit.${importSharedAuditDomain}`');
    expect(code).toContain('dnsName: `ledger.${this.stackName.toLowerCase()}.svc`');
    const t = synthesize(file, 'MeshServiceConnect');
    // The stack name of an environment-agnostic stack is known at synthesis: the test app's stack is 'Migrated'.
    t.hasResourceProperties('AWS::ServiceDiscovery::HttpNamespace', { Name: 'Migrated.svc' });
    t.hasResourceProperties('AWS::ECS::Service', { ServiceConnectConfiguration: { Services: [{ DiscoveryName: 'ledger', ClientAliases: [{ DnsName: 'ledger.migrated.svc', Port: 8080 }] }] } });
    expect(cfnLint(t)).toBe('');
  });
});

describe('a mesh whose domain is a parameter, with public endpoints and nodes sharing a Cloud Map service', () => {
  const plan = AppMeshMigration.fromTemplate(read('egress-parameter-domain.yaml'), { sourceLabel: 'egress-parameter-domain.yaml' });

  test('public suffixes never become the namespace; the public names are egress', () => {
    expect(plan.namespaceName).toBe('${Domain}');
    expect(plan.egress).toEqual(['pypi.org:443', 'registry.npmjs.io:443']);
    expect(plan.services.map((s) => s.id)).toEqual(['TidesBlue', 'TidesGreen']);
  });

  test('nodes that share a Cloud Map service keep their own names; the listener health check interval is read in milliseconds', () => {
    expect(plan.services.map((s) => s.ports[0].discoveryName)).toEqual(['tides-blue', 'tides-green']);
    expect(plan.services[0].ports[0].dnsName).toBe('tides.${Domain}');
    expect(plan.findingsOf('health-check')[0].detail).toBe('the Envoy checked http /health every 10 s.');
    expect(plan.findingsOf('cloud-map-attributes')[0].subject).toBe('virtual node tides-blue (TideBlueNode)');
  });
});

describe('aliases are checked with the library\'s own DNS rule', () => {
  test.each([
    ['an empty label', 'orders..shop.local'],
    ['a 64-character label', `${'o'.repeat(64)}.shop.local`],
  ])('a virtual service name with %s is not kept as the alias', (_what, name) => {
    const plan = AppMeshMigration.fromTemplate(JSON.stringify({
      Resources: {
        Node: { Type: 'AWS::AppMesh::VirtualNode', Properties: { MeshName: 'shop', VirtualNodeName: 'orders', Spec: { Listeners: [{ PortMapping: { Port: 80, Protocol: 'http' } }] } } },
        Vs: { Type: 'AWS::AppMesh::VirtualService', Properties: { MeshName: 'shop', VirtualServiceName: name, Spec: { Provider: { VirtualNode: { VirtualNodeName: 'orders' } } } } },
      },
    }), { namespaceName: 'shop.local' });
    expect(plan.services[0].ports[0].dnsName).toBe('orders');
    expect(plan.findingsOf('alias-invalid')).toHaveLength(1);
  });
});

describe('joining templates', () => {
  test('a logical ID used by two templates is renamed in the later one, with its references', () => {
    const mesh = JSON.stringify({
      Resources: {
        Mesh: { Type: 'AWS::AppMesh::Mesh', Properties: { MeshName: 'm' } },
        Node: { Type: 'AWS::AppMesh::VirtualNode', Properties: { MeshName: 'm', VirtualNodeName: 'api', Spec: { Listeners: [{ PortMapping: { Port: 80, Protocol: 'http' } }] } } },
      },
    });
    const app = JSON.stringify({
      Resources: {
        Node: {
          Type: 'AWS::ECS::TaskDefinition',
          Properties: {
            Cpu: '512',
            Memory: '1024',
            ContainerDefinitions: [
              { Name: 'api', Image: 'example/api:1', Cpu: 256, Memory: 512, PortMappings: [{ ContainerPort: 80 }] },
              { Name: 'envoy', Image: 'public.ecr.aws/appmesh/aws-appmesh-envoy:v1', Environment: [{ Name: 'APPMESH_VIRTUAL_NODE_NAME', Value: 'mesh/m/virtualNode/api' }] },
            ],
          },
        },
        Svc: { Type: 'AWS::ECS::Service', Properties: { TaskDefinition: { Ref: 'Node' }, DesiredCount: 4 } },
      },
    });
    const plan = AppMeshMigration.fromTemplates([{ text: mesh, fileName: 'mesh.json' }, { text: app, fileName: 'app.json' }]);
    expect(plan.services[0]).toMatchObject({ id: 'Api', image: 'example/api:1', desiredCount: 4 });
    expect(plan.services[0].sourceLocation).toBe('Node (task definition Node2, ECS service Svc)');
  });
});

describe('the finding catalogue', () => {
  test('every finding of every fixture has a catalogued code and one of its severities', () => {
    for (const plan of [AppMeshMigration.fromTemplates(SPLIT), AppMeshMigration.fromTemplate(read('routing-egress.json'))]) {
      for (const f of plan.findings) {
        expect(Object.keys(FINDING_CODES)).toContain(f.code);
        expect(FINDING_CODES[f.code as keyof typeof FINDING_CODES].severities as readonly string[]).toContain(f.severity);
      }
    }
  });
});

describe('migrate-appmesh with several templates and parameters', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sc-params-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const cli = (...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const status = run(argv, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
    return { status, stdout, stderr };
  };
  const mesh = path.join(FIXTURES, 'split/mesh.yaml');
  const app = path.join(FIXTURES, 'split/app.yaml');

  test('joins the templates given on the command line', () => {
    const r = cli('migrate-appmesh', mesh, app);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('migration plan: mesh.yaml + app.yaml');
    expect(r.stdout).toContain('dnsName palette.${ProjectName}.local → http://palette.${ProjectName}.local:9080');
  });

  test.each([
    ['--parameter', ['--parameter', 'ProjectName=paint']],
    ['--parameter=', ['--parameter=ProjectName=paint']],
    ['CloudFormation parameters file', ['--parameters', 'cfn.json']],
    ['key/value parameters file', ['--parameters', 'plain.json']],
  ])('%s', (_name, flags) => {
    fs.writeFileSync(path.join(dir, 'cfn.json'), JSON.stringify([{ ParameterKey: 'ProjectName', ParameterValue: 'paint' }]));
    fs.writeFileSync(path.join(dir, 'plain.json'), JSON.stringify({ ProjectName: 'paint' }));
    const r = cli('migrate-appmesh', mesh, app, ...flags.map((f) => (f.endsWith('.json') ? path.join(dir, f) : f)), '--json');
    expect(r.stderr).toBe('');
    const json = JSON.parse(r.stdout);
    expect(json.namespaceName).toBe('paint.local');
    expect(json.values).toEqual([]);
  });

  test('a bad parameter is a usage error; a bad parameters file a readable error', () => {
    expect(cli('migrate-appmesh', mesh, '--parameter', 'ProjectName').status).toBe(2);
    fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify([{ Key: 'x' }]));
    const r = cli('migrate-appmesh', mesh, '--parameters', path.join(dir, 'bad.json'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/bad\.json: every entry needs a "ParameterKey" and a "ParameterValue"/);
  });
});

describe('every generated app of this file', () => {
  test('type-checks with the project\'s strict compiler options', () => {
    expect(generated.length).toBe(3);
    expect(typeCheck(generated)).toEqual([]);
  });
});
