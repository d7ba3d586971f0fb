import { Aws, Stack, Tags, Token } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { IConstruct } from 'constructs';
import { Construct } from 'constructs';
import type { ServiceConnectTls } from '../tls';
import { acknowledge } from './nag';

/** The AWS managed policy ECS's infrastructure role needs for Service Connect TLS. */
const TLS_POLICY = 'service-role/AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity';

/** The form of an AWS Private CA ARN. */
export const PCA_ARN = /^arn:aws[a-z-]*:acm-pca:[a-z0-9-]+:\d{12}:certificate-authority\/[0-9a-f-]+$/;

/** The tag the managed policy requires on a CA before ECS may use it (`aws:ResourceTag/AmazonECSManaged`). */
export const ECS_MANAGED_TAG = { key: 'AmazonECSManaged', value: 'true' } as const;

/** What the managed policy lets ECS do on a tagged CA: granted on an untagged CA by ARN. */
export const CA_ACTIONS = ['acm-pca:IssueCertificate', 'acm-pca:GetCertificate',
  'acm-pca:GetCertificateAuthorityCertificate', 'acm-pca:DescribeCertificateAuthority'] as const;

/**
 * Tag the `AWS::ACMPCA::CertificateAuthority` of a CA construct of this app with
 * `AmazonECSManaged=true`. Returns false when the construct holds none (an imported CA).
 */
export function tagCertificateAuthority(ca: IConstruct): boolean {
  const holds = isTaggableCertificateAuthority(ca);
  if (holds) Tags.of(ca).add(ECS_MANAGED_TAG.key, ECS_MANAGED_TAG.value);
  return holds;
}

/** Whether the library can tag the CA of this TLS setting (a construct of this app) — otherwise it is known by ARN only. */
export function isTaggableCertificateAuthority(ca: IConstruct | undefined): boolean {
  return ca !== undefined && ca.node.findAll().some((c) => c instanceof acmpca.CfnCertificateAuthority);
}

/** Whether a CA ARN is given and, when it is a literal, well formed. */
export function isValidCaArn(arn: string | undefined): boolean {
  return arn !== undefined && arn !== '' && (Token.isUnresolved(arn) || PCA_ARN.test(arn));
}

/**
 * The per-cluster TLS resources: the infrastructure role and, on demand, the managed CA.
 */
export class ClusterTlsResources extends Construct {
  private _role?: iam.Role;
  private _ca?: acmpca.CfnCertificateAuthority;
  private _activation?: acmpca.CfnCertificateAuthorityActivation;
  private readonly grantedKeys = new Set<kms.IKey>();
  private readonly allowedCas = new Set<string>();

  constructor(scope: Construct, id: string, private readonly label: string) {
    super(scope, id);
  }

  /** The infrastructure role (created once). */
  public role(): iam.IRole {
    if (!this._role) {
      this._role = new iam.Role(this, 'InfrastructureRole', {
        assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com'),
        description: `ECS infrastructure role for Service Connect TLS of ${this.label}`,
        managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName(TLS_POLICY)],
      });
      acknowledge(this._role, 'tlsManagedPolicy');
    }
    return this._role;
  }

  /** Let `role` use `key` for Service Connect TLS. */
  public grantKey(key: kms.IKey, role: iam.IRole): void {
    if (this.grantedKeys.has(key)) return;
    this.grantedKeys.add(key);
    key.grant(role, 'kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyPair');
  }

  /**
   * Let the library's `role` use a CA known by ARN only, which cannot carry the tag the managed
   * policy requires: the managed policy's CA actions on that CA alone.
   */
  public allowCertificateAuthority(arn: string, role: iam.IRole): void {
    if (this.allowedCas.has(arn)) return;
    this.allowedCas.add(arn);
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [...CA_ACTIONS], resources: [arn] }));
  }

  /** The ARN of the managed CA (created once, activated). */
  public managedCertificateAuthorityArn(): string {
    if (!this._ca) {
      const ca = new acmpca.CfnCertificateAuthority(this, 'CertificateAuthority', {
        type: 'ROOT',
        keyAlgorithm: 'EC_prime256v1',
        signingAlgorithm: 'SHA256WITHECDSA',
        usageMode: 'SHORT_LIVED_CERTIFICATE',
        subject: { commonName: 'Service Connect', organizationalUnit: this.label.slice(0, 64) },
      });
      Tags.of(ca).add(ECS_MANAGED_TAG.key, ECS_MANAGED_TAG.value);
      const rootCertificate = new acmpca.CfnCertificate(this, 'RootCertificate', {
        certificateAuthorityArn: ca.attrArn,
        certificateSigningRequest: ca.attrCertificateSigningRequest,
        signingAlgorithm: 'SHA256WITHECDSA',
        templateArn: `arn:${Aws.PARTITION}:acm-pca:::template/RootCACertificate/V1`,
        validity: { type: 'YEARS', value: 10 },
      });
      this._activation = new acmpca.CfnCertificateAuthorityActivation(this, 'Activation', {
        certificateAuthorityArn: ca.attrArn,
        certificate: rootCertificate.attrCertificate,
        status: 'ACTIVE',
      });
      this._ca = ca;
    }
    return this._ca.attrArn;
  }

  /** The resource services must wait for (the CA's activation), if the library made a CA. */
  public get activation(): acmpca.CfnCertificateAuthorityActivation | undefined {
    return this._activation;
  }
}

/** The stack-unique label of a cluster, for descriptions. */
export function labelOf(scope: Construct): string {
  return `${Stack.of(scope).stackName}/${scope.node.path}`.replace(/[^A-Za-z0-9 ./_-]/g, '-');
}

const resourcesOf = new WeakMap<IConstruct, ClusterTlsResources>();

/** The TLS resources of a cluster construct (created under it, as `Tls`, on first use). */
function tlsResourcesOf(cluster: Construct): ClusterTlsResources {
  let resources = resourcesOf.get(cluster);
  if (!resources) {
    resources = new ClusterTlsResources(cluster, 'Tls', labelOf(cluster));
    resourcesOf.set(cluster, resources);
  }
  return resources;
}

/**
 * The Service Connect TLS configuration of a service of `cluster` (a `ServiceConnectCluster` or a
 * cluster imported by attributes): the shared infrastructure role and, for a managed CA, the CA
 * are created under the cluster construct on first use.
 */
export function tlsConfigurationOf(cluster: Construct, tls: ServiceConnectTls): ecs.ServiceConnectTlsConfiguration {
  const resources = tlsResourcesOf(cluster);
  const role = tls.role ?? resources.role();
  if (tls.kmsKey) resources.grantKey(tls.kmsKey, role);
  // ECS may use only CAs tagged AmazonECSManaged=true: tag a CA of this app, or let the
  // library's role use a CA known by ARN (a role of your own: warning tls-ca-permissions).
  const tagged = tls._certificateAuthority !== undefined && tagCertificateAuthority(tls._certificateAuthority);
  if (tls.certificateAuthorityArn !== undefined && !tagged && !tls.role) {
    resources.allowCertificateAuthority(tls.certificateAuthorityArn, role);
  }
  return {
    awsPcaAuthorityArn: tls.certificateAuthorityArn ?? resources.managedCertificateAuthorityArn(),
    kmsKey: tls.kmsKey,
    role,
  };
}

/** What a TLS service of `cluster` must be created after (the managed CA's activation), if anything. */
export function tlsDependencyOf(cluster: IConstruct): IConstruct | undefined {
  return resourcesOf.get(cluster)?.activation;
}
