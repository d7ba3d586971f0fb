/**
 * The App Mesh → Service Connect converter: `AppMeshMigration.fromTemplate()` runs the phases
 * read (./read), findings (./findings), planning (./plan, ./service) over one shared context
 * (./model) and returns a `MigrationPlan`.
 */
import { parseTemplate } from '../intrinsics';
import { MigrationPlan } from '../plan';
import { FindingSeverity, MigrationSource } from '../types';
import { isObject, MigrationError, pascal, plural } from '../util';
import { gatewayFindings, iamRemovals, meshFindings, routeFindings } from './findings';
import { AppMeshMigrationOptions, Ctx } from './model';
import { buildConnections, buildServices, defaultNamespaceName } from './plan';
import { readMeshResources, readTaskDefinitions } from './read';

export type { AppMeshMigrationOptions } from './model';
export { parseValueFrom } from '../secrets';


/**
 * Converts an AWS App Mesh application, as described by a CloudFormation template, into a
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
    return convert(new Ctx(parseTemplate(text, label), label, options));
  }

  private constructor() {}
}

function convert(c: Ctx): MigrationPlan {
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
  if (c.nodes.length === 0) {
    throw new MigrationError(`${c.label} has App Mesh resources but no AWS::AppMesh::VirtualNode: there is no service to migrate. ` +
      'Migrate a template (or several merged into one) that holds the virtual nodes of the mesh.');
  }

  meshFindings(c);
  routeFindings(c);
  gatewayFindings(c, ids);
  iamRemovals(c, ids);

  const namespaceName = c.options.namespaceName ?? defaultNamespaceName(c);
  const { services, nodeOf } = buildServices(c);
  const connections = buildConnections(c, services, nodeOf);

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

  const meshName = c.meshes[0]?.name ?? c.nodes[0].mesh;
  return new MigrationPlan({
    source: MigrationSource.APP_MESH,
    sourceLabel: c.label,
    namespaceName,
    stackName: c.options.stackName ?? `${pascal(meshName)}ServiceConnect`,
    services,
    connections,
    findings: c.findings,
    removals: c.removals,
  });
}

