export * from './cluster';
export * from './ports';
export * from './service';
export * from './sharing';
export * from './sizing';
