/**
 * The public types of migration plans (jsii structs and enums of the `migration` submodule). Above
 * 400 lines only because every field carries its TSDoc and `@default`; there is no logic here.
 */
import type { ServiceConnectProtocol } from '../ports';

/**
 * What a migration plan was made from.
 */
export enum MigrationSource {
  /** A CloudFormation template holding an AWS App Mesh application. */
  APP_MESH = 'app-mesh',
  /** AWS Copilot service manifests. */
  COPILOT = 'copilot',
}

/**
 * How much a migration finding matters.
 */
export enum FindingSeverity {
  /** Handled by the generated app or informational: read it, nothing blocks the migration. */
  INFO = 'info',
  /** Behaviour changes: decide what to do before the cutover. */
  WARNING = 'warning',
  /** No equivalent in Service Connect: the application or architecture has to change first. */
  BLOCKER = 'blocker',
}

/**
 * Where the value of a secret comes from.
 */
export enum MigratedSecretSource {
  /** An AWS Systems Manager Parameter Store parameter (name or ARN). */
  SSM_PARAMETER = 'ssm-parameter',
  /** An AWS Secrets Manager secret (name or ARN). */
  SECRETS_MANAGER = 'secrets-manager',
}

/**
 * What kind of deploy-time value a `MigratedValue` is.
 */
export enum MigratedValueKind {
  /** A parameter of the source template without a default or a given value: a stack prop or a `CfnParameter` of the app. */
  PARAMETER = 'parameter',
  /** Another stack's export (`Fn::ImportValue`) that none of the given templates exports: `Fn.importValue()` in the app. */
  IMPORT = 'import',
}

/**
 * A value the source only knows at deploy time, carried into the generated app as a value of the
 * app. Strings of the plan refer to it as `${Name}` (CloudFormation's `Fn::Sub` syntax), and to
 * pseudo parameters as `${AWS::StackName}`, `${AWS::Region}`…
 */
export interface MigratedValue {
  /** Its name in the plan's strings, e.g. `ProjectName`. */
  readonly name: string;
  /** What it is. */
  readonly kind: MigratedValueKind;
  /**
   * For an import: the export name, itself a plan string (e.g. `${ProjectName}:MeshName`).
   *
   * @default - not an import
   */
  readonly exportName?: string;
  /**
   * The parameter's description in the source.
   *
   * @default - none
   */
  readonly description?: string;
}

/**
 * A feature of the source that has no (or only a partial) Service Connect equivalent, or a step
 * the migration needs.
 */
export interface MigrationFinding {
  /** A stable identifier of the kind of finding, e.g. `weighted-route`. */
  readonly code: string;
  /** How much it matters. */
  readonly severity: FindingSeverity;
  /** The source object it is about, e.g. `route payments-router/canary (PaymentsRouterCanary1A2B3C)`. */
  readonly subject: string;
  /** The feature, in a few words, e.g. `weighted route targets`. */
  readonly feature: string;
  /** What was found. */
  readonly detail: string;
  /** What to do instead. */
  readonly recommendation: string;
}

/**
 * A Service Connect port of a migrated service (becomes a `ServiceConnectPortOptions`).
 */
export interface MigratedPort {
  /** The port mapping name. */
  readonly name: string;
  /** The container port. */
  readonly containerPort: number;
  /** The application protocol. */
  readonly protocol: ServiceConnectProtocol;
  /** The Cloud Map discovery name. */
  readonly discoveryName: string;
  /** The client alias clients dial (kept from the source so that clients need no change). */
  readonly dnsName: string;
  /** The client alias port. */
  readonly clientPort: number;
  /**
   * The idle timeout in whole seconds.
   *
   * @default - Service Connect's default
   */
  readonly idleTimeoutSeconds?: number;
  /**
   * The per-request timeout in whole seconds (never set on TCP ports).
   *
   * @default - Service Connect's default
   */
  readonly perRequestTimeoutSeconds?: number;
}

/**
 * A secret of a migrated service's app container.
 */
export interface MigratedSecret {
  /** The environment variable name. */
  readonly name: string;
  /** Where the value comes from. */
  readonly source: MigratedSecretSource;
  /** The parameter or secret: its name or ARN. */
  readonly reference: string;
  /**
   * The JSON key inside a Secrets Manager secret.
   *
   * @default - the whole secret
   */
  readonly jsonField?: string;
}

