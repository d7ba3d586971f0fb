import { ServiceConnectProtocol } from '../../../src';
import { checkNamespace } from '../../../src/private/namespace/model';
import type { NamespaceModel, ServiceModel } from '../../../src/private/namespace/model';

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
