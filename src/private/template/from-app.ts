import { CfnElement, Stack, Stage } from 'aws-cdk-lib';
import type { IStackSynthesizer, ISynthesisSession } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { templateSource } from './reader';
import type { TemplateSource } from './reader';

/**
 * The templates of a CDK app's stacks as the checks read them: exactly the templates synthesis
 * writes (so aws-cdk-lib's L2, hand-written L1 and this library's constructs give the same
 * templates the CLI reads from `cdk.out`), rendered once.
 *
 * Rendering a stack (resolving every token of every resource) is most of what synthesis costs, so
 * the checks do not render stacks a second time. When the app is validated, `checkAtSynthesis`
 * arms every stack under the checks' scope: when synthesis is about to write the first of those
 * templates, all of them are rendered at once (`Stack._toCloudFormation()`, what synthesis itself
 * calls), the checks run over them and annotate the constructs (before any stack's messages are
 * collected), and each stack then writes the template that was rendered for it instead of
 * rendering it again. So the checks cost what reading the templates costs, not a second synthesis.
 *
 * A rendered template can never be written stale:
 * - the templates are rendered after every validation, while synthesis writes templates. The
 *   one change synthesis makes is a stack synthesizer adding elements to its stack right before
 *   writing it (aws-cdk-lib's `DefaultStackSynthesizer` adds the `BootstrapVersion` parameter and
 *   rule): elements added after the rendering are rendered then and merged in, in the order
 *   synthesis would have (they come last in the stack's tree); any other change to the stack's
 *   elements, or a section that does not merge key by key, gets a fresh rendering;
 * - a stack takes its rendered template only while its own synthesizer writes it
 *   (`IStackSynthesizer.synthesize`), once; any other rendering of the stack gets a fresh one;
 * - when a synthesis stops before a stack is written, the rendered template is dropped as soon as
 *   anything renders one of the stack's elements, which every later synthesis does when it
 *   prepares the app (resolving cross-stack references), before anything is written;
 * - a stack whose synthesizer cannot be followed (a shared or frozen synthesizer) is not armed:
 *   the checks then run during validation, rendering the templates themselves.
 */

/** The templates of the stacks under a scope, as the checks read them. */
export interface AppTemplates {
  readonly sources: TemplateSource[];
  /** The construct of a template's resource or output (the L1 element), if any. */
  constructOf(template: string, logicalId: string): CfnElement | undefined;
}

/** Time of the last run of the checks over an app, in ms (read by the benchmark). */
export const checkTimings = {
  /** The whole run: arming the stacks (in validation), rendering the templates, reading them, running the rules, annotating. */
  lastMs: 0,
  /** Of it, arming the stacks in validation. */
  armMs: 0,
  /** Of it, rendering the templates (which synthesis then does not do again when they were handed to it). */
  renderMs: 0,
  /** Whether the rendered templates were handed to synthesis. */
  handedOver: false,
};

/**
 * The constructs under `scope` in tree order, without nested stages: a `Stage` is a unit of its
 * own (a pipeline's beta and prod), synthesized into its own assembly before the app around it,
 * and aspects do not reach into it either (add the checks to the stage).
 */
function constructsOf(scope: IConstruct): IConstruct[] {
  const out: IConstruct[] = [];
  const visit = (c: IConstruct): void => {
    out.push(c);
    for (const child of c.node.children) {
      if (!Stage.isStage(child)) visit(child);
    }
  };
  visit(scope);
  return out;
}

/** How the checks name a stack's template. */
function templateName(stack: Stack): string {
  return stack.node.path || stack.stackName;
}

/** The CloudFormation elements of a stack in the order synthesis renders them (its own: not those of its nested stacks). */
function cfnElementsOf(stack: Stack): CfnElement[] {
  const out: CfnElement[] = [];
  const visit = (c: IConstruct): void => {
    if (CfnElement.isCfnElement(c)) out.push(c);
    for (const child of c.node.children) {
      if (!Stack.isStack(child)) visit(child);
    }
  };
  visit(stack);
  return out;
}

/** A stack's template as synthesis renders it, and the elements it was rendered from. */
interface Rendering {
  readonly template: Record<string, unknown>;
  readonly elements: readonly CfnElement[];
}

/** The templates of `stacks`, rendered as synthesis renders them. */
function renderTemplates(stacks: readonly Stack[]): Map<Stack, Rendering> {
  const out = new Map<Stack, Rendering>();
  for (const stack of stacks) {
    const elements = cfnElementsOf(stack);
    out.set(stack, { template: (stack as unknown as Renderable)._toCloudFormation(), elements });
  }
  return out;
}

