/**
 * Joining the templates of an application split over several stacks into one template the
 * intrinsic resolver reads.
 */
import type { CfnTemplate, TemplateResource } from './intrinsics';
import { isObject } from './util';

/**
 * Join several templates into one: resources, outputs (so that `Fn::ImportValue` finds another
 * template's export), mappings and conditions side by side; parameters of the same name are one
 * parameter (split stacks pass the same `ProjectName` to every stack). A logical ID that two
 * templates use is renamed in the later one (`<Id><n>`), with every reference to it inside that
 * template.
 */
export function mergeTemplates(parts: ReadonlyArray<{ readonly template: CfnTemplate; readonly label: string }>): CfnTemplate {
  if (parts.length === 1) return parts[0].template;
  const merged = { Resources: {}, Parameters: {}, Mappings: {}, Conditions: {}, Outputs: {} } as {
    Resources: Record<string, TemplateResource>;
    Parameters: Record<string, Record<string, unknown>>;
    Mappings: Record<string, Record<string, Record<string, unknown>>>;
    Conditions: Record<string, unknown>;
    Outputs: Record<string, any>;
  };
  parts.forEach(({ template }, index) => {
    const renames = new Map<string, string>();
    for (const section of ['Resources', 'Outputs', 'Conditions', 'Mappings'] as const) {
      for (const id of Object.keys(template[section] ?? {})) {
        if (id in merged[section]) {
          let n = index + 1;
          while (`${id}${n}` in merged[section] || (template[section] ?? {})[`${id}${n}`] !== undefined) n++;
          renames.set(id, `${id}${n}`);
        }
      }
    }
    const rewritten = renames.size === 0 ? template : renameIds(template, renames) as CfnTemplate;
    for (const section of ['Resources', 'Outputs', 'Conditions', 'Mappings'] as const) {
      for (const [id, v] of Object.entries(rewritten[section] ?? {})) merged[section][renames.get(id) ?? id] = v as any;
    }
    for (const [name, p] of Object.entries(rewritten.Parameters ?? {})) {
      if (!(name in merged.Parameters)) merged.Parameters[name] = p;
      else if (merged.Parameters[name].Default === undefined && p.Default !== undefined) merged.Parameters[name] = p;
    }
  });
  return merged;
}

/** Rewrite references to renamed logical IDs: Ref, Fn::GetAtt, Fn::Sub variables, DependsOn, Condition names. */
function renameIds(value: unknown, renames: Map<string, string>, key?: string): unknown {
  const rename = (id: string) => renames.get(id) ?? id;
  if (typeof value === 'string') {
    if (key === 'Fn::Sub') {
      return value.replace(/\$\{([A-Za-z0-9]+)(\.[^}]*)?\}/g, (whole, id: string, rest: string | undefined) =>
        renames.has(id) ? `\${${rename(id)}${rest ?? ''}}` : whole);
    }
    if (key === 'Ref' || key === 'DependsOn' || key === 'Condition') return rename(value);
    if (key === 'Fn::GetAtt') {
      const dot = value.indexOf('.');
      return dot < 0 ? rename(value) : `${rename(value.slice(0, dot))}${value.slice(dot)}`;
    }
    return value;
  }
  if (Array.isArray(value)) {
    if (key === 'Fn::GetAtt') return value.map((v, i) => (i === 0 && typeof v === 'string' ? rename(v) : renameIds(v, renames)));
    if (key === 'Fn::Sub') return value.map((v, i) => renameIds(v, renames, i === 0 ? 'Fn::Sub' : undefined));
    if (key === 'DependsOn') return value.map((v) => (typeof v === 'string' ? rename(v) : v));
    if (key === 'Fn::If') return value.map((v, i) => (i === 0 && typeof v === 'string' ? rename(v) : renameIds(v, renames)));
    return value.map((v) => renameIds(v, renames));
  }
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = renameIds(v, renames, k);
    return out;
  }
  return value;
}
