/**
 * How Go's `encoding/json` matches an object's keys to a struct's fields, which is how Tailscale reads a policy file:
 * a key names a field when the two are equal under Unicode simple case folding (`bytes.EqualFold`), so `"ACLs"`,
 * `"Acls"` and `"acls"` all name `acls`, and so does `"aclſ"` (U+017F LATIN SMALL LETTER LONG S folds with `s`).
 * When several keys name one field, Go keeps the last one's value (for a map, it merges them).
 */
export function namesField(key: string, field: string): boolean {
  // Field names are ASCII, and every character that folds to an ASCII letter is one UTF-16 unit.
  if (key.length !== field.length) return false;
  for (let i = 0; i < key.length; i++) {
    if (folded(key.charCodeAt(i)) !== folded(field.charCodeAt(i))) return false;
  }
  return true;
}

/** The members whose keys name `field` as Go matches them, in source order. */
export function membersNamed<M extends { readonly name: { readonly value: string } }>(object: { readonly members: readonly M[] }, field: string): M[] {
  return object.members.filter((m) => namesField(m.name.value, field));
}

/** A character's representative among those it folds with, for the characters an ASCII field name can match. */
function folded(code: number): number {
  if (code >= 0x41 && code <= 0x5a) return code + 0x20;
  // The only characters outside ASCII whose simple folding reaches an ASCII letter.
  if (code === 0x17f) return 0x73;
  if (code === 0x212a) return 0x6b;
  return code;
}
