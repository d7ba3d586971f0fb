import type { CfnElement } from 'aws-cdk-lib';
import { Resource, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Construct, IConstruct } from 'constructs';
import { ConnectedFargateService, ServiceConnectCluster, ServiceConnectTls } from '../src';
import { strictApp, strictStack } from './helpers';

const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/example/app:1');
const CA_ARN = 'arn:aws:acm-pca:eu-west-1:111111111111:certificate-authority/0a1b2c3d-4e5f-6789-abcd-ef0123456789';
const TLS_POLICY_SUFFIX = ':iam::aws:policy/service-role/AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity';

function logicalId(c: IConstruct): string {
  return Stack.of(c).getLogicalId(c.node.defaultChild as CfnElement);
}

/** The IAM statements of the template that allow acm-pca actions. */
function caStatements(t: Template): any[] {
  return Object.values(t.findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement)
    .filter((st: any) => [st.Action].flat().some((a: string) => a.startsWith('acm-pca:')));
}

function serviceConnectServices(t: Template, svc: ConnectedFargateService): any[] {
  return t.toJSON().Resources[logicalId(svc.service)].Properties.ServiceConnectConfiguration.Services ?? [];
}

describe('a managed certificate authority for the whole cluster', () => {
  // GIVEN a cluster with TLS by a managed CA, two servers and a client
  const app = strictApp();
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stack = new Stack(app, 'TestStack');
  const cluster = new ServiceConnectCluster(stack, 'C', { tls: ServiceConnectTls.managedCertificateAuthority() });
  const a = new ConnectedFargateService(stack, 'A', { cluster, image, ports: [{ name: 'a', containerPort: 80 }] });
  const b = new ConnectedFargateService(stack, 'B', { cluster, image, ports: [{ name: 'b', containerPort: 80 }, { name: 'b-admin', containerPort: 81 }] });
  const worker = new ConnectedFargateService(stack, 'Worker', { cluster, image });
  worker.connectTo(a);
  const t = Template.fromStack(stack);

  test('creates one short-lived ECDSA root CA tagged AmazonECSManaged=true, activated with its root certificate', () => {
    t.resourceCountIs('AWS::ACMPCA::CertificateAuthority', 1);
    t.hasResourceProperties('AWS::ACMPCA::CertificateAuthority', {
      Type: 'ROOT',
      KeyAlgorithm: 'EC_prime256v1',
      SigningAlgorithm: 'SHA256WITHECDSA',
      UsageMode: 'SHORT_LIVED_CERTIFICATE',
      Tags: [{ Key: 'AmazonECSManaged', Value: 'true' }],
    });
    t.hasResourceProperties('AWS::ACMPCA::Certificate', {
      TemplateArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':acm-pca:::template/RootCACertificate/V1']] },
    });
    t.hasResourceProperties('AWS::ACMPCA::CertificateAuthorityActivation', { Status: 'ACTIVE' });
  });

  test('creates one infrastructure role assumed by ecs.amazonaws.com with the managed TLS policy', () => {
    const roles = Object.values(t.findResources('AWS::IAM::Role', {
      Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'ecs.amazonaws.com' } })] } },
    }));
    expect(roles).toHaveLength(1);
    expect(JSON.stringify((roles[0] as any).Properties.ManagedPolicyArns)).toContain(TLS_POLICY_SUFFIX);
  });

  test('every server port gets the CA and role; services wait for the activation', () => {
    const caId = Object.keys(t.findResources('AWS::ACMPCA::CertificateAuthority'))[0];
    const activationId = Object.keys(t.findResources('AWS::ACMPCA::CertificateAuthorityActivation'))[0];
    for (const svc of [a, b]) {
      for (const entry of serviceConnectServices(t, svc)) {
        expect(entry.Tls).toEqual({
          IssuerCertificateAuthority: { AwsPcaAuthorityArn: { 'Fn::GetAtt': [caId, 'Arn'] } },
          RoleArn: { 'Fn::GetAtt': [expect.stringMatching(/InfrastructureRole/), 'Arn'] },
        });
      }
      expect(t.toJSON().Resources[logicalId(svc.service)].DependsOn).toContain(activationId);
    }
    expect(serviceConnectServices(t, b)).toHaveLength(2);
  });

  test('the client-only service needs no TLS settings', () => {
    expect(serviceConnectServices(t, worker)).toEqual([]);
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('tls-client-only'));
  });

  test('passes cdk-nag AwsSolutions (the managed policy is acknowledged with its reason)', () => {
    expect(() => app.synth()).not.toThrow();
  });
});

