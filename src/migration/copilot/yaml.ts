import * as YAML from 'yaml';
import { isObject, MigrationError } from '../util';

/** What `${VAR}` interpolation substitutes, as Copilot's `manifest.Interpolator` does. */
export interface InterpolationContext {
  /** `COPILOT_APPLICATION_NAME`, when known. */
  readonly appName?: string;
  /** `COPILOT_ENVIRONMENT_NAME`, when known. */
  readonly environment?: string;
  /** The process environment that other `${VAR}` come from. */
  readonly variables: { [name: string]: string | undefined };
}

/** A manifest read the way Copilot reads it. */
export interface ReadManifest {
  /** The manifest as plain data; every value under `variables` is the YAML scalar's text. */
  readonly doc: Record<string, unknown>;
  /** Variables referenced as `${VAR}` that nothing defines (left in place, in order of appearance). */
  readonly undefinedVariables: string[];
  /** Variables substituted from the process environment (not the two predefined ones). */
  readonly fromEnvironment: string[];
  /** Variables written `\${VAR}`: kept literally as `${VAR}`, as Copilot did. */
  readonly escaped: string[];
}

/** Copilot's pattern (taken from docker/compose): `${NAME}`, or `\${NAME}` to keep it literally. */
const VARIABLE = /(\\?)\$\{([_a-zA-Z][_a-zA-Z0-9]*)\}/g;

/**
 * Parse a manifest the way Copilot does before it reads it: substitute `${VAR}` in every string
 * value (not in keys), turn a substituted JSON array of strings into a list, and keep the source
 * text of the scalars under `variables` (Copilot passes `True` and `007` to the container as written).
 */
export function readManifest(text: string, file: string, context: InterpolationContext): ReadManifest {
  const doc = YAML.parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length > 0) {
    throw new MigrationError(`${file} is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
  }
  const predefined: Record<string, string | undefined> = {
    COPILOT_APPLICATION_NAME: context.appName,
    COPILOT_ENVIRONMENT_NAME: context.environment,
  };
  const undefinedVariables: string[] = [];
  const fromEnvironment: string[] = [];
  const escaped: string[] = [];
  const substitute = (s: string): string => s.replace(VARIABLE, (whole, escape: string, name: string) => {
    if (escape) {
      if (!escaped.includes(name)) escaped.push(name);
      return whole.slice(1);
    }
    const value = name in predefined ? predefined[name] : context.variables[name];
    if (value === undefined) {
      if (!undefinedVariables.includes(name)) undefinedVariables.push(name);
      return whole;
    }
    if (!(name in predefined) && !fromEnvironment.includes(name)) fromEnvironment.push(name);
    return value;
  });

  YAML.visit(doc, {
    Scalar(key, node, path) {
      if (key === 'key' || typeof node.value !== 'string') return undefined;
      // Copilot (since v1.27) runs every string value through this, interpolated or not. A variable
      // holding a JSON list (`'["https://a"]'`, common for Pydantic settings) ran as that string with
      // the Copilot versions that deployed it: keep it a string.
      const out = node.value.includes('${') ? substitute(node.value) : node.value;
      const list = node.type === YAML.Scalar.BLOCK_LITERAL || isVariableValue(path) ? undefined : jsonStringList(out);
      if (list) return doc.createNode(list);
      if (out !== node.value) {
        node.value = out;
        node.source = undefined;
      }
      return undefined;
    },
  });

  // The values of `variables` as Copilot's YAML decoder hands them to a string: the scalar's text.
  const variableMaps = [doc.get('variables', true)];
  const envs = doc.get('environments', true);
  if (YAML.isMap(envs)) {
    for (const pair of envs.items) {
      if (YAML.isMap(pair.value)) variableMaps.push(pair.value.get('variables', true));
    }
  }
  for (const map of variableMaps) {
    if (!YAML.isMap(map)) continue;
    for (const pair of map.items) {
      const v = pair.value;
      if (!YAML.isScalar(v)) continue;
      if (typeof v.value === 'string') continue;
      v.value = v.value === null ? '' : (v.source ?? String(v.value));
    }
  }

  const js: unknown = doc.toJS({ maxAliasCount: 1000 });
  return { doc: isObject(js) ? js : { __notAMap: js }, undefinedVariables, fromEnvironment, escaped };
}

/** Whether a scalar is the value of an entry of a `variables` map. */
function isVariableValue(path: readonly unknown[]): boolean {
  const owner = path[path.length - 3];
  return YAML.isPair(owner) && YAML.isScalar(owner.key) && owner.key.value === 'variables';
}

/** A non-empty JSON array of strings (Copilot turns such a substituted value into a YAML list). */
function jsonStringList(s: string): string[] | undefined {
  if (!s.trimStart().startsWith('[')) return undefined;
  try {
    const v: unknown = JSON.parse(s);
    return Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string') ? v as string[] : undefined;
  } catch {
    return undefined;
  }
}
