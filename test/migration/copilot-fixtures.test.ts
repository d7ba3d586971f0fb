import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Match } from 'aws-cdk-lib/assertions';
import { synthesize, typeCheck, writeGeneratedApp } from './generated-app';
import { ServiceConnectProtocol } from '../../src';
import type { MigrationPlan } from '../../src/migration';
import { FindingSeverity, MigratedSecretSource } from '../../src/migration';
import type { CopilotManifest, CopilotMigrationOptions } from '../../src/migration/copilot';
import { CopilotMigration } from '../../src/migration/copilot';

// Fixture apps under fixtures/copilot/<app>/copilot/<svc>/manifest.yml, written for these tests
// (each reproduces patterns seen in public Copilot applications). Each plan is checked against
// what Copilot rendered for the manifest (internal/pkg/deploy/cloudformation/stack in aws/copilot-cli):
// port mapping "target", DiscoveryName "<svc>-sc", ClientAliases [{ DnsName: <alias or svc>, Port: <target port> }],
// no appProtocol, interpolation before reading, union overrides, Copilot's health-check defaults.

const FIXTURES = path.join(__dirname, 'fixtures', 'copilot');

function fixture(app: string): CopilotManifest[] {
  const root = path.join(FIXTURES, app);
  const out: CopilotManifest[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir).sort()) {
      const p = path.join(dir, entry);
      if (fs.statSync(p).isDirectory()) walk(p);
      else if (entry === 'manifest.yml') out.push({ text: fs.readFileSync(p, 'utf8'), fileName: path.relative(root, p).split(path.sep).join('/') });
    }
  };
  walk(root);
  return out;
}

const SHOP_ENV = { IMAGE_TAG: '1.4.2' };
const BANK_ENV = { REGISTRY: '111122223333.dkr.ecr.eu-west-1.amazonaws.com', LEDGER_VERSION: '2.0.1', PORTAL_VERSION: '7.3' };

/**
 * cfn-lint's findings on a synthesized template with its default settings (skipped where cfn-lint
 * is not installed).
 */
function cfnLint(template: unknown, name: string): string[] {
  const file = path.join(workDir, `${name}.template.json`);
  fs.writeFileSync(file, JSON.stringify(template));
  const r = spawnSync('cfn-lint', ['--format', 'parseable', '--', file], { encoding: 'utf8', timeout: 120_000 });
  if (r.error) return []; // not installed
  return r.stdout.split('\n').filter((l) => l.trim().length > 0);
}

function plan(app: string, options: CopilotMigrationOptions): MigrationPlan {
  return CopilotMigration.fromManifests(fixture(app), options);
}

for (const stale of fs.readdirSync(__dirname).filter((d) => d.startsWith('.generated-fx-'))) {
  const dir = path.join(__dirname, stale);
  if (Date.now() - fs.statSync(dir).mtimeMs > 3_600_000) fs.rmSync(dir, { recursive: true, force: true });
}
const workDir = fs.mkdtempSync(path.join(__dirname, '.generated-fx-'));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