describe('a given certificate authority', () => {
  test('by ARN, with a KMS key the infrastructure role may use', () => {
    const stack = strictStack();
    const key = new kms.Key(stack, 'TlsKey', { enableKeyRotation: true });
    const cluster = new ServiceConnectCluster(stack, 'C');
    const svc = new ConnectedFargateService(stack, 'Api', {
      cluster, image, ports: [{ name: 'api', containerPort: 80 }], tls: ServiceConnectTls.fromCertificateAuthorityArn(CA_ARN, { kmsKey: key }),
    });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::ACMPCA::CertificateAuthority', 0);
    expect(serviceConnectServices(t, svc)[0].Tls).toMatchObject({
      IssuerCertificateAuthority: { AwsPcaAuthorityArn: CA_ARN },
      KmsKey: { 'Fn::GetAtt': [logicalId(key), 'Arn'] },
    });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyPair'],
          Resource: { 'Fn::GetAtt': [logicalId(key), 'Arn'] },
        })]),
      },
    });
  });

  test('as a construct, with a role of your own (no role is created)', () => {
    const stack = strictStack();
    const ca = acmpca.CertificateAuthority.fromCertificateAuthorityArn(stack, 'Ca', CA_ARN);
    const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::111111111111:role/ecsInfrastructureRole');
    const cluster = new ServiceConnectCluster(stack, 'C', { tls: ServiceConnectTls.fromCertificateAuthority(ca, { role }) });
    const svc = new ConnectedFargateService(stack, 'Api', { cluster, image, ports: [{ name: 'api', containerPort: 80 }] });
    const t = Template.fromStack(stack);
    expect(serviceConnectServices(t, svc)[0].Tls).toEqual({
      IssuerCertificateAuthority: { AwsPcaAuthorityArn: CA_ARN }, RoleArn: 'arn:aws:iam::111111111111:role/ecsInfrastructureRole',
    });
    t.resourcePropertiesCountIs('AWS::IAM::Role', { ManagedPolicyArns: Match.anyValue() }, 0);
  });

  test('by ARN: the library\'s role may use that CA alone (the managed policy covers only CAs tagged AmazonECSManaged=true)', () => {
    // GIVEN a CA the library knows by ARN only, and two services using it
    const stack = strictStack();
    const cluster = new ServiceConnectCluster(stack, 'C', { tls: ServiceConnectTls.fromCertificateAuthorityArn(CA_ARN) });
    new ConnectedFargateService(stack, 'A', { cluster, image, ports: [{ name: 'a', containerPort: 80 }] });
    new ConnectedFargateService(stack, 'B', { cluster, image, ports: [{ name: 'b', containerPort: 80 }] });
    // THEN the infrastructure role gets the managed policy's CA actions on this CA, once, and nowhere else
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: ['acm-pca:IssueCertificate', 'acm-pca:GetCertificate', 'acm-pca:GetCertificateAuthorityCertificate', 'acm-pca:DescribeCertificateAuthority'],
          Resource: CA_ARN,
        }],
      },
      Roles: [{ Ref: Match.stringLikeRegexp('CTlsInfrastructureRole') }],
    });
    expect(caStatements(t)).toHaveLength(1);
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('tls-ca-permissions'));
  });

  test('the CA policy of a CA by ARN passes cdk-nag AwsSolutions (no wildcard, no managed policy of its own)', () => {
    const app = strictApp();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const stack = new Stack(app, 'Nag');
    const cluster = new ServiceConnectCluster(stack, 'C', { tls: ServiceConnectTls.fromCertificateAuthorityArn(CA_ARN) });
    new ConnectedFargateService(stack, 'Api', { cluster, image, ports: [{ name: 'api', containerPort: 80 }] });
    expect(() => app.synth()).not.toThrow();
  });

  test('a CA construct of this app is tagged AmazonECSManaged=true (and needs no extra policy)', () => {
    // GIVEN a CA of this app
    const stack = strictStack();
    const ca = new OwnCertificateAuthority(stack, 'OwnCa');
    const cluster = new ServiceConnectCluster(stack, 'C', { tls: ServiceConnectTls.fromCertificateAuthority(ca) });
    new ConnectedFargateService(stack, 'Api', { cluster, image, ports: [{ name: 'api', containerPort: 80 }] });
    // THEN the CA carries the tag the managed policy requires
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ACMPCA::CertificateAuthority', {
      Tags: Match.arrayWith([{ Key: 'AmazonECSManaged', Value: 'true' }]),
    });
    expect(caStatements(t)).toHaveLength(0);
  });

  test('by ARN with a role of your own: no policy is added, a warning names the tag and the actions', () => {
    const stack = strictStack();
    const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::111111111111:role/ecsInfrastructureRole');
    const cluster = new ServiceConnectCluster(stack, 'C', { tls: ServiceConnectTls.fromCertificateAuthorityArn(CA_ARN, { role }) });
    new ConnectedFargateService(stack, 'Api', { cluster, image, ports: [{ name: 'api', containerPort: 80 }] });
    expect(caStatements(Template.fromStack(stack))).toHaveLength(0);
    Annotations.fromStack(stack).hasWarning('/TestStack/Api', Match.stringLikeRegexp(
      'tagged AmazonECSManaged=true.*acm-pca:IssueCertificate.*cdk-service-connect:tls-ca-permissions'));
  });

  test('a service can turn off its cluster\'s TLS', () => {
    const stack = strictStack();
    const cluster = new ServiceConnectCluster(stack, 'C', { tls: ServiceConnectTls.fromCertificateAuthorityArn(CA_ARN) });
    const svc = new ConnectedFargateService(stack, 'Api', { cluster, image, ports: [{ name: 'api', containerPort: 80 }], tls: ServiceConnectTls.disabled() });
    expect(serviceConnectServices(Template.fromStack(stack), svc)[0].Tls).toBeUndefined();
    expect(svc.tls?.enabled).toBe(false);
  });
});

