import * as fs from 'fs';
import * as path from 'path';
import { lintTemplates } from '../../../src/private/template/lint';
import { parseTemplateText, TemplateError, TemplateSet, ResourceRef } from '../../../src/private/template/reader';

/**
 * The hand-written template corpus of test/fixtures/lint/: each fixture with the exact findings
 * (rule, resource, property path) it must raise, and a clean one that raises none.
 */
const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'lint');
const read = (name: string) => parseTemplateText(fs.readFileSync(path.join(FIXTURES, name), 'utf8'), name);
const found = (...names: string[]) => lintTemplates(names.map(read)).findings.map((f) => `${f.level} ${f.rule} ${f.at.template}:${f.at.logicalId} ${f.at.path}`);

describe('the template corpus', () => {
  test('GIVEN the seed article\'s mistakes in YAML WHEN linted THEN namespace by name, too little proxy headroom, metrics by ClusterName+ServiceName', () => {
    expect(found('seed-mistakes.yaml')).toEqual([
      'warning metric-dimensions seed-mistakes.yaml:Board DashboardBody.widgets[0].properties.metrics[0]',
      'error namespace-arn seed-mistakes.yaml:Cluster ServiceConnectDefaults.Namespace',
      'warning metric-dimensions seed-mistakes.yaml:OrdersRequests MetricName',
      'warning proxy-headroom seed-mistakes.yaml:OrdersTask Cpu',
    ]);
  });

  test('GIVEN one mistake per service WHEN linted THEN exactly those rules, each at its property', () => {
    expect(found('service-mistakes.yaml')).toEqual([
      'error port-name-unknown service-mistakes.yaml:Api ServiceConnectConfiguration.Services[0].PortName',
      'error namespace-arn service-mistakes.yaml:ById ServiceConnectConfiguration.Namespace',
      'error deployment-range service-mistakes.yaml:Canary DeploymentConfiguration.CanaryConfiguration',
      'error deployment-controller service-mistakes.yaml:Db DeploymentController.Type',
      'error tcp-per-request-timeout service-mistakes.yaml:Db ServiceConnectConfiguration.Services[0].Timeout.PerRequestTimeoutSeconds',
      'error task-memory-missing service-mistakes.yaml:Ec2Task Memory',
      'warning ingress-alias-port service-mistakes.yaml:ServerFromClient ',
      'error sizing-invalid service-mistakes.yaml:TcpTask Cpu/Memory',
      'error platform-version service-mistakes.yaml:Web PlatformVersion',
      'error access-log-configuration service-mistakes.yaml:Web ServiceConnectConfiguration.AccessLogConfiguration',
      'error deployment-range service-mistakes.yaml:Worker DeploymentConfiguration.MaximumPercent',
    ]);
  });

  test('GIVEN a correct template (parameters, mappings, access logs with a log configuration, the right ports) WHEN linted THEN no finding', () => {
    expect(found('clean.yaml')).toEqual([]);
  });

  test('GIVEN two templates joining one namespace through an export WHEN linted together THEN the second owner of a name is an error', () => {
    expect(found('team-a.yaml', 'team-b.json')).toEqual([
      'error client-alias-unique team-b.json:OrdersV2 ServiceConnectConfiguration.Services[0]',
      'error discovery-name-unique team-b.json:OrdersV2 ServiceConnectConfiguration.Services[0]',
    ]);
  });

  test('GIVEN each of the two templates alone WHEN linted THEN no finding (the namespace is shared only through the export)', () => {
    expect(found('team-a.yaml')).toEqual([]);
    expect(found('team-b.json')).toEqual([]);
  });

  test('GIVEN a namespace created with only a client-only service WHEN linted THEN namespace-without-server', () => {
    expect(found('client-only.yaml')).toEqual(['warning namespace-without-server client-only.yaml:Worker ServiceConnectConfiguration']);
  });

  test('GIVEN a baseline WHEN the service is renamed and its appProtocol changed THEN replacement-hazard and app-protocol-changed', () => {
    const result = lintTemplates([read('baseline-new.yaml')], [read('baseline-old.yaml')]).findings;
    expect(result.map((f) => `${f.rule} ${f.at.logicalId} ${f.at.path} ${f.value}`)).toEqual([
      'replacement-hazard Payments ServiceName payments -> payments-v2',
      'app-protocol-changed Task ContainerDefinitions.PortMappings[Name=payments].AppProtocol http -> grpc',
    ]);
  });

  test('GIVEN the deployed version itself as the new one WHEN compared THEN no hazard', () => {
    expect(lintTemplates([read('baseline-old.yaml')], [read('baseline-old.yaml')]).findings).toEqual([]);
  });
});

