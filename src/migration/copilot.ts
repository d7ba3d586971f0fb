import * as advice from './copilot/advice';
import { checkEnvironment, interpolationFindings } from './copilot/environment';
import { featureFindings } from './copilot/features';
import { containerHealthCheck } from './copilot/health';
import { applyOverride } from './copilot/overrides';
import type { ParsedService, Report } from './copilot/ports';
import { servicePorts, taskCount } from './copilot/ports';
import { commandLine, copilotSecret, mentions } from './copilot/values';
import { dropUnresolved, rewriteDiscovery } from './copilot/variables';
import { readManifest } from './copilot/yaml';
import { MigrationPlan } from './plan';
import { sizingFor } from './sizing-plan';
import type { MigratedConnection, MigratedSecret, MigratedService, MigrationFinding } from './types';
import { FindingSeverity, MigrationSource } from './types';
import { isObject, MigrationError, num, pascal, str, uniqueName } from './util';
import { schemeOf, urlVariableFor } from '../private/endpoints';

/**
 * One Copilot manifest to migrate.
 */
export interface CopilotManifest {
  /** The manifest's YAML text. */
  readonly text: string;
  /**
   * The file it came from (for messages; `copilot/<svc>/manifest.yml` also names the service).
   *
   * @default 'manifest.yml'
   */
  readonly fileName?: string;
}

/**
 * Options of `CopilotMigration.fromManifests()`.
 */
export interface CopilotMigrationOptions {
  /**
   * The Copilot environment whose overrides (`environments.<name>` in each manifest) apply, and
   * the value of `${COPILOT_ENVIRONMENT_NAME}` in the manifests. A name that no manifest's
   * `environments` has is an error (when some manifest has `environments`).
   *
   * @default - no overrides: the manifests' top-level values (a finding when manifests have some)
   */
  readonly environment?: string;

  /**
   * The Copilot application name: the value of `${COPILOT_APPLICATION_NAME}` in the manifests.
   *
   * @default - unknown: `${COPILOT_APPLICATION_NAME}` stays unresolved (a finding)
   */
  readonly appName?: string;

  /**
   * The variables that `${VAR}` in the manifests stands for, as Copilot read them from the shell
   * that ran `copilot deploy` (`COPILOT_APPLICATION_NAME` and `COPILOT_ENVIRONMENT_NAME` always
   * come from `appName` and `environment`).
   *
   * @default - the process environment
   */
  readonly processEnvironment?: { [name: string]: string };

  /**
   * The Cloud Map namespace of the migrated services. Clients dial the short aliases
   * (`http://api:8080`), which do not contain it, so any name works; keep it different from the
   * Copilot environment's own `<env>.<app>.local` while both run.
   *
   * @default - `<env>.<app>.sc.internal` when both are known, else `sc.internal`
   */
  readonly namespaceName?: string;

  /**
   * The name of the generated stack (and of its class).
   *
   * @default - `<App><Env>ServiceConnect`, or `CopilotServiceConnect`
   */
  readonly stackName?: string;

  /**
   * Connect every service to every other service that has a port, as Copilot's environment
   * network allowed. Otherwise only the edges found in the manifests' variables are connected.
   *
   * @default false
   */
  readonly connectAll?: boolean;
}

const SUPPORTED = ['Load Balanced Web Service', 'Backend Service', 'Worker Service'];


/**
 * Converts AWS Copilot service manifests into a Service Connect migration plan.
 */
export class CopilotMigration {
  /**
   * Read Copilot manifests ("Load Balanced Web Service", "Backend Service" and "Worker Service")
   * and plan their migration to Service Connect, reading them as Copilot did (`${VAR}`
   * interpolation, environment overrides, variable values as written). Copilot's Service Connect
   * names are kept: the port mapping is named `target`, the discovery name is `<svc>-sc`, the
   * client alias is the service name (or `network.connect.alias`) on the target port, and the
   * protocol stays TCP unless `http.version` names one, so clients keep calling `http://<svc>:<port>`.
   *
   * @param manifests the manifests
   * @param options options
   */
  public static fromManifests(manifests: CopilotManifest[], options: CopilotMigrationOptions = {}): MigrationPlan {
    return new CopilotConverter(options).convert(manifests);
  }

