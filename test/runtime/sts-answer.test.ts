import { callerArnOf, stsErrorCodeOf } from '../../lib/runtime/function-url/sts-answer';

// STS's GetCallerIdentity answer as its API reference shows it (and the STS stand-in writes it), then variants that
// must say nothing: the runtime takes the ARN only from exactly that shape.
const ANSWER = (result: string, root = 'GetCallerIdentityResponse') =>
  `<${root} xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <GetCallerIdentityResult>\n${result}\n  </GetCallerIdentityResult>\n  <ResponseMetadata>\n    <RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>\n  </ResponseMetadata>\n</${root}>\n`;
const FIELDS = '    <Arn>arn:aws:iam::123456789012:user/Alice</Arn>\n    <UserId>AKIAI44QH8DHBEXAMPLE</UserId>\n    <Account>123456789012</Account>';

test.each<[string, string, string | undefined]>([
  ["STS's answer", ANSWER(FIELDS), 'arn:aws:iam::123456789012:user/Alice'],
  ['with an XML declaration', `<?xml version="1.0" encoding="UTF-8"?>\n${ANSWER(FIELDS)}`, 'arn:aws:iam::123456789012:user/Alice'],
  [
    'an assumed role with an escaped session name',
    ANSWER('<Arn>arn:aws:sts::123456789012:assumed-role/R/a&amp;b</Arn>'),
    'arn:aws:sts::123456789012:assumed-role/R/a&b',
  ],
  ['another root', ANSWER(FIELDS, 'AssumeRoleResponse'), undefined],
  ['two Arn elements', ANSWER(`${FIELDS}<Arn>arn:aws:iam::123456789012:user/Bob</Arn>`), undefined],
  ['an Arn holding an element', ANSWER('<Arn><X/>arn:aws:iam::123456789012:user/Alice</Arn>'), undefined],
  ['an Arn outside the result', `<GetCallerIdentityResponse><Arn>arn:aws:iam::123456789012:user/Alice</Arn></GetCallerIdentityResponse>`, undefined],
  ['a comment', ANSWER(`<!-- x -->${FIELDS}`), undefined],
  ['CDATA', ANSWER('<Arn><![CDATA[arn:aws:iam::123456789012:user/Alice]]></Arn>'), undefined],
  ['unclosed elements', ANSWER(FIELDS).replace('</GetCallerIdentityResponse>', ''), undefined],
  ['a second document', ANSWER(FIELDS) + ANSWER(FIELDS), undefined],
  ['a bare ampersand', ANSWER('<Arn>arn:aws:iam::123456789012:user/a&b</Arn>'), undefined],
  ['an Arn that is not an IAM principal', ANSWER('<Arn>arn:aws:s3:::bucket</Arn>'), undefined],
  ['HTML', '<html><body>502 Bad Gateway</body></html>', undefined],
])('%s', (_, xml, arn) => {
  expect(callerArnOf(xml)).toBe(arn);
});

test('an STS error answer gives its code, and nothing else does', () => {
  const error =
    '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <Error>\n    <Type>Sender</Type>\n    <Code>SignatureDoesNotMatch</Code>\n    <Message>Signature expired</Message>\n  </Error>\n  <RequestId>x</RequestId>\n</ErrorResponse>\n';
  expect(stsErrorCodeOf(error)).toBe('SignatureDoesNotMatch');
  expect(stsErrorCodeOf(error.replace('SignatureDoesNotMatch', 'Bad Code <x>'))).toBeUndefined();
  expect(stsErrorCodeOf(ANSWER(FIELDS))).toBeUndefined();
  expect(callerArnOf(error)).toBeUndefined();
});
