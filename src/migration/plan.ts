import { generateApp } from './codegen';
import { renderReport } from './report';
import type {
  CdkAppOptions, MigratedConnection, MigratedService, MigratedValue, MigrationFinding, MigrationPlanProps, MigrationSource,
} from './types';
import { FindingSeverity } from './types';
import { deploymentOrder } from './util';

/**
 * A plan to move an App Mesh or AWS Copilot application to Service Connect with this library:
 * the services with their ports and aliases, the client → server edges, the sizing, every
 * feature without an equivalent, and what to remove. Render it as a report with `toReport()`
 * or as a CDK app with `toCdkApp()`.
 */
export class MigrationPlan {
  /** What the plan was made from. */
  public readonly source: MigrationSource;
  /** A label of the input, e.g. the template file. */
  public readonly sourceLabel: string;
  /** The Cloud Map namespace the services join. */
  public readonly namespaceName: string;
  /** The stack name of the generated app. */
  public readonly stackName: string;
  /** The services. */
  public readonly services: MigratedService[];
  /** The client → server edges. */
  public readonly connections: MigratedConnection[];
  /** Every finding, in the order found. */
  public readonly findings: MigrationFinding[];
  /** What to delete from the source once the migrated services run. */
  public readonly removals: string[];
  /** Deploy-time values the plan's strings refer to as `${Name}` (stack props / `CfnParameter`s and imports of the generated app). */
  public readonly values: MigratedValue[];
  /** External endpoints the source reached through the mesh (not services: callers reach them directly). */
  public readonly egress: string[];

  constructor(props: MigrationPlanProps) {
    this.source = props.source;
    this.sourceLabel = props.sourceLabel;
    this.namespaceName = props.namespaceName;
    this.stackName = props.stackName;
    this.services = props.services;
    this.connections = props.connections;
    this.findings = props.findings;
    this.removals = props.removals;
    this.values = props.values ?? [];
    this.egress = props.egress ?? [];
  }

  /**
   * The construct ids of the services in the order to deploy them: every server before the
   * clients that call it (services that call each other come last).
   */
  public get deploymentOrder(): string[] {
    return deploymentOrder(this.services.map((s) => s.id), this.connections);
  }

  /** The findings that block the migration until the application or architecture changes. */
  public get blockers(): MigrationFinding[] {
    return this.findings.filter((f) => f.severity === FindingSeverity.BLOCKER);
  }

  /** The findings of one kind, e.g. `weighted-route`. */
  public findingsOf(code: string): MigrationFinding[] {
    return this.findings.filter((f) => f.code === code);
  }

  /** A readable plain-text report of the plan. */
  public toReport(): string {
    return renderReport(this);
  }

  /**
   * The source of a TypeScript CDK app (one file) that builds the services with
   * `ServiceConnectCluster` and `ConnectedFargateService`. It exports a stack class and synthesizes
   * an app when run directly.
   */
  public toCdkApp(options: CdkAppOptions = {}): string {
    return generateApp(this, options);
  }
}
