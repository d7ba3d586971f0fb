import * as fs from 'fs';
import * as path from 'path';
import { Match } from 'aws-cdk-lib/assertions';
import { synthesize, typeCheck, writeGeneratedApp } from './generated-app';
import { ServiceConnectProtocol } from '../../src';
import type { MigrationPlan } from '../../src/migration';
import { CopilotMigration, FindingSeverity, MigratedSecretSource, MigrationSource } from '../../src/migration';

// ---------------------------------------------------------------- helpers (generated apps)

/** Remove generated dirs that a crashed earlier run left behind (older than an hour: never a concurrent run's). */
for (const stale of fs.readdirSync(__dirname).filter((d) => d.startsWith('.generated-'))) {
  const dir = path.join(__dirname, stale);
  if (Date.now() - fs.statSync(dir).mtimeMs > 3_600_000) fs.rmSync(dir, { recursive: true, force: true });
}
const workDir = fs.mkdtempSync(path.join(__dirname, '.generated-'));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

function writeApp(plan: MigrationPlan, name: string): string {
  return writeGeneratedApp(plan, workDir, name);
}


// ---------------------------------------------------------------- manifests as Copilot writes them

const API = `# The manifest for the "api" service.
name: api
type: Backend Service

image:
  location: public.ecr.aws/example/api:3.2.0
  port: 8080
  healthcheck:
    command: ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"]
    interval: 10s
    retries: 2
    timeout: 5s
    start_period: 1m

cpu: 512
memory: 1024
count: 2
exec: true

network:
  connect: true

variables:
  LOG_LEVEL: info
  MAX_CONNECTIONS: 50

secrets:
  DB_PASSWORD: /copilot/shop/prod/secrets/db_password
  GITHUB_TOKEN:
    secretsmanager: 'shop/github:token::'
  STRIPE_KEY: arn:aws:secretsmanager:us-east-1:111122223333:secret:stripe-AbCdEf

environments:
  prod:
    count: 4
    variables:
      LOG_LEVEL: warn
`;

const FRONT = `name: front
type: Load Balanced Web Service
image:
  build: front/Dockerfile
  port: 3000
http:
  path: '/'
  healthcheck: /healthz
cpu: 256
memory: 512
count:
  range: 2-10
  cpu_percentage: 70
platform: linux/arm64
network:
  connect:
    alias: web
variables:
  API_URL: http://api:8080
`;

const WORKER = `name: worker
type: Worker Service
image:
  location: public.ecr.aws/example/worker:1.0.0
cpu: 256
memory: 512
subscribe:
  topics:
    - name: orders
      service: api
network:
  connect: true
variables:
  API_ENDPOINT: http://api:8080/v1
  FRONT: http://web:3000
command: ["python", "worker.py"]
`;

const LEDGER = `name: ledger
type: Backend Service
image:
  location: public.ecr.aws/example/ledger:7
  port: 50051
http:
  version: grpc
cpu: 1024
memory: 2048
count: 3
network:
  connect: true
`;

const JOB = `name: nightly
type: Scheduled Job
image:
  location: public.ecr.aws/example/nightly:1
on:
  schedule: "@daily"
`;

const manifests = [
  { text: API, fileName: 'copilot/api/manifest.yml' },
  { text: FRONT, fileName: 'copilot/front/manifest.yml' },
  { text: WORKER, fileName: 'copilot/worker/manifest.yml' },
  { text: LEDGER, fileName: 'copilot/ledger/manifest.yml' },
  { text: JOB, fileName: 'copilot/nightly/manifest.yml' },
];

