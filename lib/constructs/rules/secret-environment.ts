import { problemAt } from '../validation';
import { RuntimeRule } from './rule';

/** A runtime reads only its own environment's secrets (they carry its `SymEnv` tag and `sym/<env>/` prefix). */
export const secretsInRuntimeEnvironment: RuntimeRule = ({ runtime, environment, model }) =>
  model.integrations
    .filter((integration) => integration.credentialSecret.source.environment !== environment)
    .map((integration) => {
      const secret = integration.credentialSecret;
      return {
        level: 'error',
        message: problemAt(
          secret,
          'source',
          `the secret belongs to environment "${secret.source.environment}", but integration ${integration.node.path} ` +
            `uses it in runtime ${runtime.node.path} of environment "${environment}"`,
        ),
      };
    });
