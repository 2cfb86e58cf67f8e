export { TailscaleClient } from './client';
export type { PolicyUpdate, PolicyValidation, TailscaleKey } from './client';
export { apiKeyId } from './api-key-id';
export { validateCredential } from './credential';
export type { TailscaleCredential } from './credential';
export { TailscaleApiError } from './errors';
export type { TailscaleErrorCode } from './errors';
export { DEFAULT_API_BASE_URL } from './options';
export type { RetryOptions, TailscaleClientOptions } from './options';
