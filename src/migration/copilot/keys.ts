import { isObject } from '../util';

/**
 * The manifest keys the converter maps into the plan, by service type ('*' for every type). A key
 * that is a map lists the sub-keys it reads; `true` means the whole value is read.
 */
type KeyTree = { readonly [key: string]: true | KeyTree };

const HEALTHCHECK: KeyTree = { command: true, interval: true, retries: true, timeout: true, start_period: true };

/** Read by every supported service type. */
const COMMON: KeyTree = {
  name: true,
  type: true,
  image: { location: true, port: true, healthcheck: HEALTHCHECK },
  cpu: true,
  memory: true,
  platform: true,
  // every form of count: a number, or these (each reported)
  count: { range: true, spot: true, cpu_percentage: true, memory_percentage: true, requests: true, response_time: true, cooldown: true },
  exec: true,
  command: true,
  variables: true,
  secrets: true,
  network: { connect: true },
  environments: true,
};

/** Keys read by one type only. */
const BY_TYPE: { [type: string]: KeyTree } = {
  'Load Balanced Web Service': { http: { target_port: true, target_container: true, version: true } },
  'Backend Service': { http: { target_port: true, target_container: true, version: true } },
  'Worker Service': {},
};

/**
 * Keys with a finding of their own (what Copilot did with them and what to do instead); a key in
 * neither list gets the generic `unmapped-key` finding.
 */
export const REPORTED = new Set([
  'image.build', 'image.credentials', 'http', 'nlb', 'sidecars', 'storage', 'logging', 'observability',
  'subscribe', 'publish', 'taskdef_overrides', 'entrypoint', 'network.vpc', 'env_file', 'deployment', 'tags',
]);

/**
 * Every key path of the manifest that the converter neither maps nor reports with a finding of
 * its own, e.g. `image.depends_on`, `http.stickiness` (reported under `http` for a service type
 * whose `http` section is reported as a whole).
 */
export function unmappedKeys(type: string, m: Record<string, unknown>): string[] {
  const handled = merge(COMMON, BY_TYPE[type] ?? {});
  const out: string[] = [];
  const walk = (tree: KeyTree, value: Record<string, unknown>, prefix: string) => {
    for (const [k, v] of Object.entries(value)) {
      const path = prefix ? `${prefix}.${k}` : k;
      const known = tree[k];
      if (known === true) continue;
      if (known !== undefined && isObject(v)) {
        walk(known, v, path);
        continue;
      }
      if (known !== undefined) continue; // a scalar where a map is allowed (e.g. `http: false`)
      if (REPORTED.has(path) || reportedAsWhole(path)) continue;
      out.push(path);
    }
  };
  walk(handled, m, '');
  return out;
}

/** `http.*` keys other than the ones read are covered by the `http` section's own finding. */
function reportedAsWhole(path: string): boolean {
  return path.startsWith('http.');
}

function merge(a: KeyTree, b: KeyTree): KeyTree {
  const out: { [key: string]: true | KeyTree } = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = prev && prev !== true && v !== true ? merge(prev, v) : v;
  }
  return out;
}