describe('Copilot manifests with network.connect', () => {
  // GIVEN a backend, a load-balanced web service, a worker, a gRPC backend and a scheduled job
  // WHEN they are converted for the prod environment
  const plan = CopilotMigration.fromManifests(manifests, { environment: 'prod', appName: 'shop' });
  const byId = (id: string) => plan.services.find((s) => s.id === id)!;

  test('the three service types become services; other types are blockers', () => {
    expect(plan.source).toBe(MigrationSource.COPILOT);
    expect(plan.services.map((s) => `${s.id}:${s.sourceKind}`)).toEqual([
      'Api:Backend Service', 'Front:Load Balanced Web Service', 'Worker:Worker Service', 'Ledger:Backend Service',
    ]);
    expect(plan.findingsOf('unsupported-type')).toEqual([expect.objectContaining({ severity: FindingSeverity.BLOCKER, subject: 'Scheduled Job nightly' })]);
    expect(plan.namespaceName).toBe('prod.shop.sc.internal');
    expect(plan.stackName).toBe('ShopProdServiceConnect');
  });

  test('Copilot\'s Service Connect naming is kept: port "target", discovery name <svc>-sc, alias = service or connect.alias, TCP', () => {
    // Copilot rendered DiscoveryName !Join ["-", [WorkloadName, "sc"]] and no appProtocol (its proxies ran TCP).
    expect(byId('Api').ports).toEqual([{
      name: 'target', containerPort: 8080, protocol: ServiceConnectProtocol.TCP, discoveryName: 'api-sc', dnsName: 'api', clientPort: 8080,
    }]);
    expect(byId('Front').ports[0]).toMatchObject({ name: 'target', discoveryName: 'front-sc', dnsName: 'web', clientPort: 3000, protocol: ServiceConnectProtocol.TCP });
    expect(byId('Ledger').ports[0]).toMatchObject({ protocol: ServiceConnectProtocol.GRPC, containerPort: 50051 });
    expect(byId('Worker').ports).toEqual([]);
  });

  test('image, cpu/memory, count, platform, command, health check, variables and secrets (with the prod overrides)', () => {
    const api = byId('Api');
    expect(api.image).toBe('public.ecr.aws/example/api:3.2.0');
    expect(api.desiredCount).toBe(4);
    expect(api.environment).toEqual({ LOG_LEVEL: 'warn', MAX_CONNECTIONS: '50' });
    expect(api.secrets).toEqual([
      { name: 'DB_PASSWORD', source: MigratedSecretSource.SSM_PARAMETER, reference: '/copilot/shop/prod/secrets/db_password' },
      { name: 'GITHUB_TOKEN', source: MigratedSecretSource.SECRETS_MANAGER, reference: 'shop/github', jsonField: 'token' },
      { name: 'STRIPE_KEY', source: MigratedSecretSource.SECRETS_MANAGER, reference: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:stripe-AbCdEf' },
    ]);
    expect(api.healthCheck).toEqual({
      command: ['CMD-SHELL', 'curl -f http://localhost:8080/health || exit 1'], intervalSeconds: 10, retries: 2, timeoutSeconds: 5, startPeriodSeconds: 60,
    });
    expect(api.sizing).toMatchObject({
      appCpu: 512, appMemoryMiB: 1024, taskCpu: 1024, taskMemoryMiB: 2048, previousTaskCpu: 512, previousTaskMemoryMiB: 1024,
    });
    expect(byId('Front').arm64).toBe(true);
    expect(byId('Front').desiredCount).toBe(2);
    expect(byId('Front').image).toBeUndefined();
    expect(byId('Worker').command).toEqual(['python', 'worker.py']);
  });

  test('edges come from variables that name an alias; the variables keep their values (connectTo sets tcp:// URLs for TCP ports)', () => {
    expect(plan.connections.map((c) => `${c.client}->${c.server} ${c.environmentVariable}=${c.url}`)).toEqual([
      'Front->Api API_SC_URL=tcp://api:8080',
      'Worker->Api API_URL=tcp://api:8080',
      'Worker->Front WEB_URL=tcp://web:3000',
    ]);
    expect(byId('Front').environment).toEqual({ API_URL: 'http://api:8080' });
    expect(byId('Worker').environment).toEqual({ API_ENDPOINT: 'http://api:8080/v1', FRONT: 'http://web:3000' });
    const order = plan.deploymentOrder;
    expect(order.indexOf('Api')).toBeLessThan(order.indexOf('Front'));
    expect(order.indexOf('Front')).toBeLessThan(order.indexOf('Worker'));
    expect([...order].sort()).toEqual(['Api', 'Front', 'Ledger', 'Worker']);
    expect(plan.findingsOf('open-network')).toHaveLength(1);
  });

  test('Copilot features without a generated equivalent are findings', () => {
    const codes = plan.findings.map((f) => f.code);
    for (const code of ['image-build', 'autoscaling', 'load-balancer', 'subscribe', 'namespace', 'copilot-variables', 'task-size', 'protocol']) {
      expect(codes).toContain(code);
    }
    // exec is carried (enableExecuteCommand), not reported.
    expect(byId('Api').enableExecuteCommand).toBe(true);
    const report = plan.toReport();
    expect(report).toContain('port target: container 8080/tcp, discoveryName api-sc, dnsName api → tcp://api:8080');
    expect(report).toContain('copilot svc delete');
  });

  test('the generated app type-checks and synthesizes with Copilot\'s names', () => {
    const file = writeApp(plan, 'copilot-app');
    expect(typeCheck([file])).toEqual([]);
    const t = synthesize(file, 'ShopProdServiceConnect');
    t.resourceCountIs('AWS::ECS::Service', 4);
    t.hasResourceProperties('AWS::ECS::Service', {
      ServiceConnectConfiguration: Match.objectLike({
        Services: [{ PortName: 'target', DiscoveryName: 'front-sc', ClientAliases: [{ DnsName: 'web', Port: 3000 }] }],
      }),
    });
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({
        Image: 'public.ecr.aws/example/api:3.2.0',
        PortMappings: [{ Name: 'target', ContainerPort: 8080, Protocol: 'tcp' }],
        HealthCheck: { Command: ['CMD-SHELL', 'curl -f http://localhost:8080/health || exit 1'], Interval: 10, Retries: 2, Timeout: 5, StartPeriod: 60 },
      })],
    });
  });
});

