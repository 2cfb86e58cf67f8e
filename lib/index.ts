export * from './constructs';
export * from './manifest';
