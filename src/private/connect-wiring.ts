import { AspectPriority, Aspects, CfnElement, Intrinsic, Reference, Stack, Stage, Token, Tokenization } from 'aws-cdk-lib';
import type { IAspect } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { IConstruct } from 'constructs';
import { ec2Description } from './validation/formats';
import { warn } from './validation/problems';

/**
 * Where the security-group rule and the deployment-order dependency of each `connectTo` go.
 *
 * Both are decided at synthesis, when every service, stack and stack dependency of the app
 * exists, by an aspect on the app (or stage). The stack graph it works on holds the explicit
 * stack dependencies, the dependencies between constructs of different stacks, and the
 * cross-stack references of every CloudFormation element (found without resolving lazy values),
 * plus what earlier calls added. For each call, in the order they were made:
 *
 * - the rule references both security groups, so its stack depends on the other one: it goes in
 *   the client's stack if that one already depends on the server's, in the server's stack if the
 *   server's already depends on the client's, else in the client's stack (the stack that would
 *   depend on the server's stack anyway through the deployment order);
 * - the dependency "client after server" is added unless it would close a cycle of services or
 *   of stacks; then the `dependency-cycle` warning says what must be deployed first.
 *
 * So no placement of clients and servers across stacks makes aws-cdk-lib fail with a cyclic
 * reference.
 */

/** What the wiring needs of a service. */
export interface WiredService extends IConstruct {
  readonly securityGroup: ec2.ISecurityGroup;
  /** The construct that the deployment-order dependency is put on (and on which clients depend). */
  readonly service: IConstruct;
  /** The port a caller is admitted on for a listener port (a port range in bridge network mode). */
  readonly ingressPortFor?: (listenerPort: number) => ec2.Port;
}

interface Call {
  readonly client: WiredService;
  readonly server: WiredService;
  readonly listenerPort: number;
  readonly portName: string;
  /** Whether the call gets a deployment-order dependency (false: it closes a circle of services, warned at the call). */
  readonly ordered: boolean;
}

class ConnectWiring implements IAspect {
  public readonly calls: Call[] = [];
  private done = false;

  constructor(private readonly root: IConstruct) {}

  public visit(node: IConstruct): void {
    if (this.done || node !== this.root) return;
    this.done = true;
    wire(this.root, this.calls);
  }
}

const wirings = new WeakMap<IConstruct, ConnectWiring>();

/** The app or stage whose synthesis wires the calls of `scope`. */
function rootOf(scope: IConstruct): IConstruct {
  return Stage.of(scope) ?? scope.node.root;
}

/**
 * Record a `connectTo` call; its security-group rule and deployment dependency are added at
 * synthesis.
 */
export function recordConnection(client: WiredService, server: WiredService, listenerPort: number, portName: string, ordered = true): void {
  const root = rootOf(client);
  let wiring = wirings.get(root);
  if (!wiring) {
    wiring = new ConnectWiring(root);
    wirings.set(root, wiring);
    Aspects.of(root).add(wiring, { priority: AspectPriority.MUTATING });
  }
  wiring.calls.push({ client, server, listenerPort, portName, ordered });
}

/** Whether `client` already calls `server` through `connectTo` (in this app). */
export function hasConnection(client: WiredService, server: WiredService): boolean {
  return wirings.get(rootOf(client))?.calls.some((c) => c.client === client && c.server === server) ?? false;
}

/** The stack that is deployed as one CloudFormation stack (a nested stack's is its parent's). */
function deployedStackOf(c: IConstruct): Stack {
  let stack = Stack.of(c);
  while (stack.nestedStackParent) stack = stack.nestedStackParent;
  return stack;
}

/** A directed graph with reachability. */
class Graph<T> {
  private readonly edges = new Map<T, Set<T>>();

  public add(from: T, to: T): void {
    if (from === to) return;
    let set = this.edges.get(from);
    if (!set) {
      set = new Set();
      this.edges.set(from, set);
    }
    set.add(to);
  }

  /** Whether `to` is reachable from `from` (a node reaches itself). */
  public reaches(from: T, to: T): boolean {
    if (from === to) return true;
    const seen = new Set<T>([from]);
    const pending = [from];
    while (pending.length > 0) {
      for (const next of this.edges.get(pending.pop()!) ?? []) {
        if (next === to) return true;
        if (!seen.has(next)) {
          seen.add(next);
          pending.push(next);
        }
      }
    }
    return false;
  }

  /** A path from `from` to `to` (inclusive), if any. */
  public path(from: T, to: T): T[] | undefined {
    const previous = new Map<T, T>();
    const pending = [from];
    const seen = new Set<T>([from]);
    while (pending.length > 0) {
      const node = pending.shift()!;
      if (node === to) {
        const path = [to];
        while (path[0] !== from) path.unshift(previous.get(path[0])!);
        return path;
      }
      for (const next of this.edges.get(node) ?? []) {
        if (seen.has(next)) continue;
        seen.add(next);
        previous.set(next, node);
        pending.push(next);
      }
    }
    return undefined;
  }
}