/** Sections of a template that merge key by key (a stack's `Description`, `Transform` and `AWSTemplateFormatVersion` do not). */
const KEYED_SECTIONS = new Set(['Metadata', 'Parameters', 'Mappings', 'Conditions', 'Rules', 'Resources', 'Outputs', 'Hooks']);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The template of `stack` now: `rendering` with the fragments of the elements added after it
 * merged in, or `undefined` when the stack changed otherwise (then it must be rendered afresh).
 */
function currentTemplate(stack: Stack, rendering: Rendering): Record<string, unknown> | undefined {
  const now = cfnElementsOf(stack);
  const before = rendering.elements;
  if (now.length < before.length || before.some((e, i) => now[i] !== e)) return undefined;
  if (now.length === before.length) return rendering.template;
  const out: Record<string, unknown> = { ...rendering.template };
  for (const element of now.slice(before.length)) {
    const fragment = stack.resolve((element as unknown as Renderable)._toCloudFormation());
    for (const [section, value] of Object.entries(isRecord(fragment) ? fragment : {})) {
      const dest = out[section];
      if (!KEYED_SECTIONS.has(section) || !isRecord(value) || (dest !== undefined && !isRecord(dest))) return undefined;
      if (dest !== undefined && Object.keys(value).some((k) => k in dest)) return undefined;
      out[section] = dest === undefined ? value : { ...dest, ...value };
    }
  }
  return out;
}

/** The templates as the checks read them, with the way back to each resource's construct. */
function asAppTemplates(templates: Map<Stack, Rendering>): AppTemplates {
  const byName = new Map<string, Stack>();
  const sources: TemplateSource[] = [];
  for (const [stack, rendering] of templates) {
    const name = templateName(stack);
    byName.set(name, stack);
    sources.push(templateSource(name, rendering.template));
  }
  const maps = new Map<Stack, Map<string, CfnElement>>();
  return {
    sources,
    constructOf(template, logicalId) {
      const stack = byName.get(template);
      if (!stack) return undefined;
      let map = maps.get(stack);
      if (!map) {
        // built only for a template with a finding: a logical id costs a hash of the construct path
        map = new Map();
        for (const c of stack.node.findAll()) {
          if (CfnElement.isCfnElement(c) && c.stack === stack) map.set(stack.resolve(c.logicalId) as string, c);
        }
        maps.set(stack, map);
      }
      return map.get(logicalId);
    },
  };
}

/** The stacks under `scope` (nested stacks included, nested stages not), in tree order. */
export function stacksUnder(scope: IConstruct): Stack[] {
  return constructsOf(scope).filter((c): c is Stack => Stack.isStack(c));
}

/** The templates of the stacks under `scope`, rendered now (the CLI-equivalent view of an app; tests and the benchmark). */
export function appTemplates(scope: IConstruct): AppTemplates {
  return asAppTemplates(renderTemplates(stacksUnder(scope)));
}

interface Renderable {
  _toCloudFormation(): Record<string, unknown>;
}

/** One arming of the checks over one scope, for one synthesis. */
interface Arming {
  readonly stacks: readonly Stack[];
  readonly check: (templates: AppTemplates) => void;
  done: boolean;
}

/** Per synthesizer: its stack and the armings waiting for the stack's template to be written. */
interface Follower {
  readonly stack: Stack;
  readonly armings: Set<Arming>;
  readonly wrapper: (session: ISynthesisSession) => void;
}

/** The synthesizers followed, and the stack each writes right now. */
const followers = new WeakMap<IStackSynthesizer, Follower>();
const writing = new Set<Stack>();
/** The latest arming of each scope (re-arming a scope withdraws the previous one). */
const armings = new WeakMap<IConstruct, Arming>();
/** Stacks holding a rendered template, with the element whose rendering drops it. */
const handed = new WeakMap<Stack, { readonly sentinel: CfnElement }>();

/**
 * Run `check` over the templates of the stacks under `scope` when synthesis is about to write the
 * first of them, and hand each stack the template rendered for it. Call it in a validation of
 * `scope` (every synthesis that validates arms the checks again).
 */
export function checkAtSynthesis(scope: IConstruct, check: (templates: AppTemplates) => void): void {
  const started = performance.now();
  checkTimings.armMs = 0;
  try {
    arm(scope, check);
  } finally {
    checkTimings.armMs = performance.now() - started;
  }
}

