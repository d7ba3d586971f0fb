/**
 * The App Mesh → Service Connect converter: `AppMeshMigration.fromTemplate()` runs the phases
 * read (./read), findings (./findings), planning (./plan, ./service) over one shared context
 * (./model) and returns a `MigrationPlan`.
 */
import { parseTemplate } from '../intrinsics';
import { mergeTemplates } from '../merge';
import { MigrationPlan } from '../plan';
import type { MigratedService } from '../types';
import { FindingSeverity, MigrationSource } from '../types';
import { asArray, isObject, MigrationError, pascal, plural, str } from '../util';
import { classifyEgress } from './egress';
import { gatewayFindings, iamRemovals, meshFindings, routeFindings } from './findings';
import { Ctx } from './model';
import type { AppMeshMigrationOptions } from './options';
import { buildCallers, buildConnections, buildServices, defaultNamespaceName } from './plan';
import { readMeshResources, readTaskDefinitions } from './read';
import { nameWithoutParameters, planString } from './values';

export * from './options';


/**
 * One CloudFormation template of an App Mesh application.
 */
export interface AppMeshTemplate {
  /** The template (JSON or YAML). */
  readonly text: string;
  /**
   * Its file name, for the report and error messages.
   *
   * @default 'template<n>'
   */
  readonly fileName?: string;
}

/**
 * Converts an AWS App Mesh application, as described by CloudFormation templates, into a
 * Service Connect migration plan.
 */
export class AppMeshMigration {
  /**
   * Read a CloudFormation template (JSON or YAML, as synthesized from aws-cdk-lib's `aws-appmesh`
   * constructs or written by hand) and plan its migration to Service Connect.
   *
   * Throws an error with a readable message when the text is not a CloudFormation template or
   * holds no App Mesh resources.
   *
   * @param text the template
   * @param options options
   */
  public static fromTemplate(text: string, options: AppMeshMigrationOptions = {}): MigrationPlan {
    const label = options.sourceLabel ?? 'template';
    return convert(new Ctx(parseTemplate(text, label), label, options), [{ label, ids: undefined }]);
  }

  /**
   * Plan the migration of an application split over several templates (typically the mesh in
   * one stack, the ECS services in another, infrastructure in a third). They are joined through
   * their parameters (one value per parameter name), exports and imports, and resource names.
   *
   * @param templates the templates
   * @param options options (`sourceLabel` defaults to the file names joined with `+`)
   */
  public static fromTemplates(templates: AppMeshTemplate[], options: AppMeshMigrationOptions = {}): MigrationPlan {
    if (templates.length === 0) throw new MigrationError('no template given.');
    const parts = templates.map((t, i) => {
      const label = t.fileName ?? `template${i + 1}`;
      return { template: parseTemplate(t.text, label), label };
    });
    const label = options.sourceLabel ?? parts.map((p) => p.label).join(' + ');
    if (parts.length === 1) return AppMeshMigration.fromTemplate(templates[0].text, { ...options, sourceLabel: label });
    return convert(new Ctx(mergeTemplates(parts), label, options),
      parts.map((p) => ({ label: p.label, ids: Object.keys(p.template.Resources) })));
  }

  private constructor() {}
}

/** The virtual nodes the Envoys of task definitions name (APPMESH_RESOURCE_ARN / APPMESH_VIRTUAL_NODE_NAME). */
function envoyNodeNames(c: Ctx, ids: string[]): string[] {
  const names: string[] = [];
  for (const id of ids) {
    if (c.t.Resources[id].Type !== 'AWS::ECS::TaskDefinition') continue;
    for (const def of asArray(c.r.properties(id).ContainerDefinitions).filter(isObject)) {
      for (const e of asArray(def.Environment).filter(isObject)) {
        const m = /virtualNode\/([^/]+)$/.exec(str(e.Value) ?? '');
        if (m && /^APPMESH_/.test(str(e.Name) ?? '')) names.push(nameWithoutParameters(m[1]) || m[1]);
      }
    }
  }
  return names;
}