function wire(root: IConstruct, calls: readonly Call[]): void {
  const crossStack = calls.some((c) => deployedStackOf(c.client) !== deployedStackOf(c.server));
  const stacks = crossStack ? stackGraph(root) : new Graph<Stack>();
  const services = new Graph<WiredService>();

  for (const call of calls) {
    const { client, server } = call;
    const clientStack = deployedStackOf(client);
    const serverStack = deployedStackOf(server);

    // The rule: in the stack that already depends on the other, else in the client's.
    const inServerStack = clientStack !== serverStack && !stacks.reaches(clientStack, serverStack) && stacks.reaches(serverStack, clientStack);
    server.securityGroup.addIngressRule(client.securityGroup, server.ingressPortFor?.(call.listenerPort) ?? ec2.Port.tcp(call.listenerPort),
      ec2Description(`Service Connect from ${client.node.path} to ${call.portName}`), !inServerStack);
    if (inServerStack) stacks.add(serverStack, clientStack);
    else stacks.add(clientStack, serverStack);

    // The deployment order: client after server, unless that closes a cycle.
    if (!call.ordered) {
      continue;
    } else if (services.reaches(server, client)) {
      warnServiceCycle(client, server, services.path(server, client) ?? [server, client]);
    } else if (clientStack !== serverStack && stacks.reaches(serverStack, clientStack)) {
      warnStackCycle(client, server, stacks.path(serverStack, clientStack) ?? [serverStack, clientStack]);
    } else {
      services.add(client, server);
      stacks.add(clientStack, serverStack);
      client.service.node.addDependency(server.service);
    }
  }
}

function warnServiceCycle(client: WiredService, server: WiredService, path: WiredService[]): void {
  const names = path.map((s) => s.node.path);
  const loop = path.length === 2
    ? `${client.node.path} and ${server.node.path} connect to each other`
    : `${client.node.path} connects to ${server.node.path}, which already depends on it (${names.join(' → ')})`;
  warn(client, 'dependency-cycle',
    `${loop}. CloudFormation cannot deploy each before the other, so ` +
    `only ${server.node.path} → ${client.node.path} keeps its deployment-order dependency; ${client.node.path} may start before ` +
    `${server.node.path} exists and then needs a new deployment (e.g. ECS "force new deployment") to see it.`);
}

function warnStackCycle(client: WiredService, server: WiredService, path: Stack[]): void {
  const serverStack = deployedStackOf(server).stackName;
  const clientStack = deployedStackOf(client).stackName;
  warn(client, 'dependency-cycle',
    `${client.node.path} (stack ${clientStack}) connects to ${server.node.path} (stack ${serverStack}), but stack ${serverStack} ` +
    `already depends on stack ${clientStack} (${path.map((s) => s.stackName).join(' → ')}), so CloudFormation cannot deploy ` +
    `${server.node.path} first. Deploy ${server.node.path} first yourself: on the first deployment, deploy stack ${clientStack} with ` +
    `${client.node.path} at desiredCount 0 (or let it retry), then stack ${serverStack}, then redeploy ${client.node.path} ` +
    '(e.g. ECS "force new deployment"); or move one of the two services so that their stacks allow the order.');
}

/** The dependencies between the deployed stacks of `root` as they stand now, including those that references will add. */
function stackGraph(root: IConstruct): Graph<Stack> {
  const graph = new Graph<Stack>();
  for (const c of root.node.findAll()) {
    if (Stack.isStack(c) && !c.nestedStackParent) {
      for (const dep of c.dependencies) graph.add(c, deployedStackOf(dep));
    }
    const from = stackOrUndefined(c);
    if (!from) continue;
    for (const dep of c.node.dependencies) {
      for (const target of dep.node.findAll()) {
        const to = stackOrUndefined(target);
        if (to) graph.add(from, to);
      }
    }
    if (CfnElement.isCfnElement(c)) {
      for (const target of referencedConstructs(c)) {
        const to = stackOrUndefined(target);
        if (to) graph.add(from, to);
      }
    }
  }
  return graph;
}

function stackOrUndefined(c: IConstruct): Stack | undefined {
  // Stack.of() throws (and records the error) for constructs outside any stack: look first.
  const scopes = c.node.scopes;
  for (let i = scopes.length - 1; i >= 0; i--) {
    if (Stage.isStage(scopes[i])) return undefined;
    if (Stack.isStack(scopes[i])) return deployedStackOf(scopes[i]);
  }
  return undefined;
}

/**
 * The constructs an element references through CDK references (`Ref`, `Fn::GetAtt`), found in
 * its properties and overrides without resolving them, so that lazy values are not fixed early.
 */
function referencedConstructs(element: CfnElement): Set<IConstruct> {
  const found = new Set<IConstruct>();
  const raw = element as unknown as { cfnProperties?: unknown; rawOverrides?: unknown };
  let properties: unknown;
  try {
    properties = raw.cfnProperties;
  } catch {
    properties = undefined;
  }
  collect(properties, found, 0);
  collect(raw.rawOverrides, found, 0);
  return found;
}

function collect(value: unknown, found: Set<IConstruct>, depth: number): void {
  if (value === undefined || value === null || depth > 40) return;
  if (typeof value === 'string') {
    if (Token.isUnresolved(value)) for (const t of Tokenization.reverseString(value).tokens) collect(t, found, depth + 1);
    return;
  }
  if (typeof value === 'number') {
    const token = Tokenization.reverseNumber(value);
    if (token) collect(token, found, depth + 1);
    return;
  }
  if (Array.isArray(value)) {
    const token = Tokenization.reverseList(value);
    if (token) collect(token, found, depth + 1);
    else for (const v of value) collect(v, found, depth + 1);
    return;
  }
  if (typeof value !== 'object') return;
  if (value instanceof Reference) {
    found.add(value.target);
    return;
  }
  if (Tokenization.isResolvable(value)) {
    // Intrinsic functions (Fn.join, Fn.select, …) keep their arguments in fields: look into them,
    // but never produce a lazy value.
    const inner = value as unknown as { value?: unknown; listOfValues?: unknown };
    if (value instanceof Intrinsic) collect(inner.value, found, depth + 1);
    if ('listOfValues' in inner) collect(inner.listOfValues, found, depth + 1);
    return;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return;
  for (const v of Object.values(value as Record<string, unknown>)) collect(v, found, depth + 1);
}
