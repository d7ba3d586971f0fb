// What the platform app publishes and team apps read: SSM parameter names and the namespace name.
export const PLATFORM_NAMESPACE = 'shop.internal';

/** The number of Availability Zones (and private subnets) of the platform VPC. */
export const PLATFORM_AZ_COUNT = 2;

export const PLATFORM_PARAMETERS = {
  clusterName: '/shop/platform/cluster-name',
  vpcId: '/shop/platform/vpc-id',
  privateSubnetIds: '/shop/platform/private-subnet-ids',
  namespaceArn: '/shop/platform/namespace-arn',
  identitySecurityGroupId: '/shop/platform/identity-security-group-id',
} as const;