/**
 * A sidecar container the migration removes (the Envoy proxy of App Mesh).
 */
export interface RemovedSidecar {
  /** The task definition it was in (logical ID). */
  readonly taskDefinition: string;
  /** The container name. */
  readonly containerName: string;
  /** The container image. */
  readonly image: string;
  /** The CPU units the container reserved (0 when none). */
  readonly cpu: number;
  /** The memory the container reserved or was limited to, in MiB (0 when none). */
  readonly memoryMiB: number;
  /** Whether the task definition has a `ProxyConfiguration` of type `APPMESH` to remove too. */
  readonly proxyConfiguration: boolean;
}

/**
 * The CPU and memory of a migrated task: app, Service Connect proxy, and what it was before.
 */
export interface MigratedSizing {
  /** CPU units of the app container. */
  readonly appCpu: number;
  /** Memory of the app container, in MiB. */
  readonly appMemoryMiB: number;
  /** CPU units the Service Connect proxy gets (what the app leaves of the task; at least its budget). */
  readonly proxyCpu: number;
  /** Memory the Service Connect proxy gets, in MiB (what the app leaves of the task; at least its budget). */
  readonly proxyMemoryMiB: number;
  /** The proxy's CPU budget (AWS's guidance: 256 CPU units). */
  readonly proxyBudgetCpu: number;
  /** The proxy's memory budget in MiB (AWS's guidance: 64 MiB). */
  readonly proxyBudgetMemoryMiB: number;
  /** Task CPU units (the cheapest valid Fargate size holding app and proxy). */
  readonly taskCpu: number;
  /** Task memory in MiB. */
  readonly taskMemoryMiB: number;
  /**
   * The task CPU units in the source.
   *
   * @default - unknown
   */
  readonly previousTaskCpu?: number;
  /**
   * The task memory in the source, in MiB.
   *
   * @default - unknown
   */
  readonly previousTaskMemoryMiB?: number;
  /**
   * CPU units the removed Envoy container had reserved.
   *
   * @default - no Envoy container was removed
   */
  readonly freedCpu?: number;
  /**
   * Memory the removed Envoy container had reserved, in MiB.
   *
   * @default - no Envoy container was removed
   */
  readonly freedMemoryMiB?: number;
  /**
   * Whether the app's CPU and memory were guessed (no task definition or manifest value).
   */
  readonly estimated: boolean;
}

/**
 * A container health check of a migrated service.
 */
export interface MigratedHealthCheck {
  /** The command, e.g. `['CMD-SHELL', 'curl -f http://localhost:8080/health || exit 1']`. */
  readonly command: string[];
  /**
   * Seconds between checks.
   *
   * @default 30
   */
  readonly intervalSeconds?: number;
  /**
   * Seconds before a check fails.
   *
   * @default 5
   */
  readonly timeoutSeconds?: number;
  /**
   * Failures before the container is unhealthy.
   *
   * @default 3
   */
  readonly retries?: number;
  /**
   * Seconds of grace after the container starts.
   *
   * @default - none
   */
  readonly startPeriodSeconds?: number;
}

/**
 * One capacity provider of a service's capacity-provider strategy (e.g. Copilot's `count.spot`).
 */
export interface MigratedCapacityProvider {
  /** `FARGATE` or `FARGATE_SPOT`. */
  readonly capacityProvider: string;
  /** The relative share of tasks placed on this provider. */
  readonly weight: number;
  /**
   * The number of tasks that run on this provider first.
   *
   * @default 0
   */
  readonly base?: number;
}

/**
 * Where a migrated service's tasks run.
 */
export enum MigratedLaunchType {
  /** AWS Fargate: the service becomes a `ConnectedFargateService`. */
  FARGATE = 'FARGATE',
  /** EC2 instances: the service becomes a `ConnectedEc2Service` on an Auto Scaling group capacity provider. */
  EC2 = 'EC2',
}

/**
 * One service of the migrated application (becomes a `ConnectedFargateService`, or a
 * `ConnectedEc2Service` when it ran on EC2).
 */
