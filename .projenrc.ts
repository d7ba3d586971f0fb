import { awscdk, github, javascript, JsonFile } from 'projen';

// aws-cdk-lib: the library is built and tested with CDK_VERSION and accepts any 2.x from
// CDK_PEER_MIN on (the peer range). CDK_PEER_MIN is the lowest version the whole test suite passes
// with (.ci/peer-min.sh runs it there in CI). Below it, ServiceConnectTls.managedCertificateAuthority()
// fails: aws-cdk-lib < 2.269 rejects the cdk-nag acknowledgement id of the TLS role's managed policy
// (`AwsSolutions-IAM4[Policy::arn:...]`, whose '::' older versions reserve). Further down (versions
// tried): 2.258 lacks Stack.addStackDependency (used by the examples), 2.251
// Validations.acknowledge, 2.240 Service Connect access logs, 2.230 linear/canary deployments,
// 2.210 native blue/green and ecs.DeploymentLifecycleStage (public API); cdk-nag 3 needs >= 2.257.
const CDK_VERSION = '2.276.0';
const CDK_PEER_MIN = '2.269.0';
const CONSTRUCTS_VERSION = '10.5.1';
const CDK_CLI_VERSION = '2.1148.1';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-service-connect',
  description:
    'AWS CDK constructs that make Amazon ECS Service Connect easy to get right: explicit namespaces, proxy-aware task sizing, service-to-service wiring, real metrics and synth-time validation.',
  author: 'cdk-service-connect contributors',
  authorAddress: 'maintainers@cdk-service-connect.dev',
  repositoryUrl: 'https://github.com/cdk-service-connect/cdk-service-connect.git',
  license: 'Apache-2.0',
  keywords: ['cdk', 'awscdk', 'aws-cdk', 'ecs', 'service-connect', 'fargate', 'app-mesh', 'cloud-map'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  // Toolchain (see the toolchain notes: TypeScript 7 breaks ts-jest and ts-node).
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~6.0.3',
  // `cdkVersion` is the minimum of the peer range; the exact development version is a devDep below
  // (projen would otherwise pin the devDep to the peer minimum).
  cdkVersion: CDK_PEER_MIN,
  constructsVersion: CONSTRUCTS_VERSION,
  peerDependencyOptions: { pinnedDevDependency: false },
  cdkCliVersion: CDK_CLI_VERSION,

  // Bundled so the migration CLI reads YAML templates and manifests without a peer install.
  bundledDeps: ['yaml@^2'],
  bin: { 'cdk-service-connect': 'lib/cli/main.js' },

  devDeps: [
    `aws-cdk-lib@${CDK_VERSION}`,
    `aws-cdk@${CDK_CLI_VERSION}`,
    'cdk-nag@^3',
    'fast-check@^4',
    // the SARIF 2.1.0 JSON schema (OASIS) and a jest matcher validating against it: `lint --format sarif` is checked with it
    '@microsoft/jest-sarif@^1.0.0-beta.0',
    // @microsoft/jest-sarif requires tslib without declaring it
    'tslib@^2',
  ],

  // Snapshot tests must fail when a template changes; they are updated on purpose only.
  jest: true,
  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    passWithNoTests: false,
    // jest 30 resolves modules with unrs-resolver, whose native bindings for other platforms
    // are not all published where this project installs from, so `npm ci` rejects the lock.
    jestVersion: '^29',
    // jest's default is one worker fewer than the cores: on 2 cores, a single worker. The test
    // files are independent (each builds its own apps), so use every core (181 s -> 143 s on 2).
    jestConfig: {
      maxWorkers: '100%',
      // Examples import the package by its name, as a user's app does (see EXAMPLE_PATHS).
      moduleNameMapper: { '^cdk-service-connect$': '<rootDir>/src/index.ts' },
    },
  },
  eslint: true,

  // Publishing: npm only for now (Construct Hub renders the other languages from the assembly).
  releaseToNpm: true,
  npmAccess: javascript.NpmAccess.PUBLIC,

  gitignore: ['cdk.out/', '*.cdk.out/', '.ci-out/', '.bench/', 'bench-results*.json', '.jsii.tabl.json', '.generated-*/'],
});

// jsii targets for the other languages, without publishing jobs for their registries (npm is the
// only registry we publish to for now; the `publishTo*` options would add release jobs). The
// targets make `jsii-pacmak --code-only` (.ci/pacmak.sh) generate every language, and give
// Construct Hub the package names it shows. `package` still packs js only (package-all: js).
project.package.file.addOverride('jsii.targets', {
  python: { distName: 'cdk-service-connect', module: 'cdk_service_connect' },
  java: {
    package: 'io.github.cdkserviceconnect',
    maven: { groupId: 'io.github.cdk-service-connect', artifactId: 'cdk-service-connect' },
  },
  dotnet: { namespace: 'CdkServiceConnect', packageId: 'CdkServiceConnect' },
  go: { moduleName: 'github.com/cdk-service-connect/cdk-service-connect-go' },
});

