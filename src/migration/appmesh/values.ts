/**
 * Deploy-time values: the resolver's internal placeholders (`${Param:…}`, `${Import:…}`,
 * `${Ref:…}`, `${GetAtt:…}`) never leave the converter. Parameters and imports become values of the
 * generated app (`${Name}` in the plan's strings, a stack prop / `CfnParameter` or `Fn.importValue`
 * in the app); pseudo parameters stay `${AWS::…}`; anything else is `REPLACE_ME` and a finding.
 */
import { FindingSeverity, MigratedValueKind } from '../types';
import { pascal, slug } from '../util';
import type { Ctx } from './model';

const INTERNAL = /\$\{(Param|Import|Ref|GetAtt):([^}]*)\}/g;

/** The marker the report tells users to search for. */
export const REPLACE_ME = 'REPLACE_ME';

/**
 * A resolved string as the plan carries it: parameters and imports as `${Name}` values of the app,
 * pseudo parameters as `${AWS::…}`, and `REPLACE_ME` (with a finding about `where`) for values
 * that only another resource of the source knows at deploy time.
 */
export function planString(c: Ctx, s: string, where: string): string {
  return s.replace(INTERNAL, (_whole, kind: string, ref: string) => {
    if (kind === 'Param') return `\${${valueName(c, ref, MigratedValueKind.PARAMETER)}}`;
    if (kind === 'Import') {
      const exportName = planString(c, c.r.imports[Number(ref)] ?? ref, where);
      return `\${${valueName(c, exportName, MigratedValueKind.IMPORT)}}`;
    }
    const key = `${where}: ${kind === 'Ref' ? `Ref ${ref}` : `Fn::GetAtt ${ref}`}`;
    if (!c.replaced.has(key)) {
      c.replaced.add(key);
      const resource = ref.split('.')[0];
      const type = c.t.Resources[resource]?.Type;
      c.finding('unresolved-value', FindingSeverity.WARNING, where, 'value known only at deploy time',
        `it is ${kind === 'Ref' ? `a Ref to ${ref}` : `Fn::GetAtt ${ref}`}${type ? ` (${type})` : ''}, which only the deployed source stack knows.`,
        `The generated app has ${REPLACE_ME} in its place: put the real value there (look it up in the deployed stack, or pass it as a parameter of the app).`);
    }
    return REPLACE_ME;
  });
}

/** Register a parameter (by its name) or an import (by its export name as a plan string) and return its name in the plan. */
function valueName(c: Ctx, key: string, kind: MigratedValueKind): string {
  const known = c.values.get(`${kind}:${key}`);
  if (known) return known.name;
  const taken = new Set([...c.values.values()].map((v) => v.name));
  let name: string;
  if (kind === MigratedValueKind.PARAMETER) {
    name = key;
  } else {
    const base = `Import${pascal(stripPlaceholders(key).replace(/^[^A-Za-z0-9]+/, ''))}`;
    name = base;
    for (let i = 2; taken.has(name) || c.t.Parameters?.[name] !== undefined; i++) name = `${base}${i}`;
  }
  const param = kind === MigratedValueKind.PARAMETER ? c.r.openParameters.get(key) : undefined;
  c.values.set(`${kind}:${key}`, {
    name,
    kind,
    exportName: kind === MigratedValueKind.IMPORT ? key : undefined,
    description: param?.description ?? (kind === MigratedValueKind.IMPORT ? `the export ${key} of another stack` : undefined),
  });
  return name;
}

/** A string without any placeholder or `${…}` reference (for names built from it). */
export function stripPlaceholders(s: string): string {
  return s.replace(/\$\{[^}]*\}/g, '');
}

/** Whether a resolved string holds any deploy-time reference. */
export function isDeployTime(s: string): boolean {
  return /\$\{[^}]*\}/.test(s);
}

/**
 * A name for discovery names and construct ids from a resource name that may hold parameters:
 * the parameter parts go, and a `-node` / `-vn` / `-virtual-node` suffix with them
 * (`${ProjectName}-front-node` → `front`).
 */
export function nameWithoutParameters(s: string): string {
  const hadPlaceholder = isDeployTime(s);
  let n = stripPlaceholders(s).replace(/^[-_.:/]+|[-_.:/]+$/g, '');
  if (hadPlaceholder || /[-_](vn|node|virtual-node)$/i.test(n)) n = n.replace(/[-_](vn|node|virtual-node)$/i, '');
  return n;
}

/** Lower-case a plan string outside its `${…}` references (DNS names are lower case, parameter names are not). */
export function lowerOutsideReferences(s: string): string {
  return s.split(/(\$\{[^}]*\})/).map((part) => (part.startsWith('${') ? part : part.toLowerCase())).join('');
}

/** A plan string with every reference replaced by a sample label, to check the shape of a name around its references. */
export function sampleOf(s: string): string {
  return s.replace(/\$\{[^}]*\}/g, 'x');
}

/** A slug of a name that may hold references. */
export function slugWithoutParameters(s: string, max = 64): string {
  return slug(nameWithoutParameters(s), max);
}