describe('TLS validation', () => {
  test.each([
    ['an empty ARN', ''],
    ['a name instead of an ARN', 'my-private-ca'],
    ['an ACM certificate ARN', 'arn:aws:acm:eu-west-1:111111111111:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789'],
  ])('TLS without a CA (%s) is rejected', (_what, arn) => {
    const stack = strictStack();
    const cluster = new ServiceConnectCluster(stack, 'C');
    expect(() => new ConnectedFargateService(stack, 'Api', {
      cluster, image, ports: [{ name: 'api', containerPort: 80 }], tls: ServiceConnectTls.fromCertificateAuthorityArn(arn),
    })).toThrow(new RegExp(`\\[tls-ca-arn\\] tls\\.certificateAuthorityArn = "${arn.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}": TLS needs an AWS Private CA`));
  });

  test('a bad CA on the cluster is reported on each service that inherits it', () => {
    const stack = strictStack();
    const cluster = new ServiceConnectCluster(stack, 'C', { tls: ServiceConnectTls.fromCertificateAuthorityArn('') });
    expect(() => new ConnectedFargateService(stack, 'Api', { cluster, image, ports: [{ name: 'api', containerPort: 80 }] }))
      .toThrow(/\[tls-ca-arn\] cluster\.tls\.certificateAuthorityArn = ""/);
  });

  test('TLS set on a client-only service warns that it has no effect', () => {
    const stack = strictStack();
    const cluster = new ServiceConnectCluster(stack, 'C');
    new ConnectedFargateService(stack, 'Api', { cluster, image, ports: [{ name: 'api', containerPort: 80 }] });
    new ConnectedFargateService(stack, 'Worker', { cluster, image, tls: ServiceConnectTls.fromCertificateAuthorityArn(CA_ARN) });
    Annotations.fromStack(stack).hasWarning('/TestStack/Worker', Match.stringLikeRegexp('cdk-service-connect:tls-client-only'));
  });
});

/** A CA construct of this app, as a user's own L2 would be: the CA resource under an `ICertificateAuthority`. */
class OwnCertificateAuthority extends Resource implements acmpca.ICertificateAuthority {
  public readonly certificateAuthorityArn: string;
  public readonly certificateAuthorityRef: acmpca.CertificateAuthorityReference;
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const ca = new acmpca.CfnCertificateAuthority(this, 'Resource', {
      type: 'ROOT',
      keyAlgorithm: 'EC_prime256v1',
      signingAlgorithm: 'SHA256WITHECDSA',
      usageMode: 'SHORT_LIVED_CERTIFICATE',
      subject: { commonName: 'own' },
    });
    this.certificateAuthorityArn = ca.attrArn;
    this.certificateAuthorityRef = { certificateAuthorityArn: ca.attrArn };
  }
}
