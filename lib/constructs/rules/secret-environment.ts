import { problemAt } from '../validation';
import { RuntimeRule } from './rule';

/** A runtime reads only its own environment's secrets (they carry its `SymEnv` tag and `sym/<env>/` prefix). */
export const secretsInRuntimeEnvironment: RuntimeRule = ({ runtime, environment, model }) => {
  const users = [
    ...model.integrations.map((integration) => ({ user: integration, secret: integration.credentialSecret })),
    ...(model.slack?.secrets.map((secret) => ({ user: model.slack!, secret })) ?? []),
  ];
  return users
    .filter(({ secret }) => secret.source.environment !== environment)
    .map(({ user, secret }) => ({
      level: 'error',
      message: problemAt(
        secret,
        'source',
        `the secret belongs to environment "${secret.source.environment}", but integration ${user.node.path} ` +
          `uses it in runtime ${runtime.node.path} of environment "${environment}"`,
      ),
    }));
};
