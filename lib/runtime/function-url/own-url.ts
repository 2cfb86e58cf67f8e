import type { LambdaClient } from '@aws-sdk/client-lambda';

/** A function's ARN as the invocation context gives it: name, and the qualifier (alias or version) when invoked by one. */
const FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:([A-Za-z0-9_-]{1,140})(?::([A-Za-z0-9$_-]{1,128}))?$/;

/**
 * The host of the function's own URL (`abc123.lambda-url.eu-west-1.on.aws`): the `audience` every identity proof must
 * name, so a proof made for another function is worth nothing here. Asked of Lambda once per container
 * (`lambda:GetFunctionUrlConfig` on the function itself, from the invocation context), with the SDK loaded on first use;
 * a failed lookup is asked again next time.
 */
export class OwnFunctionUrl {
  /** By invoked ARN: a container serves one version, but may be invoked through aliases with URLs of their own. */
  private readonly hosts = new Map<string, Promise<string>>();
  private client?: LambdaClient;

  readonly hostOf = (invokedFunctionArn: string | undefined): Promise<string> => {
    const key = invokedFunctionArn ?? '';
    let host = this.hosts.get(key);
    if (host === undefined) {
      host = this.lookUp(invokedFunctionArn).catch((error: unknown) => {
        this.hosts.delete(key);
        throw error;
      });
      this.hosts.set(key, host);
    }
    return host;
  };

  private async lookUp(invokedFunctionArn: string | undefined): Promise<string> {
    const fn = FUNCTION_ARN.exec(invokedFunctionArn ?? '');
    if (fn === null) throw new Error('the invocation context names no function ARN');
    const [, name, qualifier] = fn;
    const sdk = require('@aws-sdk/client-lambda') as typeof import('@aws-sdk/client-lambda');
    this.client ??= new sdk.LambdaClient({ maxAttempts: 2, requestHandler: { connectionTimeout: 1000, requestTimeout: 2000 } });
    const out = await this.client.send(
      new sdk.GetFunctionUrlConfigCommand({ FunctionName: name, ...(qualifier && qualifier !== '$LATEST' ? { Qualifier: qualifier } : {}) }),
    );
    if (out.FunctionUrl === undefined) throw new Error(`GetFunctionUrlConfig of ${name} named no URL`);
    return new URL(out.FunctionUrl).host;
  }
}
