import { problemAt } from '../validation';
import { RuntimeRule } from './rule';

/**
 * A function URL event can be sent by direct invocation too, with any caller in it. It cannot act as anyone (each
 * requests-API call proves its caller to STS), but it reaches the function: say once who should not have that.
 */
export const directInvocation: RuntimeRule = ({ runtime }) => [
  {
    level: 'warning',
    message: problemAt(
      runtime,
      'principals',
      'any principal with lambda:InvokeFunction on the runtime not conditioned on lambda:InvokedViaFunctionUrl (e.g. lambda:* on *) ' +
        'reaches the function directly: it cannot act as anyone (every requests-API call must prove its caller to STS), but it can read status ' +
        "and use up the function's concurrency; deny it by SCP or permission boundary (README: Who may call)",
    ),
  },
];
