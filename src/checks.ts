import { Annotations } from 'aws-cdk-lib';
import type { IAspect } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { checkApp } from './private/namespace/app';
import type { AppFinding } from './private/namespace/app';
import { isInLibraryService } from './private/namespace/members';
import { buildModel } from './private/template/build';
import { checkAtSynthesis } from './private/template/from-app';
import type { AppTemplates } from './private/template/from-app';
import { TemplateSet } from './private/template/reader';
import { formatProblem, warn } from './private/validation/problems';
import { RULES, runsOf } from './private/validation/rules';
import type { ErrorRuleId, RuleDefinition, WarningRuleId } from './private/validation/rules';

/**
 * Checks the Service Connect settings of every ECS cluster, service and task definition of an
 * app, however they are written — with this library, with aws-cdk-lib's `FargateService` /
 * `Ec2Service` and `serviceConnectConfiguration`, or with L1 `CfnService` — and across stacks:
 * the same rules as `cdk-service-connect lint`, from the same code.
 *
 * ```ts
 * Aspects.of(app).add(new ServiceConnectChecks());
 * ```
 *
 * Errors are error annotations (`cdk synth` and `cdk deploy` stop), risky-but-legal settings are
 * warnings with the id `cdk-service-connect:<rule>`, acknowledgeable with
 * `Annotations.of(construct).acknowledgeWarning(...)`. Each names the rule, the property, the value
 * and the fix, on the construct that holds the setting (the L2 construct when the L1 resource is
 * its default child). Rules that the library's constructs already enforce on their own props are
 * not repeated on them.
 *
 * The checks run once per synthesis over the templates of every stack under the scope the aspect
 * is added to (for a scope inside a stack: that stack's, with findings on the constructs under the
 * scope). They read the templates synthesis writes: when synthesis is about to write the first of
 * them, the checks run over all of them, and each stack then writes the template the checks read
 * instead of rendering it again, so the checks add little to synthesis time. Aspects do not reach
 * into a nested `Stage`: add the checks to each stage.
 */
export class ServiceConnectChecks implements IAspect {
  private readonly scopes = new WeakSet<IConstruct>();

  /** Registers the checks on the first construct visited (the scope the aspect was added to). */
  public visit(node: IConstruct): void {
    if (node.node.scopes.some((s) => this.scopes.has(s))) return;
    this.scopes.add(node);
    node.node.addValidation({ validate: () => { checkAtSynthesis(node, (templates) => reportFindings(node, templates)); return []; } });
  }
}

function reportFindings(scope: IConstruct, templates: AppTemplates): void {
  if (templates.sources.length === 0) return;
  const model = buildModel(new TemplateSet(templates.sources));
  for (const f of checkApp(model)) {
    const resource = templates.constructOf(f.at.template, f.at.logicalId);
    // on the constructs under the scope the checks were added to
    if (!resource || !resource.node.scopes.includes(scope)) continue;
    if (runsOf(RULES[f.rule] as RuleDefinition).includes('constructs') && isInLibraryService(resource)) continue;
    const parent = resource.node.scope;
    const target = parent && parent.node.defaultChild === resource ? parent : resource;
    annotate(target, f);
  }
}

function annotate(target: IConstruct, f: AppFinding): void {
  const field = `${f.at.logicalId}${f.at.path ? `.${f.at.path}` : ''}`;
  if (f.level === 'error') {
    Annotations.of(target).addError(formatProblem(f.rule as ErrorRuleId, field, f.value, f.detail, f.fix));
  } else {
    warn(target, f.rule as WarningRuleId, `[${f.rule}] ${field} = ${f.value === undefined ? '(unset)' : JSON.stringify(f.value)}: ${f.detail} Fix: ${f.fix}`);
  }
}