describe('fixture "shop" (Django web, internal-ALB backend, worker, sidecar gateway) for --app shop --env prod', () => {
  // GIVEN the shop application's manifests and IMAGE_TAG in the environment
  // WHEN they are converted for prod
  const p = plan('shop', { appName: 'shop', environment: 'prod', processEnvironment: SHOP_ENV });
  const svc = (id: string) => p.services.find((s) => s.id === id)!;
  const codes = (subject: string) => p.findings.filter((f) => f.subject.includes(` ${subject} (`)).map((f) => f.code);

  test('ports, names and protocol as Copilot rendered them', () => {
    expect(p.services.map((s) => s.id)).toEqual(['Gateway', 'Inventory', 'Mailer', 'Web']);
    // THEN the port is "target", DiscoveryName <svc>-sc, the alias is connect.alias or the service, and TCP (no appProtocol)
    expect(svc('Inventory').ports).toEqual([{
      name: 'target', containerPort: 8080, protocol: ServiceConnectProtocol.TCP, discoveryName: 'inventory-sc', dnsName: 'stock', clientPort: 8080,
    }]);
    expect(svc('Web').ports).toEqual([{
      name: 'target', containerPort: 8000, protocol: ServiceConnectProtocol.TCP, discoveryName: 'web-sc', dnsName: 'web', clientPort: 8000,
    }]);
    // http.target_container: the nginx sidecar's port 80, not the app's 3000
    expect(svc('Gateway').ports).toEqual([{
      name: 'target', containerPort: 80, protocol: ServiceConnectProtocol.TCP, discoveryName: 'gateway-sc', dnsName: 'gateway', clientPort: 80,
    }]);
    expect(p.findingsOf('target-container')).toEqual([expect.objectContaining({ severity: FindingSeverity.WARNING })]);
    expect(p.findingsOf('target-container')[0].recommendation).toContain('public.ecr.aws/nginx/nginx:1.27');
    // a Worker Service is client-only, as in Copilot
    expect(svc('Mailer').ports).toEqual([]);
  });

  test('variables keep the YAML text (True, 007, 1.10, an empty value), are interpolated, and never carry an undefined ${VAR}', () => {
    expect(svc('Web').environment).toEqual({
      DJANGO_DEBUG: 'false', // prod's override, as written
      USE_TZ: 'True',
      STORE_CODE: '007',
      PRICE_FACTOR: '1.10',
      DJANGO_ALLOWED_HOSTS: '*',
      EMPTY_SETTING: '',
      DJANGO_SETTINGS_MODULE: 'shop.settings.prod',
      INVENTORY_API: 'http://stock:8080/v2/',
      GATEWAY_URL: 'http://gateway:80',
    });
    // a JSON list in a variable stays the string the app parses (Pydantic settings)
    expect(svc('Inventory').environment).toEqual({ WORKERS: '4', LISTEN: '0.0.0.0:8080', CORS_ORIGINS: '["https://shop.example.com"]' });
    expect(svc('Mailer').environment).toEqual({ INVENTORY_HOST: 'stock', STOCK_URL: 'http://stock:8080', SMTP_PORT: '0587' });
    // RELEASE: ${RELEASE_TAG} is undefined: left out with findings naming it
    expect(p.findingsOf('interpolation-undefined').map((f) => f.detail)).toEqual([expect.stringContaining('${RELEASE_TAG}')]);
    expect(p.findingsOf('variable-unresolved').map((f) => f.detail)).toEqual([expect.stringMatching(/^RELEASE is "\$\{RELEASE_TAG\}"/)]);
    // \${HOSTNAME} was escaped: Copilot passed ${HOSTNAME} literally, which CloudFormation's validator rejects: left out, reported
    expect(svc('Gateway').environment).toEqual({ UPSTREAM: 'http://localhost:3000' });
    expect(p.findingsOf('variable-literal').map((f) => f.detail)).toEqual([expect.stringMatching(/^LITERAL_TEMPLATE is "\$\{HOSTNAME\}-gw"/)]);
    for (const s of p.services) {
      for (const v of Object.values(s.environment)) expect(v).not.toContain('${');
    }
    // ${IMAGE_TAG} from the (injected) environment
    expect(svc('Inventory').image).toBe('111122223333.dkr.ecr.us-east-1.amazonaws.com/inventory:1.4.2');
    expect(p.findingsOf('interpolated')).toHaveLength(1);
  });

  test('secrets written as Copilot\'s docs recommend are carried', () => {
    expect(svc('Web').secrets).toEqual([
      { name: 'DJANGO_SECRET_KEY', source: MigratedSecretSource.SSM_PARAMETER, reference: '/copilot/shop/prod/secrets/django_secret_key' },
      { name: 'DATABASE_PASSWORD', source: MigratedSecretSource.SECRETS_MANAGER, reference: 'shop/prod/postgres', jsonField: 'password' },
    ]);
    expect(p.findingsOf('secret-unresolved')).toEqual([]);
  });

  test('environment overrides replace union fields: count.spot replaces count and its range/targets', () => {
    expect(svc('Web').desiredCount).toBe(3);
    expect(svc('Web').capacityProviders).toEqual([{ capacityProvider: 'FARGATE_SPOT', weight: 1 }]);
    // inventory: range 2-6 + cpu_percentage at the top, spot: 2 in prod → 2 tasks on Spot, no auto scaling
    expect(svc('Inventory').desiredCount).toBe(2);
    expect(svc('Inventory').capacityProviders).toEqual([{ capacityProvider: 'FARGATE_SPOT', weight: 1 }]);
    expect(codes('inventory')).not.toContain('autoscaling');
    expect(p.findingsOf('fargate-spot')).toHaveLength(2);
    expect(p.findingsOf('fargate-spot')[0].recommendation).toContain('capacityProviderStrategies: [');
    expect(svc('Mailer').desiredCount).toBe(1);
  });

  test('service-discovery URLs become connectTo edges and Service Connect URLs', () => {
    // connectTo adds <ALIAS>_URL with the tcp:// URL of a TCP port; the app's own variables keep the rewritten http:// URLs
    expect(p.connections.map((c) => `${c.client}->${c.server} ${c.environmentVariable}=${c.url}`)).toEqual([
      'Mailer->Inventory STOCK_SC_URL=tcp://stock:8080',
      'Web->Gateway GATEWAY_SC_URL=tcp://gateway:80',
      'Web->Inventory STOCK_URL=tcp://stock:8080',
    ]);
    expect(svc('Web').environment.GATEWAY_URL).toBe('http://gateway:80');
    expect(p.connections.find((c) => c.client === 'Mailer')!.reason).toContain('inventory.prod.shop.local');
    expect(p.connections.find((c) => c.client === 'Web' && c.server === 'Inventory')!.reason).toContain('inventory.${COPILOT_SERVICE_DISCOVERY_ENDPOINT}');
    // web dialled gateway on 3000, but Copilot registered (and Service Connect serves) the target port 80
    const gateway = p.findingsOf('service-discovery-url').find((f) => f.detail.startsWith('GATEWAY_URL'))!;
    expect(gateway.severity).toBe(FindingSeverity.WARNING);
    expect(gateway.recommendation).toContain('port 3000');
  });

  test('health checks: Copilot\'s defaults, then brought into the ranges aws-cdk-lib accepts, with a finding', () => {
    expect(svc('Inventory').healthCheck).toEqual({
      command: ['CMD-SHELL', 'wget -qO- http://localhost:8080/ping || exit 1'],
      intervalSeconds: 5,
      timeoutSeconds: 4,
      retries: 1,
      startPeriodSeconds: 300,
    });
    expect(p.findingsOf('health-check-adjusted').map((f) => f.subject)).toEqual(['Backend Service inventory (copilot/inventory/manifest.yml)']);
  });

  test('commands as Copilot parsed them: a JSON-list string becomes a list, a string is split into words', () => {
    expect(svc('Inventory').command).toEqual(['gunicorn', 'inventory.wsgi', '--workers', '4']);
    expect(svc('Mailer').command).toEqual(['celery', '-A', 'mailer', 'worker', '--loglevel', 'info']);
  });

  test('every manifest key is accounted for', () => {
    expect(codes('web')).toEqual(expect.arrayContaining(['image-build', 'load-balancer', 'logging', 'deployment', 'tags', 'fargate-spot', 'protocol']));
    expect(codes('inventory')).toEqual(expect.arrayContaining(['internal-load-balancer', 'deployment', 'health-check-adjusted']));
    expect(codes('mailer')).toEqual(expect.arrayContaining(['env-file', 'storage', 'taskdef_overrides', 'subscribe']));
    expect(p.findingsOf('unmapped-key').map((f) => f.feature)).toEqual(['image.depends_on', 'placement']);
    expect(p.findingsOf('deployment').map((f) => f.recommendation).join('\n')).toMatch(/enableDeploymentAlarms\(\['shop-web-5xx'\]/);
    expect(p.findingsOf('deployment').map((f) => f.detail).join('\n')).toContain('recreate');
    expect(p.findingsOf('environment-manifest')).toHaveLength(1);
    expect(p.findingsOf('environment-not-chosen')).toEqual([]);
    expect(svc('Web').enableExecuteCommand).toBe(true);
  });

  test('advice that works: fromAsset(context, { file, buildArgs, target }) and a FireLens router', () => {
    const build = p.findingsOf('image-build')[0];
    expect(build.recommendation).toContain(
      "ecs.ContainerImage.fromAsset('web', { file: 'docker/Dockerfile.prod', buildArgs: { PYTHON_VERSION: '3.12', BUILD_ENV: 'prod' }, target: 'runtime' })");
    const logging = p.findingsOf('logging')[0];
    expect(logging.detail).toContain('datadog');
    expect(logging.recommendation).toContain('addFirelensLogRouter');
    expect(logging.recommendation).toContain("LogDriver: 'awsfirelens', Options: { Name: 'datadog', Host: 'http-intake.logs.datadoghq.com' }");
  });

  test('the generated app type-checks and synthesizes with Copilot\'s names and zero validator findings', () => {
    const file = writeGeneratedApp(p, workDir, 'shop');
    expect(typeCheck([file])).toEqual([]);
    expect(fs.readFileSync(file, 'utf8')).toContain("// REPLACE_ME: Copilot built it: ecs.ContainerImage.fromAsset('web', { file: 'docker/Dockerfile.prod'");
    const t = synthesize(file, 'ShopProdServiceConnect');
    expect(cfnLint(t.toJSON(), 'shop')).toEqual([]);
    t.resourceCountIs('AWS::ECS::Service', 4);
    t.hasResourceProperties('AWS::ECS::Service', {
      ServiceConnectConfiguration: Match.objectLike({
        Services: [{ PortName: 'target', DiscoveryName: 'inventory-sc', ClientAliases: [{ DnsName: 'stock', Port: 8080 }] }],
      }),
      EnableExecuteCommand: false,
    });
    t.hasResourceProperties('AWS::ECS::Service', {
      ServiceConnectConfiguration: Match.objectLike({ Services: [Match.objectLike({ DiscoveryName: 'web-sc' })] }),
      EnableExecuteCommand: true,
    });
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: Match.arrayWith([Match.objectLike({
        PortMappings: [{ Name: 'target', ContainerPort: 8080, Protocol: 'tcp' }],
        HealthCheck: { Command: ['CMD-SHELL', 'wget -qO- http://localhost:8080/ping || exit 1'], Interval: 5, Timeout: 4, Retries: 1, StartPeriod: 300 },
        Environment: Match.arrayWith([{ Name: 'WORKERS', Value: '4' }]),
      })]),
    });
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: Match.arrayWith([Match.objectLike({
        Environment: Match.arrayWith([{ Name: 'USE_TZ', Value: 'True' }, { Name: 'STORE_CODE', Value: '007' }]),
      })]),
    });
  });
});

