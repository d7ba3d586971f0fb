import { ServiceConnectProtocol } from '../../../src';
import { checkCreatedNamespaces, checkNamespace, dependencyChain } from '../../../src/private/namespace/model';
import type { CallModel, NamespaceModel, ServiceModel } from '../../../src/private/namespace/model';

/** The namespace-wide rules on the plain model: no construct, no template, just names and ports. */
function svc(path: string, ports: Array<[portName: string, discoveryName?: string, dnsName?: string, clientPort?: number]>): ServiceModel<string> {
  return {
    ref: path,
    path,
    ports: ports.map(([portName, discoveryName, dnsName, clientPort]) =>
      ({ portName, discoveryName, dnsName, clientPort, listenerPort: clientPort, protocol: ServiceConnectProtocol.HTTP })),
  };
}

function model(services: Array<ServiceModel<string>>, createdHere = true): NamespaceModel<string> {
  return { name: 'shop.internal', createdHere, services, calls: [] };
}

describe('namespace model: unique discovery names and aliases', () => {
  test('the first service keeps a discovery name; a later one with the same name is an error about the later one', () => {
    // GIVEN two services that register "orders"
    const m = model([svc('Orders', [['orders-http', 'orders', 'orders', 8080]]), svc('Copy', [['copy-http', 'orders', 'copy', 8080]])]);

    // WHEN
    const findings = checkNamespace(m);

    // THEN one error, about Copy, naming the owner
    expect(findings).toEqual([expect.objectContaining({
      level: 'error',
      rule: 'discovery-name-unique',
      service: 'Copy',
      field: 'port "copy-http"',
      value: 'orders',
      detail: expect.stringContaining('Orders (port "orders-http") already registers this discovery name'),
    })]);
  });

  test('the same dnsName on another port is fine; the same dnsName:port is an error', () => {
    const ok = model([svc('A', [['a-http', 'a', 'api', 8080]]), svc('B', [['b-http', 'b', 'api', 9090]])]);
    const clash = model([svc('A', [['a-http', 'a', 'api', 8080]]), svc('B', [['b-http', 'b', 'api', 8080]])]);

    expect(checkNamespace(ok)).toEqual([]);
    expect(checkNamespace(clash)).toEqual([expect.objectContaining({ rule: 'client-alias-unique', service: 'B', value: 'api:8080' })]);
  });

  test('values known only at deployment (undefined in the model) are skipped, never reported', () => {
    const m = model([svc('A', [['a-http', undefined, undefined, undefined]]), svc('B', [['b-http', undefined, undefined, 8080]])]);
    expect(checkNamespace(m)).toEqual([]);
  });

  test('two ports of one service with the same name are left to the service\'s own checks', () => {
    const m = model([svc('A', [['a-http', 'a', 'a', 80], ['a-admin', 'a', 'a', 80]])]);
    expect(checkNamespace(m)).toEqual([]);
  });
});

describe('namespace model: a namespace needs a server', () => {
  test('only client-only services in a namespace the source creates: a warning about the namespace', () => {
    const findings = checkNamespace(model([svc('Worker', []), svc('Cron', [])]));
    expect(findings).toEqual([expect.objectContaining({
      level: 'warning', rule: 'namespace-without-server', message: expect.stringContaining('gets 2 service(s) and all are client-only (Worker, Cron)'),
    })]);
    expect(findings[0]).not.toHaveProperty('service');
  });

  test('no warning when a server exists, when the namespace is joined rather than created, or when it is empty', () => {
    expect(checkNamespace(model([svc('Worker', []), svc('Api', [['api', 'api', 'api', 80]])]))).toEqual([]);
    expect(checkNamespace(model([svc('Worker', [])], false))).toEqual([]);
    expect(checkNamespace(model([]))).toEqual([]);
  });
});

describe('dependencyChain: circles of deployment-order dependencies on the plain model', () => {
  const call = (client: string, server: string, ordered?: boolean): CallModel<string> => ({ client, server, ordered });

  test('finds the chain by which one service deploys after another, through others', () => {
    // GIVEN a → b → c (a deploys after b, b after c)
    const calls = [call('a', 'b'), call('b', 'c')];
    // THEN a call c → a would close the circle a → b → c → a
    expect(dependencyChain(calls, 'a', 'c')).toEqual(['a', 'b', 'c']);
    expect(dependencyChain(calls, 'c', 'a')).toBeUndefined();
  });

  test('a call that closed a circle (ordered: false) is not a dependency', () => {
    const calls = [call('a', 'b'), call('b', 'c'), call('c', 'a', false)];
    expect(dependencyChain(calls, 'c', 'a')).toBeUndefined();
    expect(dependencyChain(calls, 'a', 'c')).toEqual(['a', 'b', 'c']);
  });

  test('the shortest chain among several, and no chain in a diamond without a circle', () => {
    const calls = [call('a', 'b'), call('b', 'c'), call('c', 'd'), call('a', 'd')];
    expect(dependencyChain(calls, 'a', 'd')).toEqual(['a', 'd']);
    expect(dependencyChain(calls, 'd', 'a')).toBeUndefined();
  });
});

describe('checkCreatedNamespaces: one namespace name per account and Region', () => {
  test('the second creator of a name in the same (or both unknown) account and Region is an error', () => {
    const findings = checkCreatedNamespaces([
      { ref: 'one', path: 'One/C', name: 'internal' },
      { ref: 'two', path: 'Two/C', name: 'internal' },
    ]);
    expect(findings).toEqual([expect.objectContaining({ level: 'error', rule: 'namespace-name-unique', service: 'two', value: 'internal' })]);
  });

  test('different Regions, different names, unknown names, or one known and one unknown environment are not reported', () => {
    expect(checkCreatedNamespaces([
      { ref: 'a', path: 'A', name: 'internal', account: '1', region: 'eu-west-1' },
      { ref: 'b', path: 'B', name: 'internal', account: '1', region: 'us-east-1' },
      { ref: 'c', path: 'C', name: 'other' },
      { ref: 'd', path: 'D' },
      { ref: 'e', path: 'E' },
      { ref: 'f', path: 'F', name: 'internal' },
    ])).toEqual([]);
  });
});
