export * from './duration';
export * from './schema';
export * from './types';
export * from './validate';
