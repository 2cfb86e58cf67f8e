import { LoginError, validateLogin } from '../../lib/policy';

describe('validateLogin', () => {
  it.each(['alice@example.com', 'Alice.Smith+ops@sub.example.co.uk', 'octocat@github', 'bri1p@passkey', 'o%brien_1-2@x-y.example'])('accepts %s', (login) =>
    expect(validateLogin(login)).toBe(login),
  );

  it.each([
    ['empty', '', 'an empty string'],
    ['too long', `${'a'.repeat(300)}@example.com`, '312 characters (at most 256)'],
    ['a double quote', 'a"@example.com', 'quotes or backslashes'],
    ['a single quote', "o'brien@example.com", 'quotes or backslashes'],
    ['a backslash', 'a\\@example.com', 'quotes or backslashes'],
    ['a newline', 'a@example.com\n', 'whitespace, control or formatting characters'],
    ['a space', 'a b@example.com', 'whitespace, control or formatting characters'],
    ['NUL', 'a\u0000@example.com', 'whitespace, control or formatting characters'],
    ['ESC', 'a\u001b[31m@example.com', 'whitespace, control or formatting characters'],
    ['a right-to-left override', 'a\u202e@example.com', 'whitespace, control or formatting characters'],
    ['a line separator', 'a\u2028@example.com', 'whitespace, control or formatting characters'],
    ['a zero-width space', 'a\u200b@example.com', 'whitespace, control or formatting characters'],
    ['a line comment marker', 'a//b@example.com', 'a comment marker'],
    ['a block comment opener', 'a/*@example.com', 'a comment marker'],
    ['a block comment closer', 'a*/@example.com', 'a comment marker'],
    ['a group', 'group:prod', 'a group reference, not a user'],
    ['a tag', 'tag:server', 'a tag reference, not a user'],
    ['an autogroup', 'autogroup:member', 'an autogroup reference, not a user'],
    ['a wildcard', '*', 'a wildcard'],
    ['no domain', 'alice@', '"alice@"'],
    ['no @', 'alice', '"alice"'],
    ['two @', 'a@b@example.com', '"a@b@example.com"'],
    ['non-ASCII letters', 'zoë@example.com', '"zo\\u00eb@example.com"'],
  ])('rejects %s, naming the field and what was wrong', (_name, login, problem) => {
    let error: unknown;
    try {
      validateLogin(login, '--member');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LoginError);
    expect((error as Error).message).toBe(`--member: expected a tailnet login such as "name@example.com", "name@github" or "name@passkey", got ${problem}`);
  });

  it('rejects what is not a string', () => {
    expect(() => validateLogin(42)).toThrow('login: expected a tailnet login such as "name@example.com", "name@github" or "name@passkey", got 42');
  });
});