  private constructor() {}
}

class CopilotConverter {
  private readonly findings: MigrationFinding[] = [];
  /** Per client service id: the servers its variables called through Copilot's service discovery, with why. */
  private readonly discoveryEdges = new Map<string, Map<string, string>>();
  /** Per service name: the `${VAR}` of its manifest that nothing defined. */
  private readonly undefinedIn = new Map<string, Set<string>>();

  constructor(private readonly options: CopilotMigrationOptions) {}

  public convert(manifests: CopilotManifest[]): MigrationPlan {
    if (manifests.length === 0) throw new MigrationError('no Copilot manifest given.');
    const read = manifests.map((manifest) => {
      const file = manifest.fileName ?? 'manifest.yml';
      return {
        file,
        ...readManifest(manifest.text, file, {
          appName: this.options.appName,
          environment: this.options.environment,
          variables: this.options.processEnvironment ?? process.env,
        }),
      };
    });
    checkEnvironment(read.map((r) => r.doc), this.options.environment, this.report);
    interpolationFindings(read, this.report);

    const parsed: ParsedService[] = [];
    const names = new Set<string>();
    for (const { doc, file, undefinedVariables } of read) {
      const p = this.parse(doc, file);
      if (!p) continue;
      this.undefinedIn.set(p.name, new Set(undefinedVariables));
      if (names.has(p.name)) {
        throw new MigrationError(`${p.file}: the service name "${p.name}" appears in more than one manifest; Copilot service names are unique in an application.`);
      }
      names.add(p.name);
      parsed.push(p);
    }
    if (parsed.length === 0) {
      throw new MigrationError(`none of the ${manifests.length} manifest(s) is a ${SUPPORTED.join(', ')}: nothing to migrate.`);
    }

    const ids = new Set<string>();
    const services = parsed.map((p) => this.service(p, uniqueName(pascal(p.name), ids, '')));
    rewriteDiscovery(parsed, services, this.discoveryEdges, this.report, this.options.environment, this.options.appName);
    dropUnresolved(parsed, services, this.undefinedIn, this.report);
    const connections = this.connections(parsed, services);

    const { appName, environment } = this.options;
    const namespaceName = this.options.namespaceName ??
      (appName && environment ? `${environment}.${appName}.sc.internal`.toLowerCase() : 'sc.internal');
    this.finding('namespace', FindingSeverity.INFO, 'environment', 'Service Connect namespace',
      `Copilot put the services in its environment namespace${appName && environment ? ` ${environment}.${appName}.local` : ' <env>.<app>.local'}; ` +
      `the plan creates a new HTTP namespace ${namespaceName}.`,
      'Clients dial the short aliases (http://<svc>:<port>), which do not contain the namespace, so they keep working. Run the new ' +
      'services beside the Copilot ones, move traffic, then delete the Copilot services. The discovery names are Copilot\'s own ' +
      '(<svc>-sc) and are unique per namespace, so never point both at one namespace.');
    this.finding('copilot-variables', FindingSeverity.INFO, 'every service', 'Copilot\'s injected variables',
      'Copilot set COPILOT_APPLICATION_NAME, COPILOT_ENVIRONMENT_NAME, COPILOT_SERVICE_NAME, COPILOT_LB_DNS and ' +
      'COPILOT_SERVICE_DISCOVERY_ENDPOINT in every task.',
      'The generated services do not. If the code reads them, add them to environment; the plan already rewrote the ' +
      '<svc>.<env>.<app>.local and <svc>.${COPILOT_SERVICE_DISCOVERY_ENDPOINT} names it found in variables to the Service Connect alias.');
    if (!this.options.connectAll) {
      this.finding('open-network', FindingSeverity.WARNING, 'every service', 'environment-wide network access',
        'in a Copilot environment every service could reach every other one through the environment security group.',
        `The library opens a server's security group only along connectTo edges. The plan found ${connections.length} edge(s) in the ` +
        'manifests\' variables; add connectTo for any other call (or rerun with --connect-all / connectAll: true).');
    }

    const env = environment ? pascal(environment) : '';
    return new MigrationPlan({
      source: MigrationSource.COPILOT,
      sourceLabel: manifests.length === 1 ? (manifests[0].fileName ?? 'manifest.yml') : `${manifests.length} Copilot manifests`,
      namespaceName,
      stackName: this.options.stackName ?? (appName ? `${pascal(appName)}${env}ServiceConnect` : 'CopilotServiceConnect'),
      services,
      connections,
      findings: this.findings,
      removals: [
        'The Copilot services (copilot svc delete --name <svc> --env <env>) once their replacements serve traffic, clients first and servers last.',
        'The Copilot environment (copilot env delete) and application (copilot app delete) when nothing runs in them.',
      ],
    });
  }

