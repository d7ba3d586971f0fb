import { Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { ConnectedFargateService, ServiceConnectCluster, ServiceConnectTls } from '../src';
import type { ServiceConnectClusterAttributes } from '../src';
import { strictApp, strictStack } from './helpers';

const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/example/app:1');

describe('ServiceConnectCluster defaults', () => {
  // GIVEN a cluster with no props, WHEN synthesized (strict validation)
  const stack = strictStack();
  const sc = new ServiceConnectCluster(stack, 'Platform');
  new ConnectedFargateService(stack, 'Api', { cluster: sc, image, ports: [{ name: 'api', containerPort: 80 }] });
  const template = Template.fromStack(stack);

  test('creates an explicit HTTP namespace named "internal"', () => {
    template.resourceCountIs('AWS::ServiceDiscovery::HttpNamespace', 1);
    template.hasResourceProperties('AWS::ServiceDiscovery::HttpNamespace', { Name: 'internal' });
    expect(sc.ownsNamespace).toBe(true);
  });

  test('sets ServiceConnectDefaults.Namespace to the namespace ARN (a GetAtt, so the namespace comes first)', () => {
    const namespaceId = stack.getLogicalId(sc.namespace.node.defaultChild as servicediscovery.CfnHttpNamespace);
    template.hasResourceProperties('AWS::ECS::Cluster', {
      ServiceConnectDefaults: { Namespace: { 'Fn::GetAtt': [namespaceId, 'Arn'] } },
    });
  });

  test('turns on Container Insights with enhanced observability', () => {
    template.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enhanced' }],
    });
  });

  test('creates a VPC over 2 AZs with private subnets and flow logs kept a month', () => {
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourcePropertiesCountIs('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false }, 2);
    template.resourcePropertiesCountIs('AWS::EC2::Subnet', { MapPublicIpOnLaunch: true }, 2);
    template.hasResourceProperties('AWS::EC2::FlowLog', { ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  test('knows its services', () => {
    expect(sc.services.map((s) => s.node.id)).toEqual(['Api']);
  });
});

describe('ServiceConnectCluster options', () => {
  test('namespaceName names the namespace; clusterName and containerInsights pass through', () => {
    const stack = strictStack();
    new ServiceConnectCluster(stack, 'C', {
      namespaceName: 'production.internal', clusterName: 'production', containerInsights: ecs.ContainerInsights.DISABLED,
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ServiceDiscovery::HttpNamespace', { Name: 'production.internal' });
    t.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterName: 'production', ClusterSettings: [{ Name: 'containerInsights', Value: 'disabled' }],
    });
  });

  test('an existing namespace is used by ARN and no namespace is created', () => {
    const stack = strictStack();
    const namespace = servicediscovery.HttpNamespace.fromHttpNamespaceAttributes(stack, 'Ns', {
      namespaceArn: 'arn:aws:servicediscovery:us-east-1:111111111111:namespace/ns-abc',
      namespaceId: 'ns-abc',
      namespaceName: 'shared.internal',
    });
    const sc = new ServiceConnectCluster(stack, 'C', { namespace });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::ServiceDiscovery::HttpNamespace', 0);
    t.hasResourceProperties('AWS::ECS::Cluster', {
      ServiceConnectDefaults: { Namespace: 'arn:aws:servicediscovery:us-east-1:111111111111:namespace/ns-abc' },
    });
    expect(sc.ownsNamespace).toBe(false);
  });

  test('a given VPC is used and no VPC or flow log is created', () => {
    const stack = strictStack();
    const vpc = new ec2.Vpc(stack, 'MyVpc', { maxAzs: 2, natGateways: 1 });
    const sc = new ServiceConnectCluster(stack, 'C', { vpc });
    expect(sc.vpc).toBe(vpc);
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::EC2::VPC', 1);
    t.resourceCountIs('AWS::EC2::FlowLog', 0);
  });
});

describe('ServiceConnectCluster validation', () => {
  test('namespace together with namespaceName is rejected with path, value, rule and fix', () => {
    const stack = strictStack();
    const other = new servicediscovery.HttpNamespace(stack, 'Other', { name: 'other' });
    expect(() => new ServiceConnectCluster(stack, 'C', { namespace: other, namespaceName: 'mine' })).toThrow(
      /ServiceConnectCluster 'TestStack\/C' has 1 invalid setting:\n {2}- \[namespace-exclusive\] namespaceName = "mine": both `namespace` and `namespaceName` are set.* Fix: remove `namespaceName`/);
  });

  test('a namespace name with spaces is rejected', () => {
    const stack = strictStack();
    expect(() => new ServiceConnectCluster(stack, 'C', { namespaceName: 'my namespace' }))
      .toThrow(/\[namespace-name-format\] namespaceName = "my namespace": a Cloud Map namespace name is 1-1024 printable ASCII/);
  });

  test('both problems are reported together', () => {
    const stack = strictStack();
    const other = new servicediscovery.HttpNamespace(stack, 'Other', { name: 'other' });
    expect(() => new ServiceConnectCluster(stack, 'C', { namespace: other, namespaceName: '' }))
      .toThrow(/has 2 invalid settings:\n.*namespace-exclusive.*\n.*namespace-name-format/);
  });

  test('a namespace created here that gets only client-only services gets a warning', () => {
    const stack = strictStack();
    const sc = new ServiceConnectCluster(stack, 'C');
    new ConnectedFargateService(stack, 'Worker', { cluster: sc, image });
    Annotations.fromStack(stack).hasWarning('/TestStack/C', Match.stringLikeRegexp('cdk-service-connect:namespace-without-server'));
  });

  test('no such warning once a server is in the namespace', () => {
    const stack = strictStack();
    const sc = new ServiceConnectCluster(stack, 'C');
    new ConnectedFargateService(stack, 'Worker', { cluster: sc, image });
    new ConnectedFargateService(stack, 'Api', { cluster: sc, image, ports: [{ name: 'api', containerPort: 80 }] });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('namespace-without-server'));
  });
});

describe('ServiceConnectCluster: deploy-time failures caught at synth', () => {
  const ARN = 'arn:aws:servicediscovery:eu-west-1:111111111111:namespace/ns-abcd1234';

  test('namespaceName given an ARN is rejected, and the fix shows how to join that namespace', () => {
    const stack = strictStack();
    expect(() => new ServiceConnectCluster(stack, 'C', { namespaceName: ARN })).toThrow(
      /\[namespace-name-arn\] namespaceName = "arn:aws:servicediscovery:.*": this is an ARN.* Fix: pass the existing namespace: namespace: SharedNamespace\.fromArn/);
  });

  test.each(['my cluster', 'prod/cluster', 'a'.repeat(256)])('clusterName %j is rejected', (clusterName) => {
    const stack = strictStack();
    expect(() => new ServiceConnectCluster(stack, 'C', { clusterName })).toThrow(/\[cluster-name-format\] clusterName = /);
  });

  test.each(['Prod_Cluster-1', 'a'.repeat(255)])('clusterName %j is accepted', (clusterName) => {
    const stack = strictStack();
    new ServiceConnectCluster(stack, 'C', { clusterName });
    Template.fromStack(stack).hasResourceProperties('AWS::ECS::Cluster', { ClusterName: clusterName });
  });

  test('two clusters of one app that both create "internal" in the same account and Region: the second is an error', () => {
    // GIVEN two environment-agnostic stacks (they deploy to the same default account and Region)
    const app = strictApp();
    new ServiceConnectCluster(new Stack(app, 'One'), 'C');
    new ServiceConnectCluster(new Stack(app, 'Two'), 'C');
    // THEN
    expect(() => app.synth()).toThrow(
      /Two\/C.*\[namespace-name-unique\] namespaceName = "internal": One\/C already creates a namespace of this name.* Fix: give this cluster another namespaceName, or pass the first cluster's namespace/s);
  });

  test('GIVEN a pipeline\'s beta and prod stages of environment-agnostic stacks WHEN each creates "internal" THEN no error (each stage deploys on its own)', () => {
    const app = strictApp();
    for (const stage of ['Beta', 'Prod']) new ServiceConnectCluster(new Stack(new Stage(app, stage), 'Platform'), 'C');
    expect(() => app.synth()).not.toThrow();
  });

  test('GIVEN two stages deploying to the same account and Region WHEN both create "internal" THEN the second is an error', () => {
    const app = strictApp();
    const env = { account: '111111111111', region: 'eu-west-1' };
    new ServiceConnectCluster(new Stack(new Stage(app, 'Beta', { env }), 'Platform'), 'C');
    new ServiceConnectCluster(new Stack(new Stage(app, 'Prod', { env }), 'Platform'), 'C');
    expect(() => app.synth()).toThrow(/Prod\/Platform\/C.*\[namespace-name-unique\] namespaceName = "internal": Beta\/Platform\/C already creates/s);
  });

  test('GIVEN two stages in different accounts WHEN both create "internal" THEN no error', () => {
    const app = strictApp();
    new ServiceConnectCluster(new Stack(new Stage(app, 'Beta', { env: { account: '111111111111', region: 'eu-west-1' } }), 'Platform'), 'C');
    new ServiceConnectCluster(new Stack(new Stage(app, 'Prod', { env: { account: '222222222222', region: 'eu-west-1' } }), 'Platform'), 'C');
    expect(() => app.synth()).not.toThrow();
  });

  test('the same namespace name in two Regions, or two different names, is fine', () => {
    const app = strictApp();
    new ServiceConnectCluster(new Stack(app, 'Ireland', { env: { account: '111111111111', region: 'eu-west-1' } }), 'C');
    new ServiceConnectCluster(new Stack(app, 'Virginia', { env: { account: '111111111111', region: 'us-east-1' } }), 'C');
    new ServiceConnectCluster(new Stack(app, 'Other'), 'C', { namespaceName: 'other.internal' });
    expect(() => app.synth()).not.toThrow();
  });

  test('a second cluster that joins the first cluster\'s namespace is fine', () => {
    const stack = strictStack();
    const first = new ServiceConnectCluster(stack, 'First');
    new ServiceConnectCluster(stack, 'Second', { namespace: first.namespace });
    expect(() => Template.fromStack(stack)).not.toThrow();
  });
});

describe('ServiceConnectCluster.fromClusterAttributes: joining a cluster another app owns', () => {
  const NAMESPACE_ARN = 'arn:aws:servicediscovery:eu-west-1:111111111111:namespace/ns-platform';

  function imported(stack: ReturnType<typeof strictStack>, more: Partial<ServiceConnectClusterAttributes> = {}) {
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0a1b2c3d4e5f60718', availabilityZones: ['eu-west-1a'], privateSubnetIds: ['subnet-0a1b2c3d4e5f60718'] });
    return ServiceConnectCluster.fromClusterAttributes(stack, 'Platform', {
      cluster: ecs.Cluster.fromClusterAttributes(stack, 'Ecs', { clusterName: 'platform', vpc }),
      namespace: servicediscovery.HttpNamespace.fromHttpNamespaceAttributes(stack, 'Ns', {
        namespaceArn: NAMESPACE_ARN, namespaceId: 'ns-platform', namespaceName: 'shop.internal',
      }),
      ...more,
    });
  }

  test('services run in the imported cluster, join the namespace by ARN, and connect as usual', () => {
    // GIVEN
    const stack = strictStack();
    const cluster = imported(stack);

    // WHEN
    const cart = new ConnectedFargateService(stack, 'Cart', { cluster, image, ports: [{ name: 'cart', containerPort: 8080 }] });
    const checkout = new ConnectedFargateService(stack, 'Checkout', { cluster, image, ports: [{ name: 'checkout', containerPort: 8080 }] });
    checkout.connectTo(cart);

    // THEN
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::ECS::Cluster', 0);
    t.resourceCountIs('AWS::ServiceDiscovery::HttpNamespace', 0);
    t.allResourcesProperties('AWS::ECS::Service', {
      Cluster: 'platform',
      ServiceConnectConfiguration: Match.objectLike({ Enabled: true, Namespace: NAMESPACE_ARN }),
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ Subnets: ['subnet-0a1b2c3d4e5f60718'] }) },
    });
    t.resourceCountIs('AWS::EC2::SecurityGroupIngress', 1);
    t.hasResourceProperties('AWS::EC2::SecurityGroup', { VpcId: 'vpc-0a1b2c3d4e5f60718' });
    expect(cart.cluster).toBe(cluster);
    expect(cluster.vpc.vpcId).toBe('vpc-0a1b2c3d4e5f60718');
  });

  test('TLS on an imported cluster creates the infrastructure role in this app, under the imported cluster', () => {
    // GIVEN
    const stack = strictStack();
    const cluster = imported(stack, { tls: ServiceConnectTls.fromCertificateAuthorityArn('arn:aws:acm-pca:eu-west-1:111111111111:certificate-authority/0a1b2c3d') });

    // WHEN
    new ConnectedFargateService(stack, 'Cart', { cluster, image, ports: [{ name: 'cart', containerPort: 8080 }] });

    // THEN
    const t = Template.fromStack(stack);
    const roles = t.findResources('AWS::IAM::Role', {
      Properties: {
        AssumeRolePolicyDocument: Match.objectLike({
          Statement: [Match.objectLike({ Principal: { Service: 'ecs.amazonaws.com' } })],
        }),
      },
    });
    expect(Object.keys(roles)).toEqual([expect.stringMatching(/^PlatformTlsInfrastructureRole/)]);
    t.hasResourceProperties('AWS::ECS::Service', {
      ServiceConnectConfiguration: Match.objectLike({
        Services: [Match.objectLike({
          Tls: {
            IssuerCertificateAuthority: { AwsPcaAuthorityArn: 'arn:aws:acm-pca:eu-west-1:111111111111:certificate-authority/0a1b2c3d' },
            RoleArn: { 'Fn::GetAtt': [Object.keys(roles)[0], 'Arn'] },
          },
        })],
      }),
    });
  });

  test('connectToExternal with serverSecurityGroup opens the other app\'s server to this service', () => {
    // GIVEN
    const stack = strictStack();
    const checkout = new ConnectedFargateService(stack, 'Checkout', { cluster: imported(stack), image });

    // WHEN
    const url = checkout.connectToExternal('identity', 8080, {
      serverSecurityGroup: ec2.SecurityGroup.fromSecurityGroupId(stack, 'Identity', 'sg-0a1b2c3d4e5f60718'), serverPort: 9090,
    });

    // THEN
    expect(url).toBe('http://identity:8080');
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: 'sg-0a1b2c3d4e5f60718',
      FromPort: 9090,
      ToPort: 9090,
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('CheckoutSecurityGroup'), 'GroupId'] },
    });
  });

  test.each([
    ['no namespace ARN', (s: ReturnType<typeof strictStack>) => imported(s, {
      namespace: servicediscovery.HttpNamespace.fromHttpNamespaceAttributes(s, 'Bad', { namespaceArn: 'shop', namespaceId: 'ns-1', namespaceName: 'shop' }),
    }), /\[namespace-arn\] namespace\.namespaceArn = "shop"/],
    ['no cluster (JavaScript)', (s: ReturnType<typeof strictStack>) => ServiceConnectCluster.fromClusterAttributes(s, 'P', {} as any),
      /\[cluster-attributes\] cluster = undefined: the attributes need the ECS cluster[\s\S]*\[cluster-attributes\] namespace = undefined/],
    ['no attributes at all (JavaScript)', (s: ReturnType<typeof strictStack>) => (ServiceConnectCluster.fromClusterAttributes as any)(s, 'P'),
      /ServiceConnectCluster\.fromClusterAttributes 'TestStack\/P' has 2 invalid settings/],
  ])('%s is rejected with the rule and the fix', (_name, act, pattern) => {
    expect(() => act(strictStack())).toThrow(pattern);
  });

  test.each([
    ['an ecs.Cluster', (s: ReturnType<typeof strictStack>) => new ecs.Cluster(s, 'Ecs'),
      /\[service-cluster\] cluster = "an ecs.ICluster": an ECS cluster alone does not say which Service Connect namespace.*Fix: pass a ServiceConnectCluster, or ServiceConnectCluster.fromClusterAttributes/],
    ['a plain object', () => ({ clusterName: 'platform' }), /\[service-cluster\] cluster = "object"/],
    ['nothing', () => undefined, /\[service-cluster\] cluster = undefined/],
  ])('a service given %s as cluster gets a validation error, never a TypeError (JavaScript)', (_name, make, pattern) => {
    const stack = strictStack();
    const act = () => new ConnectedFargateService(stack, 'Api', { cluster: make(stack) as any, image });
    expect(act).toThrow(pattern);
    expect(act).not.toThrow(TypeError);
  });
});