describe('Copilot options and errors', () => {
  test('connectAll connects every service to every server, as Copilot\'s environment network allowed', () => {
    const plan = CopilotMigration.fromManifests([{ text: API }, { text: LEDGER }], { connectAll: true });
    expect(plan.connections.map((c) => `${c.client}->${c.server}`)).toEqual(['Api->Ledger', 'Ledger->Api']);
    expect(plan.namespaceName).toBe('sc.internal');
    expect(plan.findingsOf('open-network')).toHaveLength(0);
    // Without an environment, the top-level values apply.
    expect(plan.services[0].desiredCount).toBe(2);
  });

  test('the service name can come from the copilot/<svc>/manifest.yml path', () => {
    const plan = CopilotMigration.fromManifests([{ text: LEDGER.replace('name: ledger\n', ''), fileName: 'copilot/books/manifest.yml' }]);
    expect(plan.services[0].sourceName).toBe('books');
  });

  test.each([
    [[{ text: 'a: [unclosed' }], /not valid YAML/],
    [[{ text: 'name: x' }], /not a Copilot manifest/],
    [[{ text: JOB }], /nothing to migrate/],
    [[{ text: 'type: Backend Service\nname: Bad_Name' }], /service name "Bad_Name" is missing or invalid/],
    [[{ text: API }, { text: API }], /appears in more than one manifest/],
    [[], /no Copilot manifest/],
  ])('refuses %j', (input, message) => {
    expect(() => CopilotMigration.fromManifests(input)).toThrow(message);
  });
});

describe('reading manifests as Copilot did', () => {
  const backend = (extra: string) => `name: api\ntype: Backend Service\nimage:\n  location: example/api:1\n  port: 8080\nnetwork:\n  connect: true\n${extra}`;
  const one = (text: string, options = {}) => CopilotMigration.fromManifests([{ text, fileName: 'copilot/api/manifest.yml' }], { processEnvironment: {}, ...options });

  test('${VAR} in values (not keys) from the injected environment; an undefined one is reported and left out', () => {
    // GIVEN variables with an environment variable, an undefined one and one in a key
    const plan = one(backend('variables:\n  TAG: v-${TAG}\n  MISSING: ${NOPE}\n  ${KEY}: x\n  PLAIN: a$b\n'), { processEnvironment: { TAG: '7', KEY: 'k' } });
    // THEN only values are substituted, and nothing with ${…} reaches the environment
    expect(plan.services[0].environment).toEqual({ TAG: 'v-7', PLAIN: 'a$b' });
    expect(plan.findingsOf('interpolation-undefined').map((f) => f.detail)).toEqual([expect.stringContaining('${NOPE}')]);
    expect(plan.findingsOf('variable-literal').map((f) => f.detail)).toEqual([expect.stringContaining('${KEY} is "x"')]);
  });

  test('a substituted JSON list becomes a list, as Copilot\'s interpolator does (e.g. a command)', () => {
    const plan = one(backend('command: ${CMD}\n'), { processEnvironment: { CMD: '["node","server.js"]' } });
    expect(plan.services[0].command).toEqual(['node', 'server.js']);
  });

  test('overrides: image.location in an environment clears image.build; a number replaces a count map', () => {
    const text = 'name: api\ntype: Backend Service\nimage:\n  build: api/Dockerfile\n  port: 8080\ncount:\n  range: 1-4\n  cpu_percentage: 50\n' +
      'environments:\n  prod:\n    image:\n      location: example/api:2\n    count: 3\n';
    const plan = one(text, { environment: 'prod' });
    expect(plan.services[0].image).toBe('example/api:2');
    expect(plan.services[0].desiredCount).toBe(3);
    expect(plan.findingsOf('image-build')).toEqual([]);
    expect(plan.findingsOf('autoscaling')).toEqual([]);
  });

  test('health checks: Copilot\'s defaults for missing fields; out-of-range values adjusted so aws-cdk-lib does not throw', () => {
    const text = 'name: api\ntype: Backend Service\nimage:\n  location: example/api:1\n  port: 8080\n' +
      '  healthcheck:\n    command: curl -f localhost:8080\n    interval: 400s\n    timeout: 1s\n    retries: 11\n';
    const plan = one(text);
    expect(plan.services[0].healthCheck).toEqual({
      command: ['CMD-SHELL', 'curl -f localhost:8080'], intervalSeconds: 300, timeoutSeconds: 2, retries: 10, startPeriodSeconds: 0,
    });
    expect(plan.findingsOf('health-check-adjusted')).toHaveLength(1);
  });

  test('a key the converter does not map is reported by its path', () => {
    const text = 'name: api\ntype: Backend Service\nimage:\n  location: example/api:1\n  port: 8080\n  docker_labels:\n    a: b\n' +
      'network:\n  connect: true\n  dns: x\nimage_pull: always\n';
    const plan = one(text);
    expect(plan.findingsOf('unmapped-key').map((f) => f.feature)).toEqual(['image.docker_labels', 'network.dns', 'image_pull']);
  });
});