// The dependency direction of src/ holds by rule (ARCHITECTURE.md): no import circle at runtime,
// and imports used only as types say so (they are erased, so they never make a circle real).
project.eslint?.addRules({
  'import/no-cycle': ['error', { ignoreExternal: true }],
  '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'separate-type-imports' }],
});

// The example apps import 'cdk-service-connect' by name, as a user's app does, so they can be
// copied as they are; inside this repository the name maps to src/ (type-check: `paths`; jest:
// moduleNameMapper; `cdk synth` and .ci/run: ts-node with tsconfig-paths).
const EXAMPLE_PATHS = { 'cdk-service-connect': ['../src/index.ts'] };
project.tsconfigDev.file.addOverride('compilerOptions.paths', EXAMPLE_PATHS);
project.addDevDeps('tsconfig-paths@^3.15.0');
project.eslint?.file.addOverride('settings.import/resolver.typescript.project', ['./tsconfig.json', './examples/tsconfig.json']);

// The example apps are type-checked and linted with the tests.
project.tsconfigDev.addInclude('../examples/**/*.ts');
project.tsconfigDev.addInclude('../bench/**/*.ts');
project.eslint?.addLintPattern('examples');
for (const p of ['/examples/', '/.ci/', '/bench/', '/cdk.json', 'cdk.out/']) {
  project.addPackageIgnore(p);
}

// The constructs devDep is added after construction: projen's CDK deps drop an earlier one.
project.addDevDeps(`constructs@${CONSTRUCTS_VERSION}`);

// projen derives a '@types/node@ts6.0' dist-tag from typescriptVersion; no such tag exists.
project.deps.removeDependency('@types/node');
project.addDevDeps('@types/node@^20');
// 4.x depends on unrs-resolver (see jestVersion above); 3.7 uses enhanced-resolve.
project.deps.removeDependency('eslint-import-resolver-typescript');
project.addDevDeps('eslint-import-resolver-typescript@~3.7.0');

// Type-checking and linting of the folders outside src/ and test/ (each needs its own tsconfig
// for the linter's project service).
for (const dir of ['examples', 'scripts', 'bench']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: {
      extends: '../tsconfig.json',
      compilerOptions: { noEmit: true, rootDir: '..', paths: EXAMPLE_PATHS },
      include: ['**/*.ts'],
    },
  });
}

// What CI runs, from a fresh clone (installs, tests, builds, packs, synthesizes, lints): the same
// script the GitHub workflow below runs.
project.addTask('ci', { description: 'Everything CI runs (bash .ci/run): install, test, build, samples, examples, cfn-lint, peer minimum', exec: 'bash .ci/run' });
const ciWorkflow = project.github?.addWorkflow('ci');
ciWorkflow?.on({ pullRequest: {}, push: { branches: ['main'] }, workflowDispatch: {} });
ciWorkflow?.addJobs({
  ci: {
    name: 'bash .ci/run',
    runsOn: ['ubuntu-latest'],
    permissions: { contents: github.workflows.JobPermission.READ },
    steps: [
      { uses: 'actions/checkout@v4' },
      { uses: 'actions/setup-node@v4', with: { 'node-version': '20' } },
      { uses: 'actions/setup-python@v5', with: { 'python-version': '3.11' } },
      { name: 'cfn-lint', run: 'pip install cfn-lint' },
      { name: 'CI', run: 'npx projen ci' },
    ],
  },
});
project.addPackageIgnore('/rosetta/');

// Quiet the Node 20 end-of-life banner that jsii prints on every run.
project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '1');

// Benchmarks are a script, never a test: they print figures and write them to a file.
project.addTask('bench', {
  description: 'Synthesis cost and scale against hand-written aws-cdk-lib (prints a table, writes bench-results.json)',
  exec: 'ts-node --transpile-only bench/run.ts',
  receiveArgs: true,
});

// The README's validation rule table is generated from the code (a test keeps them equal).
project.addTask('rules-doc', {
  description: 'Rewrite the generated README tables (rules, metrics, cdk-nag acknowledgements) from the code',
  exec: 'ts-node --transpile-only scripts/rules-doc.ts',
});
project.tsconfigDev.addInclude('../scripts/**/*.ts');
project.eslint?.addLintPattern('scripts');
project.addPackageIgnore('/scripts/');

// `npx cdk synth` synthesizes the seed example with no AWS account and no lookups.
new JsonFile(project, 'cdk.json', {
  obj: {
    app: 'TS_NODE_PROJECT=examples/tsconfig.json TS_NODE_BASEURL=. npx ts-node -r tsconfig-paths/register --prefer-ts-exts examples/seed/app.ts',
    output: 'cdk.out',
    watch: { include: ['src/**', 'examples/**'] },
    context: {
      '@aws-cdk/core:validateAgainstDefaultRules': true,
      '@aws-cdk/core:strictCfnValidateErrors': true,
    },
  },
});

project.synth();
