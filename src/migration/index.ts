export * from './types';
export * from './plan';
export * from './appmesh';
export * from './copilot';
