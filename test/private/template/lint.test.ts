import * as fs from 'fs';
import * as path from 'path';
import { lintTemplates } from '../../../src/private/template/lint';
import { lineOf, parseTemplateText, TemplateError, TemplateSet, ResourceRef } from '../../../src/private/template/reader';

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

  test('GIVEN conditions, !If and resources created under a condition WHEN linted THEN the branch that deploys is checked and the resource not created is not', () => {
    // Api: the undecided !If's configured branch (before: the whole configuration was skipped);
    // ProdOnly: not created at the default stage (before: deployment-controller); TestOnly: the
    // decided branches; Worker: both branches agree; ApiTask: sizes from parameters without a
    // default are unknown, not missing (before: task-memory-missing); Either: port mappings that
    // differ by an undecided condition are unknown, not absent (before: port-name-unknown); Rpc:
    // an AppProtocol from a parameter is unknown, not TCP (before: tcp-per-request-timeout)
    expect(found('conditions.yaml')).toEqual([
      'error platform-version conditions.yaml:Api PlatformVersion',
      'error deployment-controller conditions.yaml:TestOnly DeploymentController.Type',
      'error port-name-unknown conditions.yaml:Worker ServiceConnectConfiguration.Services[0].PortName',
    ]);
  });

  test('GIVEN a workload naming its namespace WHEN linted alone THEN namespace-by-name (a warning: a service may name an existing namespace)', () => {
    expect(found('workload-by-name.yaml')).toEqual(['warning namespace-by-name workload-by-name.yaml:Service ServiceConnectConfiguration.Namespace']);
  });

  test('GIVEN the workload with its environment, whose namespace name is known only at deployment, WHEN linted THEN no finding', () => {
    expect(found('env-namespace.yaml', 'workload-by-name.yaml')).toEqual([]);
  });

  test('GIVEN a service naming a namespace another template creates WHEN linted THEN no finding, and the namespace-wide rules see both', () => {
    const named = (id: string, discovery: string) => parseTemplateText(JSON.stringify({
      Resources: {
        Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { Cpu: '256', Memory: '512', ContainerDefinitions: [{ Name: 'a', PortMappings: [{ Name: 'api', ContainerPort: 80 }] }] } },
        [id]: {
          Type: 'AWS::ECS::Service',
          Properties: { TaskDefinition: { Ref: 'Task' }, ServiceConnectConfiguration: { Enabled: true, Namespace: 'shop.internal', Services: [{ PortName: 'api', DiscoveryName: discovery }] } },
        },
      },
    }), `${id}.json`);
    const ns = parseTemplateText('Resources: { Ns: { Type: AWS::ServiceDiscovery::HttpNamespace, Properties: { Name: shop.internal } } }', 'ns.yaml');
    const result = (...t: ReturnType<typeof named>[]) => lintTemplates(t).findings.map((f) => `${f.rule} ${f.at.template}`);
    expect(result(ns, named('A', 'orders'), named('B', 'payments'))).toEqual([]);
    expect(result(ns, named('A', 'orders'), named('B', 'orders'))).toEqual(['discovery-name-unique B.json']);
  });

  test('GIVEN services naming their cluster by name and by a !Sub ARN WHEN linted THEN they join its default namespace (the second owner of a discovery name is an error)', () => {
    expect(found('cluster-by-name.yaml')).toEqual(['error discovery-name-unique cluster-by-name.yaml:ByArn ServiceConnectConfiguration.Services[0]']);
  });

  test('GIVEN services naming a namespace of their own template WHEN linted THEN namespace-order only where nothing orders the service after it', () => {
    expect(found('namespace-order.yaml')).toEqual(['warning namespace-order namespace-order.yaml:Racing ServiceConnectConfiguration.Namespace']);
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

  test('GIVEN Conditions WHEN resolved THEN Fn::If takes the decided branch, an undecided one the branch with a value, and a false resource Condition drops the resource', () => {
    const t = parseTemplateText([
      'Parameters: { Env: { Type: String, Default: prod }, Free: { Type: String } }',
      'Conditions:',
      '  IsProd: !Equals [!Ref Env, prod]',
      '  IsDev: !Not [!Condition IsProd]',
      '  Unknown: !Equals [!Ref Free, x]',
      '  Both: !And [!Condition IsProd, !Condition Unknown]',
      '  Either: !Or [!Condition IsProd, !Condition Unknown]',
      'Resources:',
      '  Dev: { Type: AWS::SNS::Topic, Condition: IsDev }',
      '  Maybe: { Type: AWS::SNS::Topic, Condition: Unknown }',
      '  X:',
      '    Type: AWS::SNS::Topic',
      '    Properties:',
      '      A: !If [IsProd, yes, no]',
      '      B: !If [IsDev, yes, no]',
      '      C: !If [Unknown, !Ref AWS::NoValue, kept]',
      '      D: !If [Unknown, same, same]',
      '      E: !If [Unknown, one, other]',
      '      F: !If [Both, yes, no]',
      '      G: !If [Either, yes, no]',
      '      H: !Split [",", "a,b"]',
      '      I: !If [IsProd, !Ref AWS::NoValue, set]',
      '      J: [!If [IsProd, !Ref AWS::NoValue, x], y]',
    ].join('\n'), 't.yaml');
    const set = new TemplateSet([t]);
    const p = set.resolve(t, t.resources.X.Properties) as Record<string, unknown>;
    expect(p).toEqual({ A: 'yes', B: 'no', C: 'kept', D: 'same', E: undefined, F: undefined, G: 'yes', H: ['a', 'b'], J: ['y'] });
    expect('I' in p).toBe(false);
    expect([set.exists(t, 'Dev'), set.exists(t, 'Maybe'), set.exists(t, 'X')]).toEqual([false, true, true]);
  });

  test('GIVEN JSON and YAML with a byte order mark, and YAML with CRLF line ends WHEN read THEN the same templates, lines counted right', () => {
    const json = parseTemplateText('\uFEFF{ "Resources": { "A": { "Type": "AWS::SNS::Topic" } } }', 'bom.json');
    const yaml = parseTemplateText('\uFEFFResources:\n  A:\n    Type: AWS::SNS::Topic\n', 'bom.yaml');
    const crlf = parseTemplateText('Resources:\r\n  Role:\r\n    Type: AWS::IAM::Role\r\n    Properties: { Principal: { A: x } }\r\n  A:\r\n    Type: AWS::SNS::Topic\r\n', 'crlf.yaml');
    expect([json, yaml, crlf].map((t) => t.resources.A.Type)).toEqual(['AWS::SNS::Topic', 'AWS::SNS::Topic', 'AWS::SNS::Topic']);
    expect(lineOf(crlf, 'A')).toBe(5);
  });

  test('GIVEN the output of aws cloudformation get-template (a JSON body, or a YAML body as text) WHEN read THEN its TemplateBody is the template', () => {
    const json = parseTemplateText(JSON.stringify({ TemplateBody: { Resources: { A: { Type: 'AWS::SNS::Topic' } } }, StagesAvailable: ['Original', 'Processed'] }), 'deployed.json');
    const yaml = parseTemplateText(JSON.stringify({ TemplateBody: 'Resources:\n  A:\n    Type: AWS::SNS::Topic\n', StagesAvailable: ['Original'] }), 'deployed-yaml.json');
    expect([json.resources.A.Type, yaml.resources.A.Type]).toEqual(['AWS::SNS::Topic', 'AWS::SNS::Topic']);
    expect(lineOf(yaml, 'A')).toBe(2);
  });

  test('GIVEN a tag CloudFormation does not know (a typo like `!Ref:`) WHEN read THEN it is kept as a value, without a warning on stderr', () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const t = parseTemplateText('Resources:\n  X:\n    Type: AWS::SNS::Topic\n    Properties:\n      A: [!Ref: AWS::NoValue]\n', 't.yaml');
      expect(t.resources.X.Properties).toEqual({ A: ['AWS::NoValue'] });
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  test.each([
    ['', /is empty/],
    ['{ "Resources": ', /not valid JSON or YAML/],
    ['a: 1', /no "Resources" section\.$/],
    // the Service Connect part of an `aws ecs update-service` request, as samples ship it next to their templates
    ['{ "enabled": true, "namespace": "shop.internal", "services": [] }', /no "Resources" section\. It looks like an ECS API request/],
    ['{ "family": "orders", "containerDefinitions": [] }', /no "Resources" section\. It looks like an ECS API request .*register-task-definition/],
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

  test('GIVEN Fn::ForEach, a condition naming itself, an undefined condition and functions the reader does not evaluate WHEN linted THEN no crash, nothing guessed', () => {
    const t = parseTemplateText([
      'Transform: AWS::LanguageExtensions',
      'Parameters: { Names: { Type: CommaDelimitedList, Default: "a,b" } }',
      'Conditions: { Loop: !Condition Loop, Bad: !Equals [!Ref Names] }',
      'Resources:',
      '  Fn::ForEach::Services: [Name, !Ref Names, { "Svc${Name}": { Type: AWS::ECS::Service } }]',
      '  X:',
      '    Type: AWS::ECS::Service',
      '    Condition: Loop',
      '    Properties:',
      '      Cluster: !If [Bad, a, b]',
      '      TaskDefinition: !Select [5, !Split [",", !Join ["", [!Length [1, 2]]]]]',
      '      ServiceConnectConfiguration:',
      '        Enabled: !If [Loop, true, true]',
      '        Namespace: !ToJsonString { a: 1 }',
      '        Services: [{ PortName: !FindInMap [NoMap, !Ref Names, x], Timeout: { PerRequestTimeoutSeconds: !GetAtt X.Y.Z } }]',
      '  Y: { Type: AWS::ECS::Service, Condition: Missing, Properties: { ServiceConnectConfiguration: { Enabled: true, Services: [{ PortName: !Sub ["${A}", { A: !Ref Y }] }] } } }',
    ].join('\n'), 'loops.yaml');
    const result = lintTemplates([t]);
    expect(result.findings).toEqual([]);
    expect(result.model.services.map((s) => `${s.at.logicalId} ${s.clusterLabel} ${s.entries.map((e) => e.portName)}`)).toEqual(['X (unresolved) ', 'Y default ']);
  });
});
