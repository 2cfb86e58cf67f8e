import { AccessRequest, RequestAction } from './model';

/**
 * Tells people about a request as it changes: a chat adapter posts it when it is made and updates the message on
 * every later transition. Called after the store write succeeded, with the request as written.
 */
export interface RequestNotifier {
  notify(request: AccessRequest, transition: RequestAction): Promise<void>;
}

/** Tells nobody: the requests API alone needs no notifications. */
export const silentNotifier: RequestNotifier = {
  notify: async () => {},
};
