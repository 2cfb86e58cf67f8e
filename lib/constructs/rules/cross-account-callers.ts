import { accountsNamedBy } from '../synth/runtime-settings';
import { problemAt } from '../validation';
import { RuntimeRule } from './rule';

/**
 * Accounts the principal rules name get only `lambda:InvokeFunctionUrl`: the `lambda:InvokeFunction` a function URL
 * also needs must carry `lambda:InvokedViaFunctionUrl`, which the AWS provider cannot express yet.
 */
export const crossAccountCallers: RuntimeRule = ({ runtime, requests }) => {
  const accounts = accountsNamedBy(requests.principals);
  return accounts.length === 0
    ? []
    : [
        {
          level: 'warning',
          message: problemAt(
            runtime,
            'principals',
            `name accounts ${accounts.join(', ')}: each gets lambda:InvokeFunctionUrl (AWS_IAM) in the function's resource policy, ` +
              'but since October 2025 a function URL also needs lambda:InvokeFunction, which for another account must carry the ' +
              'condition lambda:InvokedViaFunctionUrl = true; the AWS provider cannot express it yet, so add that statement out of band ' +
              '(aws lambda add-permission --action lambda:InvokeFunction --invoked-via-function-url), or callers there get 403',
          ),
        },
      ];
};