describe('fixture "shop" with other options', () => {
  test('manifests with environments and no --env: a finding, top-level values, unresolved secrets reported', () => {
    const p = plan('shop', { appName: 'shop', processEnvironment: SHOP_ENV });
    expect(p.findingsOf('environment-not-chosen')).toHaveLength(1);
    const web = p.services.find((s) => s.id === 'Web')!;
    expect(web.desiredCount).toBe(1);
    expect(web.environment.DJANGO_DEBUG).toBe('False');
    expect(web.environment).not.toHaveProperty('DJANGO_SETTINGS_MODULE');
    expect(web.secrets).toEqual([]);
    expect(p.findingsOf('secret-unresolved')).toHaveLength(2);
    expect(p.findingsOf('interpolation-undefined').map((f) => f.detail).join('\n')).toContain('${COPILOT_ENVIRONMENT_NAME}');
  });

  test('--env that no manifest has is an error', () => {
    expect(() => plan('shop', { appName: 'shop', environment: 'qa', processEnvironment: SHOP_ENV }))
      .toThrow(/--env qa matches no environment of the manifests \(they override prod, staging\)/);
  });

  test('the process environment is used when none is injected', () => {
    const before = process.env.IMAGE_TAG;
    process.env.IMAGE_TAG = '9.9.9';
    try {
      const p = plan('shop', { appName: 'shop', environment: 'prod' });
      expect(p.services.find((s) => s.id === 'Inventory')!.image).toMatch(/inventory:9\.9\.9$/);
    } finally {
      if (before === undefined) delete process.env.IMAGE_TAG;
      else process.env.IMAGE_TAG = before;
    }
  });
});

