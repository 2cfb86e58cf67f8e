import { CliIo } from './io';
import { UsageError } from './errors';

/** Loaded only by the commands that invoke the function, so the others start without the AWS SDK. */
function lambdaSdk(): typeof import('@aws-sdk/client-lambda') {
  return require('@aws-sdk/client-lambda');
}

/** `--region`'s help, shared by the commands that invoke the deployed function. */
export const REGION_HELP = "the AWS region (default: the function ARN's, else AWS_REGION, else the AWS profile's)";

/** `arn:aws:lambda:eu-west-1:123456789012:function:name` names its own region. */
function regionOfArn(functionName: string): string | undefined {
  return /^arn:aws[\w-]*:lambda:([a-z0-9-]+):/.exec(functionName)?.[1];
}

/**
 * Invokes the deployed function with `event` (AWS credentials and region from the usual AWS environment; the SDK signs
 * the call with SigV4) and returns its answer, parsed. A function that crashed, or answered something that is not
 * JSON, is an error naming that.
 */
export async function invokeDeployed(functionName: string, region: string | undefined, event: unknown, io: CliIo): Promise<unknown> {
  const { InvokeCommand, LambdaClient } = lambdaSdk();
  const chosen = region ?? regionOfArn(functionName) ?? io.env.AWS_REGION;
  const lambda = new LambdaClient(chosen === undefined ? {} : { region: chosen });
  try {
    await lambda.config.region(); // the SDK's own chain (profile, instance metadata) when neither is given
  } catch {
    throw new UsageError('--region: expected an AWS region; pass --region, or set AWS_REGION (or a region in the AWS profile)');
  }
  const out = await lambda.send(new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from(JSON.stringify(event)) }));
  const text = out.Payload === undefined ? '' : Buffer.from(out.Payload).toString('utf8');
  if (out.FunctionError !== undefined) throw new Error(`the function failed (${out.FunctionError}): ${text}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new Error('the function answered something that is not JSON');
  }
}
