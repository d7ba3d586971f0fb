import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as fc from 'fast-check';
import type { ServiceConnectPortOptions } from '../src';
import { ConnectedFargateService, EnvoySizing, ServiceConnectCluster, ServiceConnectProtocol } from '../src';
import { strictApp, TEST_IMAGE } from './helpers';
import type { RULES } from '../src/private/validation/rules';

const image = TEST_IMAGE;
const PROTOCOLS = [ServiceConnectProtocol.HTTP, ServiceConnectProtocol.HTTP2, ServiceConnectProtocol.GRPC, ServiceConnectProtocol.TCP];

// Valid names: [a-z0-9_] first, then [a-z0-9_-], 1-20 characters.
const nameArb = fc.tuple(
  fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789_'.split('')),
  fc.array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789_-'.split('')), { maxLength: 19 }),
).map(([first, rest]) => first + rest.join(''));

const portArb = fc.record({
  protocol: fc.constantFrom(...PROTOCOLS),
  idleSeconds: fc.option(fc.integer({ min: 0, max: 7200 }), { nil: undefined }),
  perRequestSeconds: fc.option(fc.integer({ min: 0, max: 3600 }), { nil: undefined }),
  clientPort: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
});

/** A valid service: 0-4 ports with distinct names, container ports and aliases, a valid sizing. */
const validServiceArb = fc.record({
  names: fc.uniqueArray(nameArb, { minLength: 0, maxLength: 4 }),
  containerPorts: fc.uniqueArray(fc.integer({ min: 1, max: 65535 }), { minLength: 4, maxLength: 4 }),
  ports: fc.array(portArb, { minLength: 4, maxLength: 4 }),
  appCpu: fc.integer({ min: 1, max: 4000 }),
  appMemoryMiB: fc.integer({ min: 1, max: 16000 }),
  desiredCount: fc.integer({ min: 0, max: 10 }),
});

type ValidService = typeof validServiceArb extends fc.Arbitrary<infer T> ? T : never;

function buildPorts(v: ValidService): ServiceConnectPortOptions[] {
  return v.names.map((name, i) => {
    const p = v.ports[i];
    return {
      name,
      containerPort: v.containerPorts[i],
      protocol: p.protocol,
      clientPort: p.clientPort,
      idleTimeout: p.idleSeconds === undefined ? undefined : Duration.seconds(p.idleSeconds),
      perRequestTimeout: p.protocol === ServiceConnectProtocol.TCP || p.perRequestSeconds === undefined ?
        undefined : Duration.seconds(p.perRequestSeconds),
    };
  });
}

describe('property: random valid configurations synthesize with zero validator findings', () => {
  test('services with random ports, protocols, timeouts, aliases and sizes', () => {
    fc.assert(fc.property(validServiceArb, (v) => {
      const stack = new Stack(strictApp(), 'P');
      const cluster = new ServiceConnectCluster(stack, 'C', { namespaceName: 'prop.internal' });
      const ports = buildPorts(v);
      // distinct aliases: a port's alias is its name; client ports may collide only across different names
      const svc = new ConnectedFargateService(stack, 'Svc', {
        cluster,
        image,
        ports,
        desiredCount: v.desiredCount,
        sizing: EnvoySizing.forApp({ appCpu: v.appCpu, appMemoryMiB: v.appMemoryMiB }),
      });
      if (ports.length > 0) new ConnectedFargateService(stack, 'Client', { cluster, image }).connectTo(svc);
      else new ConnectedFargateService(stack, 'Server', { cluster, image, ports: [{ name: 'fixed-server-port-name-x', containerPort: 80 }] });
      // strict validation: any finding of the CloudFormation validator throws here
      const t = Template.fromStack(stack);
      t.resourceCountIs('AWS::ECS::Service', 2);
    }), { numRuns: 12 });
  });
});

/** One mistake at a time, with the rule that must report it. */
const MISTAKES: Array<[string, (ports: ServiceConnectPortOptions[]) => ServiceConnectPortOptions[], keyof typeof RULES]> = [
  ['upper-case port name', (ps) => ps.map((p, i) => (i === 0 ? { ...p, name: `X${p.name}` } : p)), 'port-name-format'],
  ['duplicate port name', (ps) => [...ps, { ...ps[0], containerPort: 1, discoveryName: 'other-d', dnsName: 'other-a' }], 'port-name-unique'],
  ['port above 65535', (ps) => ps.map((p, i) => (i === 0 ? { ...p, containerPort: 65536 + i } : p)), 'port-range'],
  ['fractional port', (ps) => ps.map((p, i) => (i === 0 ? { ...p, containerPort: p.containerPort + 0.5 } : p)), 'port-range'],
  ['discovery name with a dot', (ps) => ps.map((p, i) => (i === 0 ? { ...p, discoveryName: `${p.name}.x` } : p)), 'discovery-name-format'],
  ['discovery name over 64', (ps) => ps.map((p, i) => (i === 0 ? { ...p, discoveryName: 'd'.repeat(65) } : p)), 'discovery-name-format'],
  ['dns name with an empty label', (ps) => ps.map((p, i) => (i === 0 ? { ...p, dnsName: `${p.name}..x` } : p)), 'dns-name-format'],
  ['fractional timeout', (ps) => ps.map((p, i) => (i === 0 ? { ...p, idleTimeout: Duration.millis(1500) } : p)), 'timeout-whole-seconds'],
  ['per-request timeout on TCP', (ps) => ps.map((p, i) => (i === 0 ? { ...p, protocol: ServiceConnectProtocol.TCP, perRequestTimeout: Duration.seconds(5) } : p)), 'tcp-per-request-timeout'],
];

describe('property: random invalid configurations throw the documented rule', () => {
  test.each(MISTAKES)('%s', (_what, mutate, rule) => {
    fc.assert(fc.property(validServiceArb.filter((v) => v.names.length > 0), (v) => {
      const stack = new Stack(strictApp(), 'P');
      const cluster = new ServiceConnectCluster(stack, 'C');
      const ports = mutate(buildPorts(v));
      expect(() => new ConnectedFargateService(stack, 'Svc', { cluster, image, ports })).toThrow(`[${rule}]`);
    }), { numRuns: 30 });
  });
});