describe('fixture "bank" (gRPC backend with spot_from, HTTP/1 portal, static site, scheduled job)', () => {
  test('without --env: count.range.spot_from becomes Copilot\'s capacity-provider strategy', () => {
    const p = plan('bank', { appName: 'bank', processEnvironment: BANK_ENV });
    const ledger = p.services.find((s) => s.id === 'Ledger')!;
    expect(ledger.desiredCount).toBe(2);
    expect(ledger.capacityProviders).toEqual([
      { capacityProvider: 'FARGATE_SPOT', weight: 1 },
      { capacityProvider: 'FARGATE', weight: 0, base: 2 },
    ]);
    expect(p.findingsOf('autoscaling').map((f) => f.recommendation).join('\n')).toContain('minCapacity: 2, maxCapacity: 8');
  });

  const p = plan('bank', { appName: 'bank', environment: 'dev', processEnvironment: BANK_ENV });
  const svc = (id: string) => p.services.find((s) => s.id === id)!;

  test('http.version sets the protocol; the target port; overrides; the SSM ARN secret', () => {
    expect(svc('Ledger').ports[0]).toEqual({
      name: 'target', containerPort: 50051, protocol: ServiceConnectProtocol.GRPC, discoveryName: 'ledger-sc', dnsName: 'ledger', clientPort: 50051,
    });
    expect(svc('Portal').ports[0]).toEqual({
      name: 'target', containerPort: 8443, protocol: ServiceConnectProtocol.HTTP, discoveryName: 'portal-sc', dnsName: 'portal-api', clientPort: 8443,
    });
    expect(svc('Ledger').desiredCount).toBe(1);
    expect(svc('Ledger').capacityProviders).toBeUndefined();
    expect(svc('Ledger').environment).toEqual({ LEDGER_REGION: 'eu-west-1', AUDIT: 'on' });
    expect(svc('Ledger').secrets).toEqual([{ name: 'DB_URL', source: MigratedSecretSource.SSM_PARAMETER, reference: '/ledger/dev/db-url' }]);
    expect(svc('Portal').environment).toEqual({
      LEDGER_ADDR: 'ledger:50051', STATEMENTS_URL: 'https://statements.dev.bank.local/v1', NODE_ENV: 'development',
    });
    expect(p.connections.map((c) => `${c.client}->${c.server} ${c.environmentVariable}`)).toEqual(['Portal->Ledger LEDGER_URL']);
    // statements is a Scheduled Job: its discovery name stays, reported (the new VPC cannot resolve it)
    expect(p.findingsOf('service-discovery-unknown').map((f) => f.detail)).toEqual([expect.stringContaining('statements.dev.bank.local')]);
    expect(svc('Portal').healthCheck).toEqual({
      command: ['CMD-SHELL', 'curl -fk https://localhost:8443/healthz || exit 1'], intervalSeconds: 10, timeoutSeconds: 9, retries: 2, startPeriodSeconds: 0,
    });
  });

  test('a static site gets real guidance; a scheduled job stays a blocker', () => {
    const site = p.findingsOf('static-site');
    expect(site).toEqual([expect.objectContaining({ severity: FindingSeverity.INFO, subject: 'Static Site docs' })]);
    expect(site[0].recommendation).toContain('S3BucketOrigin.withOriginAccessControl');
    expect(site[0].recommendation).toContain('docs/site');
    expect(site[0].recommendation).toContain('docs.bank.example.com');
    expect(p.findingsOf('unsupported-type').map((f) => f.subject)).toEqual(['Scheduled Job statements']);
  });

  test('the generated app type-checks and synthesizes (gRPC and HTTP appProtocol, ARM64)', () => {
    const file = writeGeneratedApp(p, workDir, 'bank');
    expect(typeCheck([file])).toEqual([]);
    const t = synthesize(file, 'BankDevServiceConnect');
    expect(cfnLint(t.toJSON(), 'bank')).toEqual([]);
    t.resourceCountIs('AWS::ECS::Service', 2);
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: Match.arrayWith([Match.objectLike({ PortMappings: [{ Name: 'target', ContainerPort: 50051, Protocol: 'tcp', AppProtocol: 'grpc' }] })]),
    });
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      RuntimePlatform: Match.objectLike({ CpuArchitecture: 'ARM64' }),
      ContainerDefinitions: Match.arrayWith([Match.objectLike({ PortMappings: [{ Name: 'target', ContainerPort: 8443, Protocol: 'tcp', AppProtocol: 'http' }] })]),
    });
  });
});