function arm(scope: IConstruct, check: (templates: AppTemplates) => void): void {
  const previous = armings.get(scope);
  if (previous) withdrawArming(previous);
  // a scope inside a stack: that stack's template (the caller keeps to the findings within the scope)
  const under = stacksUnder(scope);
  const stacks = under.length > 0 || Stage.isStage(scope) ? under : [Stack.of(scope)];
  if (stacks.length === 0) return;
  const arming: Arming = { stacks, check, done: false };
  armings.set(scope, arming);
  if (!stacks.every(canFollow)) {
    // a synthesizer this cannot follow: check now, rendering the templates (synthesis renders them again)
    arming.done = true;
    timed(() => check(asAppTemplates(renderTemplates(stacks))), false);
    return;
  }
  for (const stack of stacks) follow(stack).armings.add(arming);
}

function timed(body: () => void, handedOver: boolean, renderMs = 0): void {
  const started = performance.now();
  try {
    body();
  } finally {
    checkTimings.lastMs = performance.now() - started + renderMs + checkTimings.armMs;
    checkTimings.renderMs = renderMs;
    checkTimings.handedOver = handedOver;
  }
}

/** Whether the writing of `stack`'s template can be followed: its synthesizer is its own and can take a wrapper. */
function canFollow(stack: Stack): boolean {
  const synthesizer = stack.synthesizer;
  const known = followers.get(synthesizer);
  if (known) return known.stack === stack;
  return !Object.prototype.hasOwnProperty.call(synthesizer, 'synthesize') && Object.isExtensible(synthesizer);
}

/** Follow the writing of `stack`'s template: before it, run the waiting checks; during it, hand the stack its rendered template. */
function follow(stack: Stack): Follower {
  const synthesizer = stack.synthesizer;
  const known = followers.get(synthesizer);
  if (known && synthesizer.synthesize === known.wrapper) return known;
  const follower: Follower = {
    stack,
    armings: known?.armings ?? new Set(),
    wrapper: (session: ISynthesisSession) => {
      delete (synthesizer as { synthesize?: unknown }).synthesize;
      followers.delete(synthesizer);
      for (const arming of [...follower.armings]) {
        for (const s of arming.stacks) followers.get(s.synthesizer)?.armings.delete(arming);
        if (!arming.done) runArming(arming);
      }
      writing.add(stack);
      try {
        synthesizer.synthesize(session);
      } finally {
        writing.delete(stack);
        drop(stack);
      }
    },
  };
  Object.defineProperty(synthesizer, 'synthesize', { configurable: true, writable: true, value: follower.wrapper });
  followers.set(synthesizer, follower);
  return follower;
}

/** Render every template of the arming, run its checks, and hand each stack its template. */
function runArming(arming: Arming): void {
  arming.done = true;
  const started = performance.now();
  const templates = renderTemplates(arming.stacks);
  const renderMs = performance.now() - started;
  for (const [stack, rendering] of templates) handOver(stack, rendering);
  timed(() => arming.check(asAppTemplates(templates)), true, renderMs);
}

/** Give `stack` its rendered template for the next time its synthesizer writes it. */
function handOver(stack: Stack, rendering: Rendering): void {
  drop(stack);
  // the element whose rendering (by the next synthesis preparing the app) takes the template back
  const sentinel = rendering.elements[0];
  if (!sentinel) return;
  Object.defineProperty(stack, '_toCloudFormation', {
    configurable: true,
    writable: true,
    value: () => {
      const current = writing.has(stack);
      drop(stack);
      const template = current ? currentTemplate(stack, rendering) : undefined;
      return template ?? (stack as unknown as Renderable)._toCloudFormation();
    },
  });
  Object.defineProperty(sentinel, '_toCloudFormation', {
    configurable: true,
    writable: true,
    value: () => {
      drop(stack);
      return (sentinel as unknown as Renderable)._toCloudFormation();
    },
  });
  handed.set(stack, { sentinel });
}

/** Take back the template handed to `stack`, if any. */
function drop(stack: Stack): void {
  const entry = handed.get(stack);
  if (!entry) return;
  handed.delete(stack);
  delete (stack as unknown as Partial<Renderable>)._toCloudFormation;
  delete (entry.sentinel as unknown as Partial<Renderable>)._toCloudFormation;
}

function withdrawArming(arming: Arming): void {
  arming.done = true;
  for (const stack of arming.stacks) {
    followers.get(stack.synthesizer)?.armings.delete(arming);
    drop(stack);
  }
}