export interface MigratedService {
  /** The construct id in the generated app, e.g. `Payments`. */
  readonly id: string;
  /** The name in the source: the virtual node name or the Copilot service name. */
  readonly sourceName: string;
  /** What it was in the source, e.g. `AWS::AppMesh::VirtualNode` or `Backend Service`. */
  readonly sourceKind: string;
  /** Where it was: the logical ID or the manifest file. */
  readonly sourceLocation: string;
  /**
   * The app container image.
   *
   * @default - unknown: the generated app uses a placeholder to replace
   */
  readonly image?: string;
  /**
   * The name of the ECR repository the image comes from (the source template's own repository);
   * the image is then `ecrRepository:imageTag`, pulled with the permissions the app grants.
   *
   * @default - `image` is a registry reference
   */
  readonly ecrRepository?: string;
  /**
   * The image tag in `ecrRepository`.
   *
   * @default 'latest'
   */
  readonly imageTag?: string;
  /**
   * How to get the image when `image` is unknown, e.g. the `ecs.ContainerImage.fromAsset()` call
   * that builds what Copilot built (a comment beside the placeholder in the generated app).
   *
   * @default - no hint
   */
  readonly imageHint?: string;
  /** The Service Connect ports; empty for a client-only service. */
  readonly ports: MigratedPort[];
  /**
   * The number of tasks.
   *
   * @default - the library's default (2)
   */
  readonly desiredCount?: number;
  /** Environment variables of the app container. */
  readonly environment: { [name: string]: string };
  /** Secrets of the app container. */
  readonly secrets: MigratedSecret[];
  /**
   * The command of the app container.
   *
   * @default - the image's CMD
   */
  readonly command?: string[];
  /**
   * The app container's health check.
   *
   * @default - none
   */
  readonly healthCheck?: MigratedHealthCheck;
  /** Whether the task runs on ARM64 (Graviton). */
  readonly arm64: boolean;
  /** The task's CPU and memory. */
  readonly sizing: MigratedSizing;
  /** Sidecars removed from the task (the Envoy proxy). */
  readonly removedSidecars: RemovedSidecar[];
  /**
   * The capacity-provider strategy the source used (e.g. Fargate Spot). The generated app does
   * not apply it yet: see the service's findings.
   *
   * @default - FARGATE only
   */
  readonly capacityProviders?: MigratedCapacityProvider[];
  /**
   * Whether ECS Exec was enabled.
   *
   * @default false
   */
  readonly enableExecuteCommand?: boolean;
  /**
   * Where the tasks ran in the source, and so where the generated service runs.
   *
   * @default MigratedLaunchType.FARGATE
   */
  readonly launchType?: MigratedLaunchType;
}

/**
 * A client → server edge of the migrated application (becomes `client.connectTo(server)`).
 */
export interface MigratedConnection {
  /** The construct id of the calling service. */
  readonly client: string;
  /** The construct id of the called service. */
  readonly server: string;
  /** The server port called. */
  readonly portName: string;
  /** The URL the client uses, e.g. `http://payments.shop.local:8080`. */
  readonly url: string;
  /** The environment variable of the client that receives the URL. */
  readonly environmentVariable: string;
  /** Why the edge exists, e.g. `backend payments.shop.local`. */
  readonly reason: string;
}

/**
 * Properties of a `MigrationPlan`.
 */
export interface MigrationPlanProps {
  /** What the plan was made from. */
  readonly source: MigrationSource;
  /** A label of the input, e.g. the template file or mesh name. */
  readonly sourceLabel: string;
  /** The Cloud Map namespace the services join. */
  readonly namespaceName: string;
  /** The stack name the generated app uses. */
  readonly stackName: string;
  /** The services. */
  readonly services: MigratedService[];
  /** The client → server edges. */
  readonly connections: MigratedConnection[];
  /** Every finding. */
  readonly findings: MigrationFinding[];
  /** What to delete from the source once the migrated services run (Envoy containers, proxy configuration, IAM, mesh resources). */
  readonly removals: string[];
  /**
   * Deploy-time values the plan's strings refer to as `${Name}`.
   *
   * @default - none
   */
  readonly values?: MigratedValue[];
  /**
   * External endpoints the source reached through the mesh (egress), e.g. `github.com:443`.
   *
   * @default - none
   */
  readonly egress?: string[];
}

/**
 * Options of `MigrationPlan.toCdkApp()`.
 */
export interface CdkAppOptions {
  /**
   * The module the generated app imports this library from.
   *
   * @default 'cdk-service-connect'
   */
  readonly importPath?: string;

  /**
   * The name of the generated stack class and of its stack.
   *
   * @default - the plan's `stackName`
   */
  readonly stackName?: string;
}
