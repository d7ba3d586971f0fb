// Service Connect beyond Fargate: one namespace, three kinds of compute.
// - catalog runs on an EC2 Auto Scaling group (awsvpc: a security group per service),
// - legacy-pricing runs on the same instances in bridge network mode (it shares their security group),
// - checkout runs on ECS Managed Instances, and storefront on Fargate;
// storefront calls checkout and catalog, checkout calls catalog and legacy-pricing.
import { App, Size, Stack, Validations } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { AUTOSCALING_GENERATE_LAUNCH_TEMPLATE } from 'aws-cdk-lib/cx-api';
import { ConnectedEc2Service, ConnectedFargateService, EnvoySizing, ServiceConnectCluster } from 'cdk-service-connect';

export function buildEc2App(app: App = new App()): Stack {
  const stack = new Stack(app, 'ServiceConnectEc2');
  // A launch template, not the launch configuration that EC2 Auto Scaling keeps only for old groups.
  stack.node.setContext(AUTOSCALING_GENERATE_LAUNCH_TEMPLATE, true);
  const cluster = new ServiceConnectCluster(stack, 'Shop', { namespaceName: 'shop.internal' });

  // EC2 capacity: an Auto Scaling group of m6i.large instances (2 vCPUs, 8 GiB each).
  const group = new autoscaling.AutoScalingGroup(stack, 'Instances', {
    vpc: cluster.vpc,
    instanceType: new ec2.InstanceType('m6i.large'),
    machineImage: ecs.EcsOptimizedImage.amazonLinux2023(),
    minCapacity: 2,
    maxCapacity: 6,
    requireImdsv2: true,
    blockDevices: [{ deviceName: '/dev/xvda', volume: autoscaling.BlockDeviceVolume.ebs(30, { encrypted: true }) }],
    instanceMonitoring: autoscaling.Monitoring.DETAILED,
  });
  const instances = new ecs.AsgCapacityProvider(stack, 'InstanceCapacity', { autoScalingGroup: group });
  // Adds the provider and grants the instance role ecs:Poll on the cluster's task sets.
  cluster.addAsgCapacityProvider(instances);

  // Managed Instances capacity: ECS picks and patches the instances.
  const managedSg = new ec2.SecurityGroup(stack, 'ManagedInstancesSg', { vpc: cluster.vpc, description: 'ECS Managed Instances of the shop' });
  const managed = new ecs.ManagedInstancesCapacityProvider(stack, 'ManagedCapacity', {
    subnets: cluster.vpc.privateSubnets,
    securityGroups: [managedSg],
    instanceRequirements: { vCpuCountMin: 2, memoryMin: Size.gibibytes(4) },
  });
  cluster.addManagedInstancesCapacityProvider(managed);

  const catalog = new ConnectedEc2Service(stack, 'Catalog', {
    cluster,
    asgCapacityProvider: instances,
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/catalog:v3.2.0'),
    ports: [{ name: 'catalog-http', containerPort: 8080, discoveryName: 'catalog' }],
    // No Fargate size table on EC2: the task is exactly the app plus the proxy's budget (768 CPU / 1088 MiB).
    sizing: EnvoySizing.forEc2App({ appCpu: 512, appMemoryMiB: 1024 }),
  });

  const pricing = new ConnectedEc2Service(stack, 'LegacyPricing', {
    cluster,
    asgCapacityProvider: instances,
    networkMode: ecs.NetworkMode.BRIDGE,
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/pricing:v1.9.4'),
    ports: [{ name: 'pricing-http', containerPort: 8080, discoveryName: 'pricing' }],
  });

  const checkout = new ConnectedEc2Service(stack, 'Checkout', {
    cluster,
    managedInstancesCapacityProvider: managed,
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/checkout:v2.0.1'),
    ports: [{ name: 'checkout-http', containerPort: 8080, discoveryName: 'checkout' }],
  });

  const storefront = new ConnectedFargateService(stack, 'Storefront', {
    cluster,
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/storefront:v5.0.0'),
  });

  storefront.connectTo(checkout); // Fargate → Managed Instances
  storefront.connectTo(catalog); // Fargate → EC2
  checkout.connectTo(catalog); // Managed Instances → EC2
  // Managed Instances → EC2 bridge: the rule opens the instances' security group (on the proxy's
  // ephemeral host ports), which the bridge-connect-instance-sg warning says; accepted here.
  checkout.connectTo(pricing);
  Validations.of(pricing).acknowledge({
    id: 'cdk-service-connect:bridge-connect-instance-sg',
    reason: 'legacy-pricing moves to awsvpc next quarter; until then its callers reach the shared instances.',
  });

  acknowledgeCapacityFindings(stack, group, managed);
  return stack;
}

/**
 * cdk-nag findings on the capacity resources aws-cdk-lib creates (not on the library's): the
 * owner of the capacity judges them; here, with the reasons of this example's shop.
 */
function acknowledgeCapacityFindings(stack: Stack, group: autoscaling.AutoScalingGroup, managed: ecs.ManagedInstancesCapacityProvider): void {
  Validations.of(group).acknowledge(
    { id: 'AwsSolutions-AS3', reason: 'The shop watches its instances through the ECS capacity provider\'s metrics, not scaling notifications.' },
    { id: 'AwsSolutions-IAM5[Resource::*]', reason: 'aws-cdk-lib grants the ECS agent ecs:DiscoverPollEndpoint, ecr:GetAuthorizationToken and logs writes, which take no resource scoping, and ecs:Poll/StartTelemetrySession under an ecs:cluster condition.' },
    { id: 'AwsSolutions-IAM5[Action::ecs:Submit*]', reason: 'aws-cdk-lib\'s ECS agent permissions: the agent reports container and task state changes (ecs:Submit*) to this cluster only.' },
  );
  Validations.of(managed).acknowledge(
    { id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonECSInfrastructureRolePolicyForManagedInstances]', reason: 'ECS requires this managed policy for the Managed Instances infrastructure role.' },
    { id: 'AwsSolutions-IAM5[Resource::*]', reason: 'aws-cdk-lib\'s default Managed Instances instance role: the ECS agent actions it grants on * take no resource scoping.' },
    { id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:container-instance/*]', reason: 'aws-cdk-lib\'s default Managed Instances instance role: container instance IDs are assigned when instances register.' },
  );
  void stack;
}

if (require.main === module) {
  buildEc2App();
}
