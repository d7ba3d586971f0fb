import { App, Stack } from 'aws-cdk-lib';
import type { AppProps, CfnElement } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type { IConstruct } from 'constructs';
import { run } from '../src/cli/main';

/** The context that turns on aws-cdk-lib's CloudFormation validator and makes every finding fail synthesis. */
export const STRICT_VALIDATION_CONTEXT = {
  '@aws-cdk/core:validateAgainstDefaultRules': true,
  '@aws-cdk/core:strictCfnValidateErrors': true,
};

/** An App whose synthesis fails on any CloudFormation validator finding. Every test app is made here. */
export function strictApp(props: AppProps = {}): App {
  return new App({ ...props, context: { ...STRICT_VALIDATION_CONTEXT, ...props.context } });
}

/** A fresh strict App with one environment-agnostic stack. */
export function strictStack(id = 'TestStack'): Stack {
  return new Stack(strictApp(), id);
}

/** The image of every test service (never pulled: nothing is deployed). */
export const TEST_IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/example/app:1');

/** The logical id of a construct's CloudFormation resource (its default child). */
export function logicalId(c: IConstruct): string {
  return Stack.of(c).getLogicalId(c.node.defaultChild as CfnElement);
}

/** Run the `cdk-service-connect` command in process: its exit status and what it printed. */
export function cli(...argv: string[]): { status: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const status = run(argv, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
  return { status, stdout, stderr };
}
