/*
 * STS's answers to GetCallerIdentity, read strictly: the XML must have exactly STS's shape, or it says nothing.
 *   <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
 *     <GetCallerIdentityResult><Arn>arn:aws:sts::111122223333:assumed-role/…</Arn><UserId>…</UserId><Account>…</Account></GetCallerIdentityResult>
 *     <ResponseMetadata><RequestId>…</RequestId></ResponseMetadata>
 *   </GetCallerIdentityResponse>
 *   <ErrorResponse xmlns="…"><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>…</Message></Error>…</ErrorResponse>
 */

interface XmlElement {
  readonly name: string;
  readonly children: XmlElement[];
  text: string;
}

const TOKEN = /<\?xml[^<>?]*\?>|<\/([A-Za-z][\w.-]*)\s*>|<([A-Za-z][\w.-]*)((?:\s+[A-Za-z][\w:.-]*\s*=\s*"[^"<&]*")*)\s*(\/?)>|([^<]+)/y;
const ENTITY = /&(?:(amp|lt|gt|quot|apos)|#(\d{1,7})|#x([0-9a-fA-F]{1,6}));/g;
const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Text with its character references decoded; undefined when an `&` starts none. */
function decodeText(text: string): string | undefined {
  if (text.replace(ENTITY, '').includes('&')) return undefined;
  return text.replace(ENTITY, (_, name: string | undefined, dec: string | undefined, hex: string | undefined) =>
    name !== undefined ? NAMED[name] : String.fromCodePoint(Math.min(Number.parseInt(dec ?? hex!, dec !== undefined ? 10 : 16), 0x10ffff)),
  );
}

/** The root element of a small XML document: elements, attributes and text only (no comments, CDATA or DTD). */
function parseXml(xml: string): XmlElement | undefined {
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < xml.length) {
    const m = TOKEN.exec(xml);
    if (m === null) return undefined;
    const [token, close, open, , selfClosing, text] = m;
    if (text !== undefined) {
      if (text.trim() === '') continue;
      const decoded = decodeText(text);
      if (stack.length === 0 || decoded === undefined) return undefined;
      stack[stack.length - 1].text += decoded;
    } else if (open !== undefined) {
      if (root !== undefined && stack.length === 0) return undefined;
      const element: XmlElement = { name: open, children: [], text: '' };
      if (stack.length > 0) stack[stack.length - 1].children.push(element);
      else root = element;
      if (selfClosing !== '/') stack.push(element);
    } else if (close !== undefined) {
      if (stack.pop()?.name !== close) return undefined;
    } else if (token.startsWith('<?xml') && (root !== undefined || m.index !== 0)) {
      return undefined;
    }
  }
  return stack.length === 0 ? root : undefined;
}

/** The only child named `name`, which must hold text and no elements; undefined when it is missing or repeated. */
function onlyChild(parent: XmlElement | undefined, name: string): XmlElement | undefined {
  const found = parent?.children.filter((c) => c.name === name) ?? [];
  return found.length === 1 ? found[0] : undefined;
}

const leafText = (element: XmlElement | undefined) => (element !== undefined && element.children.length === 0 ? element.text : undefined);

/** What an IAM principal's ARN looks like as STS reports it. */
const CALLER_ARN = /^arn:aws[a-z-]*:(?:iam|sts)::\d{12}:[\x21-\x7e]{1,2048}$/;
/** What an AWS error code looks like. */
const ERROR_CODE = /^[A-Za-z][A-Za-z0-9.]{0,63}$/;

/** The caller's ARN in a GetCallerIdentity answer, or undefined when the XML is not exactly STS's answer. */
export function callerArnOf(xml: string): string | undefined {
  const root = parseXml(xml);
  if (root?.name !== 'GetCallerIdentityResponse') return undefined;
  const arn = leafText(onlyChild(onlyChild(root, 'GetCallerIdentityResult'), 'Arn'));
  return arn !== undefined && CALLER_ARN.test(arn) ? arn : undefined;
}

/** The error code of an STS `ErrorResponse`, or undefined when the XML is not one. */
export function stsErrorCodeOf(xml: string): string | undefined {
  const root = parseXml(xml);
  if (root?.name !== 'ErrorResponse') return undefined;
  const code = leafText(onlyChild(onlyChild(root, 'Error'), 'Code'));
  return code !== undefined && ERROR_CODE.test(code) ? code : undefined;
}
