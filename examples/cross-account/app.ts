// Account 111111111111 owns the namespace and shares it through AWS RAM with account
// 222222222222, whose services join it by ARN (same Region; deploy each stack with its
// account's credentials).
//
// Deploy in this order:
//   1. NamespaceOwner (owner account): the namespace, Inventory and the RAM share.
//   2. In the consumer account, accept the RAM invitation, unless RAM sharing with AWS
//      Organizations is enabled and both accounts are in the organization (then there is none):
//        aws ram get-resource-share-invitations \
//          --query "resourceShareInvitations[?status=='PENDING'].resourceShareInvitationArn"
//        aws ram accept-resource-share-invitation --resource-share-invitation-arn <arn>
//      CloudFormation cannot accept it. Until it is accepted the namespace is invisible to the
//      consumer, and creating its cluster and services fails on GetNamespace.
//   3. NamespaceConsumer (consumer account).
//
// Target metrics (5xx counts, response times) are published in the calling service's account:
// Inventory's alarms in the owner account never see Web's calls. Alarm on them from a
// monitoring account with CloudWatch cross-account observability.
import { App, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ConnectedFargateService, ServiceConnectCluster, SharedNamespace } from 'cdk-service-connect';

export const CONSUMER_ACCOUNT = '222222222222';
export const SHARED_NAMESPACE_ARN = 'arn:aws:servicediscovery:eu-west-1:111111111111:namespace/ns-shop0123456789ab';

export function buildCrossAccountApp(app: App = new App()): { owner: Stack; consumer: Stack } {
  // Owner account: the namespace, a server, and the RAM share.
  const owner = new Stack(app, 'NamespaceOwner');
  const ownerCluster = new ServiceConnectCluster(owner, 'Owner', { namespaceName: 'shop.internal' });
  new ConnectedFargateService(owner, 'Inventory', {
    cluster: ownerCluster,
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/inventory:2.0.0'),
    ports: [{ name: 'inventory-http', containerPort: 8080, discoveryName: 'inventory' }],
  });
  ownerCluster.shareNamespace('ShareWithStorefront', [CONSUMER_ACCOUNT]);

  // Consumer account: its own cluster in the shared namespace, referred to by ARN.
  const consumer = new Stack(app, 'NamespaceConsumer');
  const namespace = SharedNamespace.fromArn(consumer, 'SharedShop', {
    namespaceArn: SHARED_NAMESPACE_ARN,
    namespaceName: 'shop.internal',
  });
  const consumerCluster = new ServiceConnectCluster(consumer, 'Storefront', { namespace });
  const web = new ConnectedFargateService(consumer, 'Web', {
    cluster: consumerCluster,
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/storefront:5.1.0'),
    ports: [{ name: 'web-http', containerPort: 8080, discoveryName: 'storefront' }],
  });
  // Inventory runs in the owner account: URL only; its owner allows this VPC's traffic.
  web.connectToExternal('inventory', 8080); // INVENTORY_URL=http://inventory:8080
  return { owner, consumer };
}

if (require.main === module) {
  buildCrossAccountApp();
}
