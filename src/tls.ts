import type * as acmpca from 'aws-cdk-lib/aws-acmpca';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';

/**
 * Options of every `ServiceConnectTls`.
 */
export interface ServiceConnectTlsOptions {
  /**
   * A customer managed KMS key for the private keys of the certificates. The infrastructure
   * role gets `kms:Encrypt`, `kms:Decrypt`, `kms:GenerateDataKey` and `kms:GenerateDataKeyPair` on it.
   *
   * @default - an AWS owned key
   */
  readonly kmsKey?: kms.IKey;

  /**
   * The infrastructure role ECS assumes to issue certificates. It must trust `ecs.amazonaws.com`
   * and carry the managed policy `AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity`.
   *
   * @default - one role per cluster, created by the library
   */
  readonly role?: iam.IRole;
}

/**
 * TLS between Service Connect proxies: one-way TLS 1.3 with certificates that ECS issues from an
 * AWS Private CA and rotates itself. Service Connect has no mutual TLS: the server proves its
 * identity; authorize callers with security groups (as `connectTo` does) or in the application.
 */
export class ServiceConnectTls {
  /**
   * Use an AWS Private CA of this app or imported with `acmpca.CertificateAuthority.fromCertificateAuthorityArn()`.
   *
   * The managed policy of ECS's infrastructure role lets ECS use only CAs tagged
   * `AmazonECSManaged=true`: a CA of this app (a construct holding an
   * `AWS::ACMPCA::CertificateAuthority`) gets that tag; an imported one is treated like a CA
   * given by ARN (see `fromCertificateAuthorityArn()`).
   */
  public static fromCertificateAuthority(certificateAuthority: acmpca.ICertificateAuthority,
    options: ServiceConnectTlsOptions = {}): ServiceConnectTls {
    return new ServiceConnectTls(true, certificateAuthority.certificateAuthorityArn, options, certificateAuthority);
  }

  /**
   * Use an AWS Private CA by ARN (`arn:aws:acm-pca:<region>:<account>:certificate-authority/<id>`).
   *
   * The managed policy of ECS's infrastructure role lets ECS use only CAs tagged
   * `AmazonECSManaged=true`, and the library cannot tag a CA it only knows by ARN. So the role the
   * library creates also gets `acm-pca:IssueCertificate`, `GetCertificate`,
   * `GetCertificateAuthorityCertificate` and `DescribeCertificateAuthority` on this CA only (the
   * actions the managed policy grants on tagged CAs). With a `role` of your own, give it those
   * permissions or tag the CA; the library warns (`tls-ca-permissions`).
   */
  public static fromCertificateAuthorityArn(certificateAuthorityArn: string, options: ServiceConnectTlsOptions = {}): ServiceConnectTls {
    return new ServiceConnectTls(true, certificateAuthorityArn, options);
  }

  /**
   * Let the library create one AWS Private CA per cluster for Service Connect: a root CA
   * (ECDSA P-256) in short-lived certificate mode, tagged `AmazonECSManaged=true`, activated with
   * a self-signed certificate. A Private CA has a monthly price: share one per cluster.
   */
  public static managedCertificateAuthority(options: ServiceConnectTlsOptions = {}): ServiceConnectTls {
    return new ServiceConnectTls(true, undefined, options);
  }

  /** No TLS (for a service in a cluster whose default is TLS). */
  public static disabled(): ServiceConnectTls {
    return new ServiceConnectTls(false, undefined, {});
  }

  /** Whether TLS is on. */
  public readonly enabled: boolean;
  /** The ARN of the given certificate authority; `undefined` when the library creates one or TLS is off. */
  public readonly certificateAuthorityArn?: string;
  /** The KMS key, if any. */
  public readonly kmsKey?: kms.IKey;
  /** The infrastructure role, if given. */
  public readonly role?: iam.IRole;

  /**
   * The CA construct given to `fromCertificateAuthority()`, if any.
   *
   * @internal
   */
  public readonly _certificateAuthority?: acmpca.ICertificateAuthority;

  private constructor(enabled: boolean, certificateAuthorityArn: string | undefined, options: ServiceConnectTlsOptions,
    certificateAuthority?: acmpca.ICertificateAuthority) {
    this.enabled = enabled;
    this._certificateAuthority = certificateAuthority;
    this.certificateAuthorityArn = certificateAuthorityArn;
    this.kmsKey = options.kmsKey;
    this.role = options.role;
  }
}
