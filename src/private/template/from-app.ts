import { CfnElement, CfnOutput, CfnResource, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { MODEL_TYPES } from './build';
import { templateSource } from './reader';
import type { TemplateSource } from './reader';

/**
 * The templates of a CDK app's stacks as the checks read them, built from the app's L1
 * resources resolved with `Stack.resolve` (so this library's constructs, aws-cdk-lib's L2 and
 * hand-written L1 give the same templates the CLI reads from `cdk.out`). Only the resource types
 * the model needs are resolved, and the outputs that carry cross-stack references. Run it after
 * the app is prepared (in a validation), when cross-stack references are already exports.
 */

/** The templates of every stack under `scope`, and the construct of each resource. */
export interface AppTemplates {
  readonly sources: TemplateSource[];
  /** Template name → logical id → the L1 resource. */
  readonly constructs: Map<string, Map<string, CfnResource>>;
}

/** Collect the templates of the stacks under (or around) `scope`. */
export function appTemplates(scope: IConstruct): AppTemplates {
  const byStack = new Map<Stack, { resources: Record<string, unknown>; outputs: Record<string, unknown>; constructs: Map<string, CfnResource> }>();
  const elements = scope.node.findAll().filter((c): c is CfnElement => CfnElement.isCfnElement(c));
  for (const element of elements) {
    const isResource = CfnResource.isCfnResource(element);
    if (isResource ? !MODEL_TYPES.has(element.cfnResourceType) : !(element instanceof CfnOutput && element.exportName !== undefined)) continue;
    const stack = element.stack;
    let entry = byStack.get(stack);
    if (!entry) {
      entry = { resources: {}, outputs: {}, constructs: new Map() };
      byStack.set(stack, entry);
    }
    const rendered = stack.resolve(element._toCloudFormation()) as { Resources?: Record<string, unknown>; Outputs?: Record<string, unknown> };
    Object.assign(entry.resources, rendered.Resources ?? {});
    Object.assign(entry.outputs, rendered.Outputs ?? {});
    if (isResource) {
      for (const id of Object.keys(rendered.Resources ?? {})) entry.constructs.set(id, element);
    }
  }
  const sources: TemplateSource[] = [];
  const constructs = new Map<string, Map<string, CfnResource>>();
  for (const [stack, entry] of byStack) {
    const name = stack.node.path || Stack.of(stack).stackName;
    sources.push(templateSource(name, { Resources: entry.resources, Outputs: entry.outputs }));
    constructs.set(name, entry.constructs);
  }
  return { sources, constructs };
}
