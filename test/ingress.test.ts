import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { strictApp, TEST_IMAGE } from './helpers';
import { buildStorefrontApp } from '../examples/storefront/app';
import { ConnectedFargateService, ServiceConnectCluster, ServiceConnectDeployment, ServiceConnectIngress } from '../src';
import type { ConnectedFargateServiceProps } from '../src';

function setup(region: string | null = 'eu-west-1') {
  const stack = new Stack(strictApp(), 'Shop', region ? { env: { region } } : {});
  const cluster = new ServiceConnectCluster(stack, 'Cluster');
  const service = (id: string, props: Partial<ConnectedFargateServiceProps> = {}) =>
    new ConnectedFargateService(stack, id, { cluster, image: TEST_IMAGE, ...props });
  return { stack, cluster, service };
}

const sgId = (prefix: string) => ({ 'Fn::GetAtt': [Match.stringLikeRegexp(`^${prefix}`), 'GroupId'] });

describe('ServiceConnectIngress: a client-only frontend behind HTTP', () => {
  const { stack, cluster, service } = setup();
  const api = service('Api', { ports: [{ name: 'api', containerPort: 8080 }] });
  const web = service('Web');
  web.connectTo(api);
  const ingress = new ServiceConnectIngress(stack, 'Ingress', { cluster });
  ingress.addRoute(web, { containerPort: 3000 });
  const t = Template.fromStack(stack);

  test('an internet-facing ALB in the public subnets, HTTP on 80 with a 404 default, access logs to a bucket', () => {
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internet-facing',
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'access_logs.s3.enabled', Value: 'true' }]),
    });
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' }]),
    });
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80, Protocol: 'HTTP', DefaultActions: [Match.objectLike({ Type: 'fixed-response', FixedResponseConfig: Match.objectLike({ StatusCode: '404' }) })],
    });
    t.resourceCountIs('AWS::S3::Bucket', 1);
    const url = JSON.stringify(stack.resolve(ingress.url));
    expect(url).toMatch(/^\{"Fn::Join":\["",\["http:\/\/",\{"Fn::GetAtt":\["IngressLoadBalancer\w+","DNSName"\]\}/);
  });

  test('the log bucket: SSE-S3, TLS only, no public access, objects expire after 90 days, kept; targets deregister in 30 s', () => {
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 90, Status: 'Enabled' })] },
    });
    t.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain' });
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }]),
    });
  });

  test('the client-only frontend gets a port mapping for 3000 that Service Connect does not register', () => {
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: Match.arrayWith([Match.objectLike({ Name: 'app', PortMappings: [Match.objectLike({ ContainerPort: 3000, Name: 'ingress-3000' })] })]),
    });
    t.hasResourceProperties('AWS::ECS::Service', {
      LoadBalancers: [{ ContainerName: 'app', ContainerPort: 3000, TargetGroupArn: { Ref: Match.stringLikeRegexp('^IngressRoute0Targets') } }],
      ServiceConnectConfiguration: Match.objectLike({ Services: [] }),
      HealthCheckGracePeriodSeconds: 60,
    });
  });

  test('the frontend admits the load balancer only, on 3000 only; a catch-all rule forwards to an IP target group', () => {
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { GroupId: sgId('WebSecurityGroup'), FromPort: 3000, ToPort: 3000, SourceSecurityGroupId: sgId('IngressLoadBalancerSecurityGroup') });
    const intoWeb = Object.values(t.findResources('AWS::EC2::SecurityGroupIngress')).filter((r: any) => JSON.stringify(r.Properties.GroupId).includes('WebSecurityGroup'));
    expect(intoWeb).toHaveLength(1);
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { TargetType: 'ip', Port: 3000, Protocol: 'HTTP', HealthCheckPath: '/', Matcher: { HttpCode: '200-399' } });
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', { Priority: 50000, Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }] });
  });
});

