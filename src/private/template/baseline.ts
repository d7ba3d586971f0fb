import { ResourceRef } from './reader';
import type { TemplateSet, TemplateSource } from './reader';
import { mappingOf } from '../namespace/app';
import type { AppFinding, AppModel, ServiceModel2 } from '../namespace/app';
import { RULES } from '../validation/rules';

/**
 * The rules that need the deployed version: an update that replaces a Service Connect service
 * (CloudFormation creates the new service first, and it cannot register the discovery names the
 * old one still holds), and a changed `appProtocol` of a Service Connect port (ECS needs the
 * service deleted and recreated). Services are matched by template name and logical id; when
 * the new set has a single template and the baseline too, by logical id alone; otherwise by the
 * template's file name and the logical id.
 */

/** Properties of `AWS::ECS::Service` whose change replaces the service. */
export const REPLACEMENT_PROPERTIES = ['ServiceName', 'Cluster', 'LaunchType', 'Role', 'SchedulingStrategy', 'DeploymentController'] as const;

function canonical(set: TemplateSet, t: TemplateSource, raw: unknown): string {
  const v = set.resolve(t, raw);
  if (typeof v === 'string') return v;
  return JSON.stringify(v === undefined ? raw : v, (_k, x) => (x instanceof ResourceRef ? String(x) : x)) ?? '';
}

/** Compare the new templates with the baseline; findings are about the new templates. */
export function checkBaseline(current: TemplateSet, now: AppModel, baseline: TemplateSet, before: AppModel): AppFinding[] {
  const single = current.templates.length === 1 && baseline.templates.length === 1;
  // templates are matched by file name (a cloud assembly's names are the same in the old and the new one)
  const keyOf = (s: ServiceModel2) => (single ? s.at.logicalId : `${s.at.template.split('/').pop()}#${s.at.logicalId}`);
  const old = new Map(before.services.map((s) => [keyOf(s), s]));
  const findings: AppFinding[] = [];
  for (const s of now.services) {
    const o = old.get(keyOf(s));
    if (!o) continue;
    const t = current.templates.find((x) => x.name === s.at.template)!;
    const ot = baseline.templates.find((x) => x.name === o.at.template)!;
    const props = t.resources[s.at.logicalId].Properties ?? {};
    const oldProps = ot.resources[o.at.logicalId].Properties ?? {};
    for (const p of REPLACEMENT_PROPERTIES) {
      const a = canonical(baseline, ot, oldProps[p]);
      const b = canonical(current, t, props[p]);
      if (a !== b) {
        findings.push({
          rule: 'replacement-hazard',
          level: RULES['replacement-hazard'].level,
          at: { ...s.at, path: p },
          value: `${a || '(unset)'} -> ${b || '(unset)'}`,
          detail: `changing ${p} replaces the service; CloudFormation creates the new one first, and it cannot register the ` +
            'Service Connect discovery names the old one still holds, so the update fails.',
          fix: `keep ${p} as deployed; to change it, first deploy the service without Service Connect (or delete it), then deploy the change.`,
        });
      }
    }
    for (const e of s.entries) {
      const m = mappingOf(s, e.portName);
      const om = mappingOf(o, e.portName);
      if (!m || !om || m.appProtocol === undefined || om.appProtocol === undefined || m.appProtocol === om.appProtocol) continue;
      findings.push({
        rule: 'app-protocol-changed',
        level: RULES['app-protocol-changed'].level,
        at: { ...s.taskDefinition!.at, path: `ContainerDefinitions.PortMappings[Name=${e.portName}].AppProtocol` },
        value: `${om.appProtocol || '(none: TCP)'} -> ${m.appProtocol || '(none: TCP)'}`,
        detail: `the appProtocol of Service Connect port ${JSON.stringify(e.portName)} of ${s.at.logicalId} changes; ECS does not ` +
          'change it on a running service.',
        fix: 'delete the service and create it again with the new protocol (or add a new port mapping with another name).',
      });
    }
  }
  return findings;
}
