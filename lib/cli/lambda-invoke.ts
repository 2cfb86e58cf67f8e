import { CliIo } from './io';
import { UsageError } from './errors';
import { AWS_REGION, flag } from './flags';

/** Loaded only by the commands that invoke the function, so the others start without the AWS SDK. */
function lambdaSdk(): typeof import('@aws-sdk/client-lambda') {
  return require('@aws-sdk/client-lambda');
}

/**
 * `--function` and `--region` of the commands that invoke the deployed function. A function is named as the Lambda
 * API reference's pattern for Invoke's FunctionName allows: a name, a partial ARN or an ARN, with a version or alias.
 */
export const INVOKE_FLAGS = {
  function: flag.string({
    value: 'NAME',
    help: 'the function name or ARN (Terraform output function_name)',
    required: true,
    accepts: {
      pattern:
        '^(?=.{1,170}$)(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?$',
      expected: 'a function name or ARN such as "symtail-main-runtime"',
    },
  }),
  region: flag.string({ value: 'R', help: "the AWS region (default: the function ARN's, else AWS_REGION, else the AWS profile's)", accepts: AWS_REGION }),
};

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
