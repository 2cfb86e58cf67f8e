import { problemAt } from '../validation';
import { RuntimeRule } from './rule';

/** A function URL event can be sent by direct invocation too, with any caller in it: say once who must not have that. */
export const directInvocation: RuntimeRule = ({ runtime }) => [
  {
    level: 'warning',
    message: problemAt(
      runtime,
      'principals',
      'any principal with lambda:InvokeFunction on the runtime not conditioned on lambda:InvokedViaFunctionUrl (e.g. lambda:* on *) ' +
        'can act as any mapped person; deny it by SCP or permission boundary (README: Who may call)',
    ),
  },
];
