export * from './types';
export * from './plan';
export { AppMeshMigration } from './appmesh';
export type { AppMeshMigrationOptions, AppMeshTemplate } from './appmesh';
export { CopilotMigration } from './copilot';
export type { CopilotManifest, CopilotMigrationOptions } from './copilot';