describe('ServiceConnectIngress: HTTPS and routes', () => {
  test('a certificate gives HTTPS on 443 with the recommended policy and HTTP redirected; path and host routes by priority', () => {
    const { stack, cluster, service } = setup();
    const api = service('Api', { ports: [{ name: 'api', containerPort: 8080 }] });
    const ingress = new ServiceConnectIngress(stack, 'Ingress', {
      cluster, certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:111111111111:certificate/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9'),
    });
    ingress.addRoute(api, { containerPort: 8080, pathPatterns: ['/api/*'], hostHeaders: ['shop.example.com'] });
    ingress.addRoute(api, { containerPort: 8080, pathPatterns: ['/v2/*'], priority: 5 });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 443, Protocol: 'HTTPS', SslPolicy: Match.stringLikeRegexp('TLS13') });
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80, DefaultActions: [Match.objectLike({ Type: 'redirect', RedirectConfig: Match.objectLike({ Port: '443', Protocol: 'HTTPS' }) })],
    });
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', { Priority: 10, Conditions: Match.arrayWith([{ Field: 'host-header', HostHeaderConfig: { Values: ['shop.example.com'] } }]) });
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', { Priority: 5 });
    expect(ingress.url.startsWith('https://')).toBe(true);
    // the existing Service Connect port mapping is reused, not duplicated
    t.hasResourceProperties('AWS::ECS::TaskDefinition', { ContainerDefinitions: [Match.objectLike({ PortMappings: [Match.objectLike({ ContainerPort: 8080, Name: 'api' })] })] });
  });

  test('blue/green: an alternate target group, a weighted production rule and the ECS infrastructure role for load balancers', () => {
    const { stack, cluster, service } = setup();
    const api = service('Api', { ports: [{ name: 'api', containerPort: 8080 }], deployment: ServiceConnectDeployment.blueGreen() });
    new ServiceConnectIngress(stack, 'Ingress', { cluster }).addRoute(api, { containerPort: 8080 });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 2);
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Actions: [Match.objectLike({
        Type: 'forward',
        ForwardConfig: {
          TargetGroups: [
            { TargetGroupArn: { Ref: Match.stringLikeRegexp('^IngressRoute0Targets') }, Weight: 100 },
            { TargetGroupArn: { Ref: Match.stringLikeRegexp('^IngressRoute0AlternateTargets') }, Weight: 0 },
          ],
        },
      })],
    });
    t.hasResourceProperties('AWS::ECS::Service', {
      DeploymentConfiguration: Match.objectLike({ Strategy: 'BLUE_GREEN' }),
      LoadBalancers: [Match.objectLike({
        AdvancedConfiguration: {
          AlternateTargetGroupArn: { Ref: Match.stringLikeRegexp('^IngressRoute0AlternateTargets') },
          ProductionListenerRule: { Ref: Match.stringLikeRegexp('^IngressRoute0Rule') },
          RoleArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
        },
      })],
    });
    t.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers']] }],
    });
    // the ProductionListenerRule reference orders the service after the rule: no redundant DependsOn (cfn-lint W3005)
    const services = Object.values(t.findResources('AWS::ECS::Service')) as Array<{ DependsOn?: string[] }>;
    expect(services[0].DependsOn ?? []).not.toContainEqual(expect.stringMatching(/^IngressRoute0Rule/));
  });

  test('an internal load balancer sits in private subnets and is not opened to the internet', () => {
    const { stack, cluster, service } = setup();
    const api = service('Api', { ports: [{ name: 'api', containerPort: 8080 }] });
    new ServiceConnectIngress(stack, 'Ingress', { cluster, internetFacing: false }).addRoute(api, { containerPort: 8080 });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internal' });
    t.hasResourceProperties('AWS::EC2::SecurityGroup', { GroupDescription: Match.stringLikeRegexp('IngressLoadBalancer'), SecurityGroupIngress: Match.absent() });
  });

  test('without a Region the access logs are off, with a warning', () => {
    const { stack, cluster } = setup(null);
    new ServiceConnectIngress(stack, 'Ingress', { cluster });
    Annotations.fromStack(stack).hasWarning('/Shop/Ingress', Match.stringLikeRegexp('access logs are off.*cdk-service-connect:ingress-access-logs'));
  });

  test.each([
    ['no container port', { containerPort: 0 }, /\[ingress-route\] addRoute\(Shop\/Api\)\.containerPort = 0/],
    ['a priority out of range', { containerPort: 8080, priority: 60000 }, /\[ingress-route\] addRoute\(Shop\/Api\)\.priority = 60000/],
    ['too many paths', { containerPort: 8080, pathPatterns: ['/a', '/b', '/c', '/d', '/e', '/f'] }, /\[ingress-route\] addRoute\(Shop\/Api\)\.pathPatterns/],
  ])('%s is rejected', (_name, options, pattern) => {
    const { stack, cluster, service } = setup();
    const api = service('Api', { ports: [{ name: 'api', containerPort: 8080 }] });
    expect(() => new ServiceConnectIngress(stack, 'Ingress', { cluster }).addRoute(api, options)).toThrow(pattern);
  });

  test('two routes with one priority are rejected', () => {
    const { stack, cluster, service } = setup();
    const api = service('Api', { ports: [{ name: 'api', containerPort: 8080 }] });
    const ingress = new ServiceConnectIngress(stack, 'Ingress', { cluster });
    ingress.addRoute(api, { containerPort: 8080, pathPatterns: ['/a/*'], priority: 7 });
    expect(() => ingress.addRoute(api, { containerPort: 8080, pathPatterns: ['/b/*'], priority: 7 })).toThrow(/\[ingress-route\].*priority = 7: another route/);
  });

  test('a bare ecs.Cluster as cluster is refused with service-cluster, not a TypeError', () => {
    const { stack, cluster } = setup();
    expect(() => new ServiceConnectIngress(stack, 'Ingress', { cluster: cluster.cluster as any })).toThrow(/\[service-cluster\]/);
  });
});

describe('the storefront example', () => {
  const stack = buildStorefrontApp(strictApp());
  const t = Template.fromStack(stack);
  test('web is routed at the catch-all, catalog under /api/catalog/* with blue/green wiring', () => {
    t.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 3);
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', { Priority: 10, Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/api/catalog/*'] } }] });
    t.hasResourceProperties('AWS::ECS::Service', { HealthCheckGracePeriodSeconds: 30, LoadBalancers: [Match.objectLike({ ContainerPort: 3000 })] });
  });
});
