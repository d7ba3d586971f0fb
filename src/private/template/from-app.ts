import { CfnElement, CfnOutput, CfnResource, Stage } from 'aws-cdk-lib';
import type { ISynthesisSession, IStackSynthesizer, Stack } from 'aws-cdk-lib';
import type * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import type { IConstruct } from 'constructs';
import { MODEL_TYPES } from './build';
import { templateSource } from './reader';
import type { TemplateSource } from './reader';
import type { IConnectedService } from '../../connected-service';
import { isInLibraryService, libraryServices } from '../namespace/members';

/**
 * The templates of a CDK app's stacks as the checks read them, built from the app's L1
 * resources resolved with `Stack.resolve` (so aws-cdk-lib's L2 and hand-written L1 give the same
 * templates the CLI reads from `cdk.out`). Run it after the app is prepared (in a validation),
 * when cross-stack references are already exports.
 *
 * Resolving is the cost of the checks, so only what the rules read is resolved: the resource
 * types of the model and the exports. Services of this library are not resolved: they checked
 * their own props already, and what the namespace-wide rules need of them (ports, discovery
 * names, aliases, the namespace) is taken from the library's record of the namespace as a
 * small `AWS::ECS::Service` of the same logical id.
 *
 * What was resolved is handed to the synthesis that follows (`handOver`), so an element the
 * checks read is resolved once in all, not twice. See `handOver` for why that cannot hand synthesis a stale template.
 */

/** The templates of every stack under `scope`, and the construct of each resource. */
export interface AppTemplates {
  readonly sources: TemplateSource[];
  /** Template name → logical id → the L1 resource. */
  readonly constructs: Map<string, Map<string, CfnResource>>;
}

const LIBRARY_OWN_TYPES = new Set(['AWS::ECS::Service', 'AWS::ECS::TaskDefinition']);

interface StackEntry {
  readonly resources: Record<string, unknown>;
  readonly outputs: Record<string, unknown>;
  readonly constructs: Map<string, CfnResource>;
}

/** Collect the templates of the stacks under `scope`; what is resolved is kept in `renderings`. */
export function appTemplates(scope: IConstruct, renderings: Renderings = new Map()): AppTemplates {
  const byStack = new Map<Stack, StackEntry>();
  const entryOf = (stack: Stack): StackEntry => {
    let entry = byStack.get(stack);
    if (!entry) {
      entry = { resources: {}, outputs: {}, constructs: new Map() };
      byStack.set(stack, entry);
    }
    return entry;
  };
  // the library's services by their CfnService, added in the order of the tree (the first owner of a name keeps it)
  const library = new Map<IConstruct, { service: IConnectedService; namespace: servicediscovery.INamespace }>();
  for (const member of libraryServices(scope)) {
    const cfn = member.service.node.findAll().find((c) => CfnResource.isCfnResource(c) && c.cfnResourceType === 'AWS::ECS::Service');
    if (cfn) library.set(cfn, member);
  }
  for (const element of constructsOf(scope)) {
    if (!CfnElement.isCfnElement(element)) continue;
    const isResource = CfnResource.isCfnResource(element);
    if (isResource) {
      const type = element.cfnResourceType;
      if (!MODEL_TYPES.has(type)) continue;
      const member = library.get(element);
      if (member) {
        addLibraryService(entryOf(element.stack), element, member.service, member.namespace);
        continue;
      }
      if (LIBRARY_OWN_TYPES.has(type) && isInLibraryService(element)) continue;
    } else if (!(element instanceof CfnOutput && element.exportName !== undefined)) {
      continue;
    }
    const stack = element.stack;
    const entry = entryOf(stack);
    const rendered = element.stack.resolve(element._toCloudFormation()) as Rendered;
    renderings.set(element, rendered);
    Object.assign(entry.resources, rendered.Resources ?? {});
    Object.assign(entry.outputs, rendered.Outputs ?? {});
    if (isResource) {
      for (const id of Object.keys(rendered.Resources ?? {})) entry.constructs.set(id, element);
    }
  }
  const sources: TemplateSource[] = [];
  const constructs = new Map<string, Map<string, CfnResource>>();
  for (const [stack, entry] of byStack) {
    const name = stack.node.path || stack.stackName;
    sources.push(templateSource(name, { Resources: entry.resources, Outputs: entry.outputs }));
    constructs.set(name, entry.constructs);
  }
  return { sources, constructs };
}

/**
 * The constructs under `scope` in tree order, without nested stages: a `Stage` is a unit of its
 * own (a pipeline's beta and prod), synthesized into its own assembly before the app around it,
 * and aspects do not reach into it either (add the checks to the stage).
 */
function constructsOf(scope: IConstruct): IConstruct[] {
  const out: IConstruct[] = [];
  const visit = (c: IConstruct): void => {
    out.push(c);
    for (const child of c.node.children) {
      if (!Stage.isStage(child)) visit(child);
    }
  };
  visit(scope);
  return out;
}

/** An element's resolved CloudFormation (its `Resources` or `Outputs` fragment). */
export type Rendered = { Resources?: Record<string, unknown>; Outputs?: Record<string, unknown> };

