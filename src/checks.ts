import { Annotations } from 'aws-cdk-lib';
import type { IAspect } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { checkApp } from './private/namespace/app';
import type { AppFinding } from './private/namespace/app';
import { isInLibraryService } from './private/namespace/members';
import { buildModel } from './private/template/build';
import { appTemplates, checkTimings, handOver, withdraw } from './private/template/from-app';
import type { Renderings } from './private/template/from-app';
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
 * The checks run once per scope the aspect is added to, after the app is prepared (when
 * cross-stack references are resolved), on the L1 resources of every stack under that scope.
 * Synthesis then writes the templates from what the checks resolved instead of resolving those
 * resources again, so the checks add little to synthesis time. Aspects do not reach into a nested
 * `Stage`: add the checks to each stage.
 */
export class ServiceConnectChecks implements IAspect {
  private readonly scopes = new WeakSet<IConstruct>();

  /** Registers the checks on the first construct visited (the scope the aspect was added to). */
  public visit(node: IConstruct): void {
    if (node.node.scopes.some((s) => this.scopes.has(s))) return;
    this.scopes.add(node);
    node.node.addValidation({ validate: () => { report(node); return []; } });
  }
}

function report(scope: IConstruct): void {
  const started = performance.now();
  try {
    reportFindings(scope);
  } finally {
    checkTimings.lastMs = performance.now() - started;
  }
}

function reportFindings(scope: IConstruct): void {
  withdraw(scope.node.root);
  const renderings: Renderings = new Map();
  const templates = appTemplates(scope, renderings);
  if (templates.sources.length === 0) return;
  // synthesis takes what the checks resolved instead of resolving it again
  handOver(scope, renderings);
  const model = buildModel(new TemplateSet(templates.sources));
  const { constructs } = templates;
  const findings = checkApp(model);
  for (const f of findings) {
    const resource = constructs.get(f.at.template)?.get(f.at.logicalId);
    if (!resource) continue;
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
