export * from './types';
export * from './plan';
export { AppMeshMigration, AppMeshMigrationOptions } from './appmesh';
export { CopilotManifest, CopilotMigration, CopilotMigrationOptions } from './copilot';
