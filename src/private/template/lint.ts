import { checkBaseline } from './baseline';
import { buildModel } from './build';
import { TemplateSet } from './reader';
import type { TemplateSource } from './reader';
import { checkApp } from '../namespace/app';
import type { AppFinding, AppModel } from '../namespace/app';

/** The result of checking a set of templates. */
export interface LintResult {
  readonly set: TemplateSet;
  readonly model: AppModel;
  readonly findings: AppFinding[];
}

/** Check templates with every rule (and, given a baseline, the rules that compare with it). */
export function lintTemplates(sources: readonly TemplateSource[], baseline?: readonly TemplateSource[]): LintResult {
  const set = new TemplateSet(sources);
  const model = buildModel(set);
  const findings = checkApp(model);
  if (baseline) {
    const old = new TemplateSet(baseline);
    findings.push(...checkBaseline(set, model, old, buildModel(old)));
  }
  findings.sort((a, b) => (a.at.template.localeCompare(b.at.template) || a.at.logicalId.localeCompare(b.at.logicalId) ||
    a.at.path.localeCompare(b.at.path) || a.rule.localeCompare(b.rule)));
  return { set, model, findings };
}
