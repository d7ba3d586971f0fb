export * from './cluster';
export * from './ports';
export * from './service';
export * from './sizing';
