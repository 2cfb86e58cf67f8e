/** The part of the Lambda context the runtime reads. */
export interface LambdaContext {
  getRemainingTimeInMillis(): number;
  /** The ARN this invocation was made on; its account is the function's own, which no event field can prove. */
  readonly invokedFunctionArn?: string;
}

/** Time kept back from the invocation for the audit line and the answer, so a slow API never gets the Lambda killed
 * mid-retry with nothing logged. */
export const RESPONSE_MARGIN_MS = 3000;

/**
 * When the current invocation must be done with the API. The client reads it at the start of each operation, so a
 * sweep over several tailnets, or an escalation after a slow secret read, shares the one budget Lambda gives.
 */
export class InvocationDeadline {
  private current: number | undefined;

  constructor(
    private readonly marginMs = RESPONSE_MARGIN_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Called as each invocation starts; without a context (a local call) there is no limit beyond the client's own. */
  start(context: LambdaContext | undefined): void {
    this.current = context === undefined ? undefined : this.now() + context.getRemainingTimeInMillis() - this.marginMs;
  }

  readonly endsAt = (): number | undefined => this.current;
}
