// The Slack front door, bundled by `npm run build` on its own (dist/slack-bundle) and synthesized as Slack's request
// URL. It holds no Tailscale credential: it checks Slack's signature and hands the request, as received, to the
// runtime, which checks the signature again before it believes anything in it.
import { FRONT_DOOR_VARIABLES } from '../../slack';
import { SecretsManagerSource, SecretTextCache } from '../credentials';
import { asyncInvoker, createFrontDoor } from './slack-front-door';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`environment variable ${name} is not set; the front door is configured by synth`);
  return value;
};

const runtimeFunction = env(FRONT_DOOR_VARIABLES.runtimeFunction);
export const handler = createFrontDoor({
  signingSecret: {
    secretId: env(FRONT_DOOR_VARIABLES.signingSecretId),
    ...(process.env[FRONT_DOOR_VARIABLES.signingSecretKey] && { jsonKey: process.env[FRONT_DOOR_VARIABLES.signingSecretKey] }),
    ...(process.env[FRONT_DOOR_VARIABLES.signingSecretRegion] && { region: process.env[FRONT_DOOR_VARIABLES.signingSecretRegion] }),
  },
  secrets: new SecretTextCache(new SecretsManagerSource()),
  invoke: asyncInvoker(runtimeFunction),
});
