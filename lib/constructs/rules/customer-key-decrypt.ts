import { problemAt } from '../validation';
import { RuntimeRule } from './rule';

/**
 * A secret encrypted with a customer-managed KMS key is readable only with `kms:Decrypt` on that key. Without
 * `kmsKeyArns` the role lacks it, unless the key's own policy grants it: worth a warning, not an error.
 */
export const customerKeyDecrypt: RuntimeRule = ({ runtime, model, kmsKeyArns }) =>
  kmsKeyArns.length > 0
    ? []
    : model.secrets
        .filter((secret) => secret.kmsKeyId !== undefined)
        .map((secret) => ({
          level: 'warning',
          message: problemAt(
            secret,
            'kmsKeyId',
            `runtime ${runtime.node.path} has no kmsKeyArns, so its role may not decrypt this secret; add the key's ARN to its kmsKeyArns`,
          ),
        }));
