/** A service that other services may call through Copilot's service discovery. */
export interface DiscoveryTarget {
  /** The Copilot service name (its Cloud Map name in `<env>.<app>.local`). */
  readonly name: string;
  /** The Service Connect alias clients dial now. */
  readonly dnsName: string;
  /** The Service Connect alias port. */
  readonly clientPort: number;
}

/** One rewritten reference. */
export interface DiscoveryRewrite {
  readonly target: DiscoveryTarget;
  /** The text that was replaced, e.g. `http://api.prod.shop.local:8080`. */
  readonly original: string;
  /** What replaced it, e.g. `http://api:8080`. */
  readonly replacement: string;
  /** A port the client dialled that is not the Service Connect port (the value now uses the alias port). */
  readonly otherPort?: number;
}

/**
 * Rewrite Copilot service-discovery hosts in a variable value to the Service Connect alias:
 * `<svc>.<env>.<app>.local` and `<svc>.${COPILOT_SERVICE_DISCOVERY_ENDPOINT}`, with or without a
 * scheme and port. With a scheme, the result names the alias port (`http://api:8080`); a bare
 * host becomes the bare alias (`api`), a `host:port` becomes `alias:port`.
 */
export function rewriteDiscoveryHosts(
  value: string, targets: DiscoveryTarget[], env?: string, app?: string,
): { value: string; rewrites: DiscoveryRewrite[] } {
  const rewrites: DiscoveryRewrite[] = [];
  if (targets.length === 0) return { value, rewrites };
  const names = targets.map((t) => t.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  const zone = env && app
    ? `${escape(env.toLowerCase())}\\.${escape(app.toLowerCase())}\\.local`
    : '[a-z0-9-]+\\.[a-z0-9-]+\\.local';
  const re = new RegExp(`(^|[^A-Za-z0-9.-])(?:([a-zA-Z][a-zA-Z0-9+.-]*)://)?(${names})\\.(?:\\$\\{COPILOT_SERVICE_DISCOVERY_ENDPOINT\\}|${zone})(?::(\\d+))?(?![A-Za-z0-9.-])`, 'g');
  const out = value.replace(re, (whole, lead: string, scheme: string | undefined, name: string, port: string | undefined) => {
    const target = targets.find((t) => t.name === name)!;
    const replacement = scheme ? `${scheme}://${target.dnsName}:${target.clientPort}`
      : port !== undefined ? `${target.dnsName}:${target.clientPort}` : target.dnsName;
    const dialled = port !== undefined ? Number(port) : scheme === 'https' ? 443 : scheme ? 80 : undefined;
    rewrites.push({
      target,
      original: whole.slice(lead.length),
      replacement,
      otherPort: dialled !== undefined && dialled !== target.clientPort ? dialled : undefined,
    });
    return `${lead}${replacement}`;
  });
  return { value: out, rewrites };
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