describe('EC2 and Managed Instances capacity', () => {
  test('addAsgCapacityProvider adds the provider to the cluster and lets its instances poll the cluster\'s task sets', () => {
    // GIVEN an Auto Scaling group capacity provider
    const stack = strictStack();
    const cluster = new ServiceConnectCluster(stack, 'Cluster');
    const group = new autoscaling.AutoScalingGroup(stack, 'Group', {
      vpc: cluster.vpc, instanceType: new ec2.InstanceType('m6i.large'), machineImage: ecs.EcsOptimizedImage.amazonLinux2023(),
    });
    const provider = new ecs.AsgCapacityProvider(stack, 'Capacity', { autoScalingGroup: group });
    // WHEN added through the cluster
    cluster.addAsgCapacityProvider(provider);
    // THEN associated, and the instance role may poll task-set/<cluster>/*
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::ECS::ClusterCapacityProviderAssociations', 1);
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'ecs:Poll', Resource: { 'Fn::Join': ['', Match.arrayWith([':task-set/'])] } })]) },
    });
  });

  test('addManagedInstancesCapacityProvider grants the instance profile\'s role the same', () => {
    const stack = strictStack();
    const cluster = new ServiceConnectCluster(stack, 'Cluster');
    const provider = new ecs.ManagedInstancesCapacityProvider(stack, 'Managed', {
      subnets: cluster.vpc.privateSubnets, securityGroups: [new ec2.SecurityGroup(stack, 'Sg', { vpc: cluster.vpc })],
    });
    cluster.addManagedInstancesCapacityProvider(provider);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'ecs:Poll', Resource: { 'Fn::Join': ['', Match.arrayWith([':task-set/'])] } })]) },
    });
  });
});