describe('what aws-cdk-lib or CloudFormation would reject is adjusted, never generated', () => {
  const one = (text: string, options = {}) => CopilotMigration.fromManifests([{ text, fileName: 'copilot/x/manifest.yml' }], { processEnvironment: {}, ...options });

  test('an image location with an undefined ${VAR} becomes the placeholder, with a finding', () => {
    const plan = one('name: api\ntype: Backend Service\nimage:\n  location: repo/api:${TAG}\n  port: 8080\n');
    expect(plan.services[0].image).toBeUndefined();
    expect(plan.findingsOf('image-unresolved')).toHaveLength(1);
  });

  test('a port out of range is reported, not generated', () => {
    const plan = one('name: api\ntype: Backend Service\nimage:\n  location: repo/api:1\n  port: 70000\n');
    expect(plan.services[0].ports).toEqual([]);
    expect(plan.findingsOf('invalid-port')).toHaveLength(1);
  });

  test('<svc>-sc longer than Cloud Map\'s 64 characters is shortened, with a finding', () => {
    const name = `a${'b'.repeat(62)}`;
    const plan = one(`name: ${name}\ntype: Backend Service\nimage:\n  location: repo/api:1\n  port: 8080\n`);
    expect(plan.services[0].ports[0].discoveryName).toBe(`${name.slice(0, 61)}-sc`);
    expect(plan.services[0].ports[0].dnsName).toBe(name);
    expect(plan.findingsOf('discovery-name')).toHaveLength(1);
  });
});

describe('service-discovery names', () => {
  test('a <svc>.<env>.<app>.local name of a service the plan does not migrate is reported', () => {
    const text = 'name: api\ntype: Backend Service\nimage:\n  location: repo/api:1\n  port: 8080\nvariables:\n  PAY: http://payments.prod.shop.local:9000\n';
    const plan = CopilotMigration.fromManifests([{ text }], { appName: 'shop', environment: 'prod', processEnvironment: {} });
    expect(plan.services[0].environment).toEqual({ PAY: 'http://payments.prod.shop.local:9000' });
    expect(plan.findingsOf('service-discovery-unknown')).toHaveLength(1);
    expect(plan.connections).toEqual([]);
  });
});

describe('generated apps never throw', () => {
  test('secrets whose names differ only in punctuation get distinct construct ids; an invalid alias falls back to the service name', () => {
    const text = 'name: api\ntype: Backend Service\nimage:\n  location: repo/api:1\n  port: 8080\n  healthcheck:\n    command: ["NONE"]\n' +
      'network:\n  connect:\n    alias: Bad_Alias!\nsecrets:\n  JWT__KEY: /jwt/a\n  JWT_KEY: /jwt/b\n';
    const plan = CopilotMigration.fromManifests([{ text }], { processEnvironment: {} });
    expect(plan.services[0].ports[0].dnsName).toBe('api');
    expect(plan.findingsOf('invalid-alias')).toHaveLength(1);
    expect(plan.services[0].healthCheck).toBeUndefined();
    const app = plan.toCdkApp();
    expect(app).toContain("'ApiJWTKEYSecret'");
    expect(app).toContain("'ApiJWTKEYSecret2'");
  });
});