function convert(c: Ctx, parts: Array<{ label: string; ids?: string[] }>): MigrationPlan {
  const ids = Object.keys(c.t.Resources);
  const appMeshIds = ids.filter((id) => c.t.Resources[id].Type.startsWith('AWS::AppMesh::'));
  const proxyTasks = ids.filter((id) => c.t.Resources[id].Type === 'AWS::ECS::TaskDefinition' &&
    isObject(c.t.Resources[id].Properties?.ProxyConfiguration));
  if (appMeshIds.length === 0 && proxyTasks.length === 0) {
    const types = [...new Set(ids.map((id) => c.t.Resources[id].Type))].slice(0, 6).join(', ');
    throw new MigrationError(`${c.label} is not an App Mesh template: it has no AWS::AppMesh::* resource and no ECS task ` +
      `definition with an App Mesh proxy configuration (it holds ${plural(ids.length, 'resource')}${types ? `: ${types}` : ''}).`);
  }

  readMeshResources(c, ids);
  readTaskDefinitions(c, ids);
  c.allNodes.push(...c.nodes);
  classifyEgress(c);
  if (c.allNodes.length === 0) {
    const envoys = envoyNodeNames(c, ids);
    if (appMeshIds.length === 0 || envoys.length > 0) {
      throw new MigrationError(`${c.label} has no AWS::AppMesh::VirtualNode: ${envoys.length > 0
        ? `its task definitions run Envoys for the virtual node(s) ${[...new Set(envoys)].join(', ')} of a mesh defined in another template`
        : 'its task definitions have an App Mesh proxy configuration, but the mesh is defined in another template'}. ` +
        `Pass the template that defines the virtual nodes too, e.g. migrate-appmesh mesh.yaml ${parts.map((p) => p.label).join(' ')}.`);
    }
    throw new MigrationError(`${c.label} has App Mesh resources but no AWS::AppMesh::VirtualNode: there is no service to migrate. ` +
      'Migrate a template (or several merged into one) that holds the virtual nodes of the mesh.');
  }
  const withoutNodes = parts.filter((p) => p.ids !== undefined && !p.ids.some((id) => c.t.Resources[id]?.Type === 'AWS::AppMesh::VirtualNode'));
  for (const p of withoutNodes) {
    c.finding('template-without-nodes', FindingSeverity.INFO, p.label, 'template without virtual nodes',
      `${p.label} has no AWS::AppMesh::VirtualNode; it is joined to the others through its parameters, exports and names.`,
      'Nothing to do: its task definitions, ECS services, repositories and secrets are migrated with the nodes they run.');
  }

  for (const name of Object.keys(c.options.parameters ?? {})) {
    if (c.t.Parameters?.[name] !== undefined) continue;
    c.finding('parameter-unknown', FindingSeverity.WARNING, `parameter ${name}`, 'unknown parameter',
      `a value was given for ${name}, but no template declares that parameter (declared: ${Object.keys(c.t.Parameters ?? {}).join(', ') || 'none'}).`,
      'Check the spelling (parameter names are case-sensitive); the value was not used.');
  }
  meshFindings(c);
  routeFindings(c);
  gatewayFindings(c, ids);
  iamRemovals(c, ids);

  const namespaceName = c.options.namespaceName ?? planString(c, defaultNamespaceName(c), 'the namespace name');
  if (c.nodes.length === 0) {
    throw new MigrationError(`${c.label}: every virtual node stands for an endpoint outside the mesh (${c.egress.join(', ')}); there is no service to migrate.`);
  }
  const { services, nodeOf } = buildServices(c);
  const connections = buildConnections(c, services, nodeOf);
  const callers = buildCallers(c, services, connections);
  services.push(...callers);
  registrationRemovals(c, services);

  for (const note of c.r.unresolved) {
    c.finding('unresolved-value', FindingSeverity.WARNING, c.label, 'value known only at deploy time',
      `${note}.`, 'Check the generated app: such values are left as placeholders (search for REPLACE_ME) or omitted.');
  }
  const counts = new Map<string, number>();
  for (const id of appMeshIds) {
    const type = c.t.Resources[id].Type.replace('AWS::AppMesh::', '');
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  if (appMeshIds.length > 0) {
    c.removals.push(`App Mesh resources once every client uses Service Connect: ${[...counts].map(([t, n]) => `${n} ${t}`).join(', ')}.`);
  }

  const meshName = nameWithoutParameters(c.meshes[0]?.name ?? c.nodes[0].mesh) || 'mesh';
  return new MigrationPlan({
    source: MigrationSource.APP_MESH,
    sourceLabel: c.label,
    namespaceName,
    stackName: c.options.stackName ?? `${pascal(meshName)}ServiceConnect`,
    services,
    connections,
    findings: c.findings.map((f) => ({
      ...f, subject: c.display(f.subject), detail: c.display(f.detail), recommendation: c.display(f.recommendation),
    })),
    removals: c.removals.map((r) => c.display(r)),
    values: [...c.values.values()],
    egress: c.egress,
  });
}

/**
 * Cloud Map registrations (ServiceRegistries) are removed only when nothing that stays outside
 * Service Connect still resolves the registered name.
 */
function registrationRemovals(c: Ctx, services: MigratedService[]): void {
  const migratedTasks = new Set([...c.taskDefs.map((t) => t.logicalId),
    ...c.otherTaskDefs.filter((t) => services.some((s) => s.sourceLocation === `task definition ${t.logicalId}`)).map((t) => t.logicalId)]);
  const migratedServices = new Set([...c.taskDefs, ...c.otherTaskDefs].filter((t) => migratedTasks.has(t.logicalId))
    .flatMap((t) => t.services.map((s) => s.logicalId)));
  for (const reg of c.registrations) {
    const registries = asArray(c.r.properties(reg.ecsService).ServiceRegistries).filter(isObject)
      .map((r) => /^\$\{(?:GetAtt|Ref):([A-Za-z0-9]+)/.exec(str(r.RegistryArn) ?? '')?.[1])
      .filter((id): id is string => id !== undefined && c.t.Resources[id]?.Type === 'AWS::ServiceDiscovery::Service');
    const names = registries.map((id) => str(c.r.properties(id).Name)).filter((n): n is string => n !== undefined && n.length > 0);
    const stays: string[] = [];
    for (const id of Object.keys(c.t.Resources)) {
      const type = c.t.Resources[id].Type;
      if (type.startsWith('AWS::AppMesh::') || type === 'AWS::ServiceDiscovery::Service' || migratedTasks.has(id) || migratedServices.has(id)) continue;
      if (type === 'AWS::ECS::Service' || type.startsWith('AWS::IAM::')) continue;
      const text = JSON.stringify(c.r.properties(id));
      if (names.some((n) => new RegExp(`(^|[^A-Za-z0-9_-])${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.`).test(text))) stays.push(`${type} ${id}`);
    }
    if (stays.length > 0) {
      c.removals.push(`Keep the Cloud Map registration (ServiceRegistries) of ECS service ${reg.ecsService}${names.length ? ` (${names.join(', ')})` : ''}: ` +
        `${stays.join(', ')} still resolve${stays.length === 1 ? 's' : ''} its DNS name outside Service Connect. Remove it once ${stays.length === 1 ? 'that caller uses' : 'those callers use'} the Service Connect alias.`);
    } else {
      c.removals.push(`Cloud Map registration (ServiceRegistries) of ECS service ${reg.ecsService}: Service Connect registers the tasks itself ` +
        '(once no caller outside these templates resolves its DNS name).');
    }
  }
}