  private parse(doc: Record<string, unknown>, file: string): ParsedService | undefined {
    if (typeof doc.type !== 'string' && (doc.stages !== undefined || doc.source !== undefined || /(^|\/)copilot\/pipelines\//.test(file.replace(/\\/g, '/')))) {
      this.finding('pipeline-manifest', FindingSeverity.INFO, file, 'Copilot pipeline', 'a pipeline manifest, not a service.',
        'Skipped: rebuild the pipeline with CDK Pipelines (pipelines.CodePipeline) deploying the generated stack, or keep building images in your CI and pass their URIs.');
      return undefined;
    }
    if (typeof doc.type !== 'string') {
      throw new MigrationError(`${file} is not a Copilot manifest: it has no "type" (expected one of ${SUPPORTED.join(', ')}).`);
    }
    if (doc.type === 'Environment') {
      this.finding('environment-manifest', FindingSeverity.INFO, file, 'environment manifest', 'an environment manifest, not a service.',
        'Skipped: the generated ServiceConnectCluster creates the VPC, cluster and namespace.');
      return undefined;
    }
    const fromPath = /copilot\/([^/]+)\/manifest\.ya?ml$/.exec(file.replace(/\\/g, '/'))?.[1];
    const name = str(doc.name) ?? fromPath;
    let m: Record<string, unknown> = doc;
    const envName = this.options.environment;
    if (envName && isObject(doc.environments) && isObject(doc.environments[envName])) {
      m = applyOverride(doc, doc.environments[envName] as Record<string, unknown>);
    }
    if (doc.type === 'Static Site') {
      this.finding('static-site', FindingSeverity.INFO, `Static Site ${name ?? file}`, 'static site',
        `${file} is a Static Site: Copilot uploaded its files to an S3 bucket behind CloudFront.`, advice.staticSite(m));
      return undefined;
    }
    if (!SUPPORTED.includes(doc.type)) {
      this.finding('unsupported-type', FindingSeverity.BLOCKER, `${doc.type} ${name ?? file}`, doc.type,
        `${file} describes a ${doc.type}, which this tool does not migrate.`,
        doc.type === 'Request-Driven Web Service' ? 'App Runner services cannot join Service Connect; call the ECS services through a load balancer or keep App Runner with a VPC connector.'
          : doc.type === 'Scheduled Job' ? 'Scheduled jobs are standalone tasks, which cannot take part in Service Connect; run them with EventBridge Scheduler and call servers through an internal load balancer, or make them a service.'
            : 'Migrate it by hand.');
      return undefined;
    }
    if (!name || !/^[a-z][a-z0-9-]{0,62}$/.test(name)) {
      throw new MigrationError(`${file}: the service name ${JSON.stringify(name ?? null)} is missing or invalid (Copilot names are lowercase letters, digits and hyphens).`);
    }
    const network = isObject(m.network) ? m.network : {};
    const connectRaw = network.connect;
    const connect = connectRaw === true || isObject(connectRaw) && connectRaw.enable !== false;
    const alias = isObject(connectRaw) ? str(connectRaw.alias) : undefined;
    return { name, type: doc.type, file, m, connect, alias };
  }

  private service(p: ParsedService, id: string): MigratedService {
    const { m, name, file } = p;
    const subject = `${p.type} ${name} (${file})`;
    const image = isObject(m.image) ? m.image : {};
    let location = str(image.location);
    let imageHint: string | undefined;
    if (location !== undefined && /\$\{[^}]*\}/.test(location)) {
      this.finding('image-unresolved', FindingSeverity.WARNING, subject, 'image with an undefined ${VAR}',
        `image.location is ${location}, and nothing defines its \${…}.`,
        'The generated app uses the REPLACE_ME placeholder: pass the variable (the environment, --app, --env) and rerun, or fill the image in.');
      location = undefined;
    } else if (!location) {
      const build = advice.imageBuild(image.build);
      imageHint = `Copilot built it: ${build.code} (paths relative to the folder that holds copilot/).`;
      this.finding('image-build', FindingSeverity.WARNING, subject, 'image built by Copilot',
        `Copilot built the image (${build.summary}; paths relative to the folder that holds copilot/) and pushed it to its own ECR repository.`,
        `Replace the placeholder (REPLACE_ME) with ${build.code} (write the context path relative to where cdk synth runs), or an image URI your pipeline pushes.`);
    }
    const ports = servicePorts(p, subject, this.report);

    const cpu = num(m.cpu) ?? 256;
    const memory = num(m.memory) ?? 512;
    const estimated = m.cpu === undefined || m.memory === undefined;
    const sizing = sizingFor(cpu, memory, { estimated, previousTaskCpu: cpu, previousTaskMemoryMiB: memory });
    if (sizing.taskCpu !== cpu || sizing.taskMemoryMiB !== memory) {
      this.finding('task-size', FindingSeverity.INFO, subject, 'larger task',
        `the Copilot task (${cpu} CPU units, ${memory} MiB) shared its CPU and memory with the Service Connect proxy; the plan gives the app ` +
        `the same and reserves the proxy's budget, so the task grows to ${sizing.taskCpu} CPU units and ${sizing.taskMemoryMiB} MiB.`,
        `To keep the old size instead, use EnvoySizing.forTask({ taskCpu: ${cpu}, taskMemoryMiB: ${memory}, proxy: ProxyBudget.of(...) }) after checking the app still fits.`);
    }
    const { desiredCount, capacityProviders } = taskCount(m, subject, this.report);

    const environment: { [k: string]: string } = {};
    for (const [k, v] of Object.entries(isObject(m.variables) ? m.variables : {})) {
      if (isObject(v)) {
        this.finding('variable-from-cfn', FindingSeverity.WARNING, subject, 'variable from a CloudFormation export',
          `${k} is ${JSON.stringify(v)}.`, `Set ${k} in the generated service's environment by hand${isObject(v) && str(v.from_cfn) ? ` (Fn.importValue(${JSON.stringify(str(v.from_cfn))}))` : ''}.`);
        continue;
      }
      if (Array.isArray(v)) {
        this.finding('variable-list', FindingSeverity.WARNING, subject, 'variable holding a list',
          `${k} is the JSON list ${JSON.stringify(v)}: Copilot turns such a value into a YAML list and cannot deploy it as a variable.`,
          `Left out: set ${k} by hand to the string the app expects.`);
        continue;
      }
      const s = str(v);
      if (s !== undefined) environment[k] = s;
    }
    const secrets: MigratedSecret[] = [];
    for (const [k, v] of Object.entries(isObject(m.secrets) ? m.secrets : {})) {
      const secret = copilotSecret(k, v);
      if (secret) {
        secrets.push(secret);
      } else {
        const unresolved = JSON.stringify(v).includes('${');
        this.finding('secret-unresolved', FindingSeverity.WARNING, subject, 'secret not migrated', `${k} is ${JSON.stringify(v)}.`,
          unresolved ? `Pass the missing \${VAR} (--app, --env, or the environment) and rerun, or add ${k} to the generated service's secrets by hand.`
            : `Add ${k} to the generated service's secrets by hand${isObject(v) && v.from_cfn !== undefined ? ' (ecs.Secret.fromSecretsManager / fromSsmParameter on the exported name)' : ''}.`);
      }
    }
    const command = commandLine(m.command);
    const hc = containerHealthCheck(image.healthcheck);
    if (hc.adjustments.length > 0) {
      this.finding('health-check-adjusted', FindingSeverity.WARNING, subject, 'container health check',
        `image.healthcheck has values ECS and aws-cdk-lib reject: ${hc.adjustments.join('; ')}.`,
        'The plan uses the adjusted values (with Copilot\'s defaults for the fields the manifest leaves out: interval 10 s, timeout 5 s, retries 2, start period 0 s); check they still suit the app.');
    }
    const platform = str(m.platform) ?? (isObject(m.platform) ? `${str(m.platform.osfamily)}/${str(m.platform.architecture)}` : '');
    if (/windows/i.test(platform)) {
      this.finding('windows', FindingSeverity.BLOCKER, subject, 'Windows platform', `platform is ${platform}.`,
        'The library builds Linux Fargate tasks; keep Windows services on their own and call them through a load balancer.');
    }
    const exec = m.exec === true || isObject(m.exec) && m.exec.enable !== false;
    featureFindings(p, subject, this.report);
    return {
      id,
      sourceName: name,
      sourceKind: p.type,
      sourceLocation: file,
      image: location,
      ...(imageHint ? { imageHint } : {}),
      ports,
      desiredCount,
      environment,
      secrets,
      command,
      healthCheck: hc.healthCheck,
      arm64: /arm/i.test(platform),
      sizing,
      removedSidecars: [],
      ...(capacityProviders ? { capacityProviders } : {}),
      ...(exec ? { enableExecuteCommand: true } : {}),
    };
  }