/** What one run of the checks resolved, by element. */
export type Renderings = Map<CfnElement, Rendered>;

/** Renderings handed to synthesis and not yet taken, per app (the root construct). */
const pending = new WeakMap<IConstruct, Set<CfnElement>>();

/** Above 0 while a stack that was handed renderings writes its template. */
let writingTemplates = 0;

/**
 * Hand what the checks resolved to the synthesis that follows, so it does not resolve the same
 * elements again (resolving an already resolved fragment is a plain walk).
 *
 * Synthesis writes each stack's template through the stack's synthesizer
 * (`IStackSynthesizer.synthesize`), which renders each element with `_toCloudFormation()` and
 * resolves the result. Each element the checks resolved answers its next `_toCloudFormation()`
 * call once, then is itself again; it answers with the checks' rendering only while its stack's
 * synthesizer is writing the template, and otherwise with a fresh rendering. So synthesis is never
 * handed a stale template:
 * - the checks run in the validation phase, after aspects and after the app is prepared, and the
 *   templates are written right after it. Validations do not change CloudFormation; the one this
 *   library has that does (the ingress' dependency cleanup) is on a service of this library,
 *   which the checks never resolve;
 * - when a synthesis stops before the templates are written (another construct's validation
 *   error), the next synthesis of the app prepares it again, which renders every element afresh
 *   and so takes back every rendering of the checks before anything is written (`withdraw` does
 *   the same when the checks run again);
 * - an element of a nested `Stage` is never handed over: a nested stage is synthesized before
 *   the app around it;
 * - an element whose `_toCloudFormation`, or a stack whose synthesizer's `synthesize`, is already
 *   replaced on the instance (a test's spy) is left alone.
 */
export function handOver(scope: IConstruct, renderings: Renderings): void {
  const root = scope.node.root;
  const stage = Stage.isStage(scope) ? scope : Stage.of(scope);
  let handed = pending.get(root);
  if (!handed) {
    handed = new Set();
    pending.set(root, handed);
  }
  const set = handed;
  const writers = new Map<Stack, boolean>();
  for (const [element, rendered] of renderings) {
    const stack = element.stack;
    let writes = writers.get(stack);
    if (writes === undefined) {
      writes = Stage.of(stack) === stage && armWriter(stack);
      writers.set(stack, writes);
    }
    if (!writes || Object.prototype.hasOwnProperty.call(element, '_toCloudFormation')) continue;
    Object.defineProperty(element, '_toCloudFormation', {
      configurable: true,
      writable: true,
      value: () => {
        delete (element as Partial<CfnElement>)._toCloudFormation;
        set.delete(element);
        return writingTemplates > 0 ? rendered : element._toCloudFormation();
      },
    });
    set.add(element);
  }
}

/** Count the stack's next template writing in `writingTemplates`; false if its synthesizer cannot be followed. */
function armWriter(stack: Stack): boolean {
  const synthesizer: IStackSynthesizer = stack.synthesizer;
  if (Object.prototype.hasOwnProperty.call(synthesizer, 'synthesize')) return ARMED.has(synthesizer.synthesize);
  const armed = (session: ISynthesisSession): void => {
    delete (synthesizer as { synthesize?: unknown }).synthesize;
    writingTemplates++;
    try {
      synthesizer.synthesize(session);
    } finally {
      writingTemplates--;
    }
  };
  try {
    Object.defineProperty(synthesizer, 'synthesize', { configurable: true, writable: true, value: armed });
  } catch {
    return false;
  }
  ARMED.add(armed);
  return true;
}

/** The `synthesize` replacements `armWriter` installed (a synthesizer armed by an earlier run stays armed). */
const ARMED = new WeakSet<object>();

/** Take back every rendering handed to a synthesis of this app that did not take it. */
export function withdraw(root: IConstruct): void {
  const handed = pending.get(root);
  if (!handed) return;
  for (const element of handed) delete (element as Partial<CfnElement>)._toCloudFormation;
  handed.clear();
}

/** Time of the last run of the checks over an app, in ms (read by the benchmark). */
export const checkTimings = { lastMs: 0 };

/** A service of this library as a small `AWS::ECS::Service`: its ports from the library's record of the namespace. */
function addLibraryService(entry: StackEntry, cfn: CfnResource, service: IConnectedService, namespace: servicediscovery.INamespace): void {
  const stack = cfn.stack;
  const id = stack.resolve(cfn.logicalId) as string;
  entry.resources[id] = stack.resolve({
    Type: 'AWS::ECS::Service',
    Properties: {
      ServiceConnectConfiguration: {
        Enabled: true,
        Namespace: namespace.namespaceArn,
        // IngressPortOverride holds the port the proxy listens on (the container port or the override)
        Services: service.endpoints.map((e) => ({
          PortName: e.portName,
          DiscoveryName: e.discoveryName,
          ClientAliases: [{ Port: e.clientPort, DnsName: e.dnsName }],
          IngressPortOverride: e.listenerPort,
        })),
      },
    },
  });
  entry.constructs.set(id, cfn);
}
