import { CfnElement, CfnOutput, CfnResource } from 'aws-cdk-lib';
import type { Stack } from 'aws-cdk-lib';
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
 * small `AWS::ECS::Service` of the same logical id. Security groups are resolved only on demand
 * (`withSecurityGroups`), when some port's alias differs from the port its proxy listens on.
 */

/** The templates of every stack under `scope`, and the construct of each resource. */
export interface AppTemplates {
  readonly sources: TemplateSource[];
  /** Template name → logical id → the L1 resource. */
  readonly constructs: Map<string, Map<string, CfnResource>>;
}

const SECURITY_GROUP_TYPES = new Set(['AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupIngress']);
const LIBRARY_OWN_TYPES = new Set(['AWS::ECS::Service', 'AWS::ECS::TaskDefinition']);

interface StackEntry {
  readonly resources: Record<string, unknown>;
  readonly outputs: Record<string, unknown>;
  readonly constructs: Map<string, CfnResource>;
}

/** Collect the templates of the stacks under `scope`. */
export function appTemplates(scope: IConstruct, withSecurityGroups = true): AppTemplates {
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
  for (const element of scope.node.findAll()) {
    if (!CfnElement.isCfnElement(element)) continue;
    const isResource = CfnResource.isCfnResource(element);
    if (isResource) {
      const type = element.cfnResourceType;
      if (!MODEL_TYPES.has(type) || (!withSecurityGroups && SECURITY_GROUP_TYPES.has(type))) continue;
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
    const rendered = renderOnce(element);
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

type Rendered = { Resources?: Record<string, unknown>; Outputs?: Record<string, unknown> };

/**
 * The resolved CloudFormation of an element. It is resolved again at synthesis: the checks never
 * hand synthesis a rendering of their own (an app synthesized twice, as tests do, must get the
 * current state of every element, not the one the checks saw).
 */
function renderOnce(element: CfnElement): Rendered {
  return element.stack.resolve(element._toCloudFormation()) as Rendered;
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
