// The platform half of a platform/team layout in two CDK apps (the team half is
// examples/team-app). The platform app owns the VPC, the ECS cluster, the Service Connect
// namespace and one shared service (identity), and publishes what teams need to join as SSM
// parameters (names in ../platform-app/contract.ts). Teams deploy from their own repositories,
// after the platform.
import { App, Fn, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { PLATFORM_NAMESPACE, PLATFORM_PARAMETERS } from './contract';
import { ConnectedFargateService, ServiceConnectCluster } from 'cdk-service-connect';

export function buildPlatformApp(app: App = new App()): Stack {
  const stack = new Stack(app, 'ShopPlatform');
  const shop = new ServiceConnectCluster(stack, 'Shop', { namespaceName: PLATFORM_NAMESPACE });

  const identity = new ConnectedFargateService(stack, 'Identity', {
    cluster: shop,
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/identity:2.0.0'),
    ports: [{ name: 'identity-http', containerPort: 8080, discoveryName: 'identity' }],
  });

  const publish = (id: string, parameterName: string, stringValue: string) =>
    new ssm.StringParameter(stack, id, { parameterName, stringValue, description: `Shop platform: ${id}` });
  publish('ClusterName', PLATFORM_PARAMETERS.clusterName, shop.cluster.clusterName);
  publish('VpcId', PLATFORM_PARAMETERS.vpcId, shop.vpc.vpcId);
  publish('PrivateSubnetIds', PLATFORM_PARAMETERS.privateSubnetIds, Fn.join(',', shop.vpc.privateSubnets.map((s) => s.subnetId)));
  publish('NamespaceArn', PLATFORM_PARAMETERS.namespaceArn, shop.namespace.namespaceArn);
  publish('IdentitySecurityGroupId', PLATFORM_PARAMETERS.identitySecurityGroupId, identity.securityGroup.securityGroupId);
  return stack;
}

if (require.main === module) {
  buildPlatformApp();
}
