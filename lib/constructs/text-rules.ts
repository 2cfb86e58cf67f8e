import {
  API_ORIGIN_EXPECTED,
  API_ORIGIN_PATTERN,
  DURATION_PATTERN,
  GROUP_NAME_PATTERN,
  NAME_PATTERN,
  PAGERDUTY_ID_PATTERN,
  SLACK_API_URL_PATTERN,
  SLACK_APP_ID_PATTERN,
  SLACK_CHANNEL_ID_PATTERN,
  SLACK_TEAM_ID_PATTERN,
  TAILNET_LOGIN_PATTERN,
  TAILNET_PATTERN,
} from '../manifest';

/** An email in any case; stored lower-case, as requests compare them. */
const ANY_CASE_EMAIL = /^[\x21-\x3f\x41-\x7e]{1,128}@[\x21-\x3f\x41-\x7e]{1,253}$/;

/** What a string prop must look like, and how an error message says so. */
export interface TextRule {
  readonly pattern: RegExp;
  readonly expected: string;
}

/** Sym resource names and environment names: the manifest's name rule. */
export const SYM_NAME: TextRule = {
  pattern: new RegExp(NAME_PATTERN),
  expected: 'a name of 1 to 128 letters, digits, ".", "_" and "-", starting with a letter or digit',
};

/** Sym's `type` attribute. */
export const SYM_TYPE: TextRule = { pattern: /^[a-z][a-z0-9_]{0,63}$/, expected: 'a Sym type such as "tailscale"' };

export const LABEL: TextRule = { pattern: /^[^\u0000-\u001f]{1,256}$/, expected: 'a label of 1 to 256 printable characters' };

export const DURATION: TextRule = { pattern: new RegExp(DURATION_PATTERN), expected: 'a duration such as "30m", "1h" or "1d"' };

export const GROUP_NAME: TextRule = {
  pattern: new RegExp(GROUP_NAME_PATTERN),
  expected: 'a group name such as "prod" (letters, digits, ".", "_" and "-")',
};

export const TAILNET: TextRule = {
  pattern: new RegExp(TAILNET_PATTERN),
  expected: 'a tailnet name such as "example.com", or "-" for the credential\'s default tailnet',
};

export const TAILNET_LOGIN: TextRule = {
  pattern: new RegExp(TAILNET_LOGIN_PATTERN),
  expected: 'a tailnet login such as "alice@example.com" or "alice@github"',
};

export const SLACK_TEAM_ID: TextRule = {
  pattern: new RegExp(SLACK_TEAM_ID_PATTERN),
  expected: 'a Slack workspace id such as "T0123ABCD", or an Enterprise Grid organization id such as "E0123ABCD" for an org-wide install',
};

export const SLACK_APP_ID: TextRule = { pattern: new RegExp(SLACK_APP_ID_PATTERN), expected: 'a Slack app id such as "A0123ABCD"' };

export const SLACK_CHANNEL_ID: TextRule = {
  pattern: new RegExp(SLACK_CHANNEL_ID_PATTERN),
  expected: 'a Slack channel id such as "C0123ABCD" (the id, not the #name)',
};

export const SLACK_API_URL: TextRule = {
  pattern: new RegExp(SLACK_API_URL_PATTERN),
  expected: 'a Web API URL such as "https://slack.com/api/" (http:// only to localhost, 127.x.x.x or [::1]; no user name or password; ending in "/")',
};

/** An approver's or a caller's email: ASCII, one "@". */
export const EMAIL: TextRule = { pattern: ANY_CASE_EMAIL, expected: 'an ASCII email such as "bob@example.com"' };

/** An API origin (Tailscale's, PagerDuty's): https, or http to loopback only. */
export const API_ORIGIN: TextRule = { pattern: new RegExp(API_ORIGIN_PATTERN), expected: API_ORIGIN_EXPECTED };

/** A PagerDuty schedule or escalation policy id. */
export const PAGERDUTY_ID: TextRule = { pattern: new RegExp(PAGERDUTY_ID_PATTERN), expected: 'a PagerDuty id such as "PI7DH85"' };
