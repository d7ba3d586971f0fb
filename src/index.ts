export * from './cluster';
export * from './observability';
export * from './ports';
export * from './service';
export * from './sharing';
export * from './sizing';
export * from './tls';
