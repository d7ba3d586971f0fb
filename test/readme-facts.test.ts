import * as fs from 'fs';
import * as path from 'path';
import * as ecs from 'aws-cdk-lib/aws-ecs';

/**
 * Facts the README and examples state, checked against the source of truth each one names: a
 * corrected claim that regresses fails here.
 */
const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
const crossAccountExample = fs.readFileSync(path.join(__dirname, '..', 'examples', 'cross-account', 'app.ts'), 'utf8');

describe('README and examples state the corrected facts', () => {
  test('cross-account: the consumer accepts the RAM invitation unless RAM sharing with AWS Organizations is on', () => {
    for (const text of [readme, crossAccountExample]) {
      expect(text).toMatch(/accept-resource-share-invitation/);
      expect(text).toMatch(/RAM sharing with AWS[\s/]+Organizations/);
      expect(text).toMatch(/GetNamespace/);
    }
  });

  test('the error rate is not claimed to have one scope across DiscoveryName and TargetDiscoveryName', () => {
    expect(readme).not.toMatch(/a ratio of the two \(the error rate\) has\s+one scope/);
    expect(readme).not.toMatch(/The denominator is `RequestCount` by `DiscoveryName`/);
    expect(readme).toMatch(/different scopes/);
  });

  test('lifecycle stages are listed as ECS lists them, every stage of aws-cdk-lib\'s enum, in ECS\'s order', () => {
    const line = readme.slice(readme.indexOf('**Lifecycle hooks**'), readme.indexOf('Client-only services have nothing to shift'));
    const listed = [...line.matchAll(/`([A-Z_]+)`/g)].map((m) => m[1]);
    expect(listed).toEqual([
      'RECONCILE_SERVICE', 'PRE_SCALE_UP', 'POST_SCALE_UP', 'TEST_TRAFFIC_SHIFT', 'POST_TEST_TRAFFIC_SHIFT',
      'PRODUCTION_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT',
    ]);
    expect(new Set(listed)).toEqual(new Set(Object.values(ecs.DeploymentLifecycleStage)));
  });

  test('the retry behaviour and the tracing deadline are stated as AWS documents them', () => {
    expect(readme).not.toMatch(/retries twice/);
    expect(readme).toMatch(/2027-02-25/);
    expect(readme).toMatch(/33-hour/);
    expect(readme).toMatch(/36 hours/);
  });
});