describe('the template reader', () => {
  test('GIVEN YAML short forms WHEN resolved THEN Ref/GetAtt become resource references and Sub/Join/Select/FindInMap values', () => {
    const t = parseTemplateText([
      'Parameters: { Env: { Type: String, Default: prod } }',
      'Mappings: { M: { prod: { Port: 8080 } } }',
      'Resources:',
      '  Ns: { Type: AWS::ServiceDiscovery::HttpNamespace, Properties: { Name: !Sub "${Env}.internal" } }',
      '  X:',
      '    Type: AWS::SNS::Topic',
      '    Properties:',
      '      A: !GetAtt Ns.Arn',
      '      B: !Join ["-", [a, !Ref Env]]',
      '      C: !Select [1, [x, y]]',
      '      D: !FindInMap [M, !Ref Env, Port]',
      '      E: !Ref AWS::Region',
      '      F: !If [Cond, a, b]',
      '      G: !Sub "${Ns}"',
    ].join('\n'), 't.yaml');
    const set = new TemplateSet([t]);
    const p = set.resolve(t, t.resources.X.Properties) as Record<string, unknown>;
    expect(p.A).toEqual(new ResourceRef('t.yaml', 'Ns', 'Arn'));
    expect(p).toMatchObject({ B: 'a-prod', C: 'y', D: 8080 });
    expect(p.E).toBeUndefined();
    expect(p.F).toBeUndefined();
    expect(p.G).toBeUndefined();
    expect(set.resolve(t, t.resources.Ns.Properties)).toEqual({ Name: 'prod.internal' });
  });

  test.each([
    ['', /is empty/],
    ['{ "Resources": ', /not valid JSON or YAML/],
    ['a: 1', /no "Resources" section/],
  ])('GIVEN %j WHEN read THEN a clear error', (text, message) => {
    expect(() => parseTemplateText(text, 'bad.yaml')).toThrow(TemplateError);
    expect(() => parseTemplateText(text, 'bad.yaml')).toThrow(message);
  });
});

describe('robustness', () => {
  test('GIVEN properties of the wrong shape everywhere WHEN linted THEN no crash and no finding about them', () => {
    const weird = parseTemplateText(JSON.stringify({
      Parameters: { P: { Type: 'String' } },
      Resources: {
        C: { Type: 'AWS::ECS::Cluster', Properties: { ServiceConnectDefaults: 'x' } },
        T: { Type: 'AWS::ECS::TaskDefinition', Properties: { Cpu: { Ref: 'P' }, Memory: [1], ContainerDefinitions: ['x', { PortMappings: 'y', Environment: [1, { Name: 2 }] }] } },
        S: {
          Type: 'AWS::ECS::Service',
          Properties: {
            Cluster: { 'Fn::If': ['c', 'a', 'b'] },
            TaskDefinition: { Ref: 'T' },
            DeploymentConfiguration: 'z',
            DeploymentController: [],
            NetworkConfiguration: { AwsvpcConfiguration: { SecurityGroups: 'sg' } },
            ServiceConnectConfiguration: { Enabled: 'true', Namespace: { 'Fn::ImportValue': 'nothing' }, Services: [null, 'a', { ClientAliases: 'b', Timeout: 3 }] },
          },
        },
        G: { Type: 'AWS::EC2::SecurityGroup', Properties: { SecurityGroupIngress: [null, { FromPort: 'a' }] } },
        I: { Type: 'AWS::EC2::SecurityGroupIngress', Properties: { GroupId: { 'Fn::GetAtt': ['G', 'GroupId'] }, IpProtocol: -1 } },
        A: { Type: 'AWS::CloudWatch::Alarm', Properties: { MetricName: 'RequestCount', Namespace: 'AWS/ECS', Dimensions: 'd', Metrics: [1, { MetricStat: 2 }] } },
        D: { Type: 'AWS::CloudWatch::Dashboard', Properties: { DashboardBody: '{"widgets":[1,{"properties":{"metrics":[["AWS/ECS"],"x",[1,2]]}}]}' } },
        L: { Type: 'AWS::CloudWatch::Dashboard', Properties: { DashboardBody: 'not json' } },
      },
    }), 'weird.json');
    expect(() => lintTemplates([weird], [weird])).not.toThrow();
    expect(lintTemplates([weird]).findings).toEqual([]);
  });
});
