import { AppMeshMigration } from '../../src/migration';

describe('the retry-policy finding says only what AWS documents of Service Connect\'s retries', () => {
  // GIVEN a mesh route with a retry policy
  const plan = AppMeshMigration.fromTemplate(JSON.stringify({
    Resources: {
      Node: { Type: 'AWS::AppMesh::VirtualNode', Properties: { MeshName: 'm', VirtualNodeName: 'api', Spec: { Listeners: [{ PortMapping: { Port: 80, Protocol: 'http' } }] } } },
      Router: { Type: 'AWS::AppMesh::VirtualRouter', Properties: { MeshName: 'm', VirtualRouterName: 'r', Spec: { Listeners: [{ PortMapping: { Port: 80, Protocol: 'http' } }] } } },
      Route: {
        Type: 'AWS::AppMesh::Route',
        Properties: {
          MeshName: 'm',
          VirtualRouterName: 'r',
          RouteName: 'retrying',
          Spec: {
            HttpRoute: {
              Match: { Prefix: '/' },
              Action: { WeightedTargets: [{ VirtualNode: 'api', Weight: 1 }] },
              RetryPolicy: { MaxRetries: 3, PerRetryTimeout: { Unit: 's', Value: 2 }, HttpRetryEvents: ['server-error'] },
            },
          },
        },
      },
    },
  }), { namespaceName: 'retry.internal' });

  test('a retry on another task, no count AWS does not document', () => {
    // WHEN the plan lists the finding
    const [finding] = plan.findingsOf('retry-policy');
    // THEN it names the documented behaviour and no retry count or 503 condition
    expect(finding.recommendation).toMatch(/retries a failed request on another task by itself/);
    expect(finding.recommendation).not.toMatch(/twice|503/);
  });
});
