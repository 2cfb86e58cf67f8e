import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { SecretRef } from '../../manifest';
import { deliveryFromFunctionUrl, FunctionUrlEvent, isSslCheck, signedBodyOf, SlackError, SlackHandOff, verifySlackSignature } from '../../slack';
import { SecretTextCache } from '../credentials';
import type { FunctionUrlResult } from '../function-url/function-url-event';

export interface FrontDoorOptions {
  readonly signingSecret: SecretRef;
  readonly secrets: SecretTextCache;
  readonly invoke: (handOff: SlackHandOff) => Promise<void>;
  readonly log?: (line: object) => void;
}

/**
 * The front door's handler: 401 for anything not signed by Slack within five minutes, else one asynchronous
 * `Invoke` of the runtime and an empty 200, which is all Slack needs to close a modal or acknowledge a click.
 * Slack's URL check (`ssl_check=1`) gets the empty 200 and nothing else: no secret read, no hand-off.
 */
export function createFrontDoor(options: FrontDoorOptions) {
  const log = options.log ?? ((line: object) => process.stdout.write(`${JSON.stringify(line)}\n`));
  return async function handler(event: FunctionUrlEvent): Promise<FunctionUrlResult> {
    let handOff: SlackHandOff;
    try {
      const delivery = deliveryFromFunctionUrl(event);
      if (isSslCheck(delivery)) {
        log({ type: 'symtail.slack-front-door', outcome: 'ssl-check' });
        return { statusCode: 200, headers: {}, body: '' };
      }
      verifySlackSignature(await options.secrets.get(options.signingSecret), signedBodyOf(delivery));
      handOff = { action: 'slack', delivery };
    } catch (error) {
      if (!(error instanceof SlackError)) throw error;
      log({ type: 'symtail.slack-front-door', outcome: 'rejected', error: { code: error.code, message: error.message } });
      return { statusCode: 401, headers: { 'content-type': 'text/plain' }, body: 'request not signed by Slack\n' };
    }
    await options.invoke(handOff);
    log({ type: 'symtail.slack-front-door', outcome: 'handed-off', ...(handOff.delivery.retryNum !== undefined && { retryNum: handOff.delivery.retryNum }) });
    return { statusCode: 200, headers: {}, body: '' };
  };
}

/** An asynchronous `Invoke` through the AWS SDK (`AWS_ENDPOINT_URL_LAMBDA` may point it elsewhere). */
export function asyncInvoker(functionName: string): (handOff: SlackHandOff) => Promise<void> {
  let client: LambdaClient | undefined;
  return async (handOff) => {
    const sdk = require('@aws-sdk/client-lambda') as typeof import('@aws-sdk/client-lambda');
    client ??= new sdk.LambdaClient({ maxAttempts: 2, requestHandler: { connectionTimeout: 1000, requestTimeout: 2000 } });
    await client.send(new sdk.InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(handOff)) }));
  };
}
