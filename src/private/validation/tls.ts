import type { Construct } from 'constructs';
import type { ConnectedFargateServiceProps } from '../../service-props';
import { isValidCaArn } from '../cluster-tls';
import type { Problems } from './problems';
import { warn } from './problems';

/** TLS of a service: a CA by full ARN; TLS on a client-only service has no effect. */
export function checkTls(scope: Construct, problems: Problems, props: ConnectedFargateServiceProps): void {
  const tls = props.tls ?? props.cluster.tls;
  if (tls?.enabled && tls.certificateAuthorityArn !== undefined && !isValidCaArn(tls.certificateAuthorityArn)) {
    problems.add('tls-ca-arn', props.tls ? 'tls.certificateAuthorityArn' : 'cluster.tls.certificateAuthorityArn', tls.certificateAuthorityArn,
      'TLS needs an AWS Private CA: the ARN is empty or not of the form arn:aws:acm-pca:<region>:<account>:certificate-authority/<id>.',
      'pass the CA\'s ARN, or use ServiceConnectTls.managedCertificateAuthority() to have one created per cluster.');
  }
  if (props.tls?.enabled && (props.ports ?? []).length === 0) {
    warn(scope, 'tls-client-only', 'tls is set on a client-only service, where it has no effect: TLS is configured on server ports, ' +
      'and clients reach TLS servers of the namespace without settings of their own.');
  }
}
