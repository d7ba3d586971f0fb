import type { Construct } from 'constructs';
import type { ConnectedFargateServiceProps } from '../../service-props';
import { CA_ACTIONS, ECS_MANAGED_TAG, isTaggableCertificateAuthority, isValidCaArn } from '../cluster-tls';
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
  if (tls?.enabled && tls.role && tls.certificateAuthorityArn !== undefined && isValidCaArn(tls.certificateAuthorityArn) &&
    (props.ports ?? []).length > 0 && !isTaggableCertificateAuthority(tls._certificateAuthority)) {
    warn(scope, 'tls-ca-permissions', `TLS uses the AWS Private CA ${tls.certificateAuthorityArn} and an infrastructure role of your own. ` +
      `The role's managed policy lets ECS use only CAs tagged ${ECS_MANAGED_TAG.key}=${ECS_MANAGED_TAG.value}, and the library cannot tag a CA ` +
      `it knows by ARN only: without the tag or a policy allowing ${CA_ACTIONS.join(', ')} on this CA, the proxies never get certificates. ` +
      'Tag the CA, or grant the role those actions on it.');
  }
  if (props.tls?.enabled && (props.ports ?? []).length === 0) {
    warn(scope, 'tls-client-only', 'tls is set on a client-only service, where it has no effect: TLS is configured on server ports, ' +
      'and clients reach TLS servers of the namespace without settings of their own.');
  }
}
