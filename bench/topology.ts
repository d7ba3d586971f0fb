/**
 * The topology both builders create: N services in one namespace, spread over team stacks of at
 * most `servicesPerStack`, each calling its predecessor and the shared first service (the hub).
 */

/** One service of the topology. */
export interface PlannedService {
  /** 0-based position. */
  readonly index: number;
  /** Construct id, e.g. `Svc0042`. */
  readonly id: string;
  /** Port mapping name, e.g. `svc-0042-http`. */
  readonly portName: string;
  /** Discovery and DNS name, e.g. `svc-0042`. */
  readonly discoveryName: string;
  /** The team stack the service is in. */
  readonly stackIndex: number;
  /** Indexes of the services it calls (lower than its own, so there is no cycle). */
  readonly calls: number[];
}

/** A planned topology. */
export interface Topology {
  readonly services: PlannedService[];
  readonly stackCount: number;
  readonly edgeCount: number;
}

/** The port every service listens on. */
export const CONTAINER_PORT = 8080;
/** The image of every service. */
export const IMAGE = 'public.ecr.aws/example/app:1.0.0';
/** The namespace of the topology. */
export const NAMESPACE_NAME = 'bench.internal';
/**
 * Services per team stack. Each service creates 8 resources plus one security-group ingress rule
 * per call (2 here), so 40 services make ~400 resources: under the 450 where the library warns
 * and well under CloudFormation's 500.
 */
export const SERVICES_PER_STACK = 40;

/** Plan N services. */
export function planTopology(n: number, servicesPerStack = SERVICES_PER_STACK): Topology {
  const services: PlannedService[] = [];
  let edgeCount = 0;
  for (let i = 0; i < n; i++) {
    const name = `svc-${String(i).padStart(4, '0')}`;
    const calls = i === 0 ? [] : i === 1 ? [0] : [i - 1, 0];
    edgeCount += calls.length;
    services.push({
      index: i,
      id: `Svc${String(i).padStart(4, '0')}`,
      portName: `${name}-http`,
      discoveryName: name,
      stackIndex: Math.floor(i / servicesPerStack),
      calls,
    });
  }
  return { services, stackCount: Math.ceil(n / servicesPerStack), edgeCount };
}

/** The URL variable of a call to `server`: what `connectTo` names it (`svc-0001` → `SVC_0001_URL`). */
export function urlVariable(server: PlannedService): string {
  return `${server.discoveryName.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_URL`;
}

/** The URL of `server`. */
export function urlOf(server: PlannedService): string {
  return `http://${server.discoveryName}:${CONTAINER_PORT}`;
}