  private connections(parsed: ParsedService[], services: MigratedService[]): MigratedConnection[] {
    const out: MigratedConnection[] = [];
    const servers = services.filter((s) => s.ports.length > 0);
    services.forEach((client, i) => {
      const p = parsed[i];
      const env = client.environment as Record<string, string>;
      const taken = new Set([...Object.keys(env), ...client.secrets.map((s) => s.name)]);
      for (const server of servers) {
        if (server === client) continue;
        const port = server.ports[0];
        // What connectTo() sets: tcp:// for the TCP ports Copilot's proxies ran.
        const url = `${schemeOf(port.protocol)}://${port.dnsName}:${port.clientPort}`;
        const mention = Object.entries(env).find(([, v]) => mentions(v, port.dnsName, port.clientPort));
        const discovered = this.discoveryEdges.get(client.id)?.get(server.id);
        if (!mention && !discovered && !this.options.connectAll) continue;
        let variable = urlVariableFor(port.dnsName);
        const exact = Object.entries(env).find(([, v]) => v === url);
        if (exact && !out.some((c) => c.client === client.id && c.environmentVariable === exact[0])) {
          // connectTo sets this very variable to this very URL: let it.
          variable = exact[0];
          delete env[variable];
          taken.delete(variable);
        } else if (mention && mention[0] === variable && mention[1] === `${url}/`) {
          delete env[variable];
          taken.delete(variable);
        }
        if (taken.has(variable)) variable = uniqueName(variable.replace(/_URL$/, '_SC_URL'), taken, '_');
        taken.add(variable);
        out.push({
          client: client.id,
          server: server.id,
          portName: port.name,
          url,
          environmentVariable: variable,
          reason: discovered ?? (mention ? `${p.name}'s variable ${mention[0]} names ${port.dnsName}` : 'connect-all'),
        });
      }
    });
    return out;
  }

  private readonly report: Report = (...args) => this.finding(...args);

  private finding(code: string, severity: FindingSeverity, subject: string, feature: string, detail: string, recommendation: string): void {
    this.findings.push({ code, severity, subject, feature, detail, recommendation });
  }
}

