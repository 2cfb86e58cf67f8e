export * from './hujson';
