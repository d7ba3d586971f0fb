import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildObservabilityApp } from '../../examples/observability/app';
import type { ConnectedFargateService } from '../../src';
import type { ServiceConnectAlarms } from '../../src/observability';
import { strictApp } from '../helpers';

test('the observability example synthesizes under strict validation and cdk-nag\'s AwsSolutions checks', () => {
  // GIVEN the example app with the AwsSolutions pack as a validation plugin
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'sc-observability-'));
  const app = strictApp({ outdir });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stack = buildObservabilityApp(app);

  // WHEN / THEN synthesis reports no finding
  expect(() => app.synth()).not.toThrow();

  // and it has the alarms of both servers (error rate + latency each), an encrypted topic, one dashboard
  const t = Template.fromStack(stack);
  t.resourceCountIs('AWS::CloudWatch::Alarm', 4);
  t.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: {} });
  const payments = stack.node.findChild('Payments') as ConnectedFargateService;
  expect(payments.metricTarget5xxCount().metricName).toBe('HTTPCode_Target_5XX_Count');
  const alarms = stack.node.findChild('PaymentsAlarms') as ServiceConnectAlarms;
  expect(alarms.alarms).toHaveLength(2);
  fs.rmSync(outdir, { recursive: true, force: true });
});
