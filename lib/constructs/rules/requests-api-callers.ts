import { problemAt } from '../validation';
import { RuntimeRule } from './rule';

/** A requests API that maps nobody refuses every call: likely a forgotten prop rather than the intent. */
export const requestsApiCallers: RuntimeRule = ({ runtime, requests }) =>
  requests.principals.length === 0
    ? [
        {
          level: 'warning',
          message: problemAt(
            runtime,
            'principals',
            'empty: the requests API maps no caller to an email, so every request and approval is refused (403); ' +
              'add {identityCenter: {}} or {arn, email} rules',
          ),
        },
      ]
    : [];
