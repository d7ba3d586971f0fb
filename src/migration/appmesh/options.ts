/**
 * Options of `AppMeshMigration.fromTemplate()`.
 */
export interface AppMeshMigrationOptions {
  /**
   * A label of the input for the report and the generated app, e.g. the file name.
   *
   * @default 'template'
   */
  readonly sourceLabel?: string;

  /**
   * The Cloud Map namespace the migrated services join.
   *
   * @default - the namespace of the nodes' Cloud Map service discovery; else the DNS suffix the
   * virtual service names share (`shop.local` for `orders.shop.local`); else the mesh name
   */
  readonly namespaceName?: string;

  /**
   * The name of the generated stack (and of its class).
   *
   * @default - `<MeshName>ServiceConnect`
   */
  readonly stackName?: string;

  /**
   * Values of the template's parameters (they win over the parameters' defaults). Parameters with
   * neither a value here nor a default stay deploy-time values of the generated app.
   *
   * @default - none: defaults, else values of the generated app
   */
  readonly parameters?: { [name: string]: string };
}
