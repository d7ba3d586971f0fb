import { Aws, Fn, Token } from 'aws-cdk-lib';
import * as ram from 'aws-cdk-lib/aws-ram';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';
import { markShared } from './private/cross-account';
import { NAMESPACE_ARN } from './private/validation/formats';
import { Problems } from './private/validation/problems';

/**
 * Properties of a `NamespaceShare`.
 */
export interface NamespaceShareProps {
  /** The namespace to share; it must belong to this account. */
  readonly namespace: servicediscovery.INamespace;

  /**
   * Who gets the namespace: 12-digit AWS account IDs, or ARNs of an organization or an
   * organizational unit.
   */
  readonly principals: string[];

  /**
   * Whether accounts outside your AWS Organization may be principals.
   *
   * @default false - only accounts of your organization
   */
  readonly allowExternalPrincipals?: boolean;

  /**
   * The name of the resource share.
   *
   * @default - `<namespace name>-service-connect`
   */
  readonly shareName?: string;
}

/**
 * Shares a Cloud Map namespace with other AWS accounts through AWS RAM, with the managed
 * permission `AWSRAMPermissionCloudMapECSFullPermission`, so that their ECS services join it
 * with Service Connect (same Region only).
 *
 * The consumer accounts refer to the namespace by ARN: `SharedNamespace.fromArn()`.
 */
export class NamespaceShare extends Construct {
  /** The AWS RAM managed permission that lets other accounts' ECS services use a Cloud Map namespace. */
  public static readonly PERMISSION_NAME = 'AWSRAMPermissionCloudMapECSFullPermission';

  /** The AWS RAM resource share. */
  public readonly resourceShare: ram.CfnResourceShare;

  constructor(scope: Construct, id: string, props: NamespaceShareProps) {
    super(scope, id);
    const problems = new Problems(this, 'NamespaceShare');
    if (props.principals.length === 0) {
      problems.add('share-principal-format', 'principals', '[]', 'a share needs at least one principal.',
        'list the 12-digit account IDs (or organization / OU ARNs) that run the consumer services.');
    }
    props.principals.forEach((p, i) => {
      if (!Token.isUnresolved(p) && !/^\d{12}$/.test(p) && !/^arn:aws[a-z-]*:organizations::\d{12}:(organization|ou)\/.+$/.test(p)) {
        problems.add('share-principal-format', `principals[${i}]`, p,
          'a principal is a 12-digit AWS account ID or the ARN of an organization or organizational unit.',
          'use e.g. "111122223333" or "arn:aws:organizations::111122223333:ou/o-abc123/ou-ab12-cdef3456".');
      }
    });
    problems.throwIfAny();

    markShared(props.namespace);
    this.resourceShare = new ram.CfnResourceShare(this, 'Resource', {
      name: props.shareName ?? `${props.namespace.namespaceName}-service-connect`,
      resourceArns: [props.namespace.namespaceArn],
      principals: props.principals,
      allowExternalPrincipals: props.allowExternalPrincipals ?? false,
      permissionArns: [`arn:${Aws.PARTITION}:ram::aws:permission/${NamespaceShare.PERMISSION_NAME}`],
    });
  }
}

/**
 * Attributes of a namespace shared from another account.
 */
export interface SharedNamespaceAttributes {
  /**
   * The namespace ARN, as the owner account shows it
   * (`arn:aws:servicediscovery:<region>:<owner account>:namespace/ns-...`).
   */
  readonly namespaceArn: string;

  /** The namespace name (e.g. `production.internal`). */
  readonly namespaceName: string;
}

/**
 * A namespace that another account shares with this one through AWS RAM.
 */
export class SharedNamespace {
  /**
   * Refer to a shared namespace by its ARN, the only way ECS accepts a namespace of another account.
   */
  public static fromArn(scope: Construct, id: string, attrs: SharedNamespaceAttributes): servicediscovery.INamespace {
    const arn = attrs.namespaceArn;
    const problems = new Problems(scope, 'SharedNamespace');
    if (!Token.isUnresolved(arn) && !NAMESPACE_ARN.test(arn)) {
      problems.add('namespace-arn', 'namespaceArn', arn,
        'a shared namespace is used by its full ARN; ECS cannot find another account\'s namespace by name or ID.',
        'copy the ARN from the owner account, e.g. "arn:aws:servicediscovery:us-east-1:111122223333:namespace/ns-abcd1234".');
    }
    problems.throwIfAny();
    const namespaceId = Token.isUnresolved(arn) ? Fn.select(1, Fn.split('/', arn)) : arn.split('/')[1];
    return servicediscovery.HttpNamespace.fromHttpNamespaceAttributes(scope, id, {
      namespaceArn: arn,
      namespaceId,
      namespaceName: attrs.namespaceName,
    });
  }

  private constructor() {}
}
