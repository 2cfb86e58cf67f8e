import { HujsonString, HujsonValue } from './ast';

/** The plain JavaScript value of a node; for duplicate names the first member wins, as in look-ups. */
export function hujsonToValue(node: HujsonValue): unknown {
  switch (node.kind) {
    case 'array':
      return node.elements.map(hujsonToValue);
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const { name, value } of node.members) {
        if (Object.prototype.hasOwnProperty.call(out, name.value)) continue;
        // defineProperty, so that a member named "__proto__" is data, not a prototype.
        Object.defineProperty(out, name.value, { value: hujsonToValue(value), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    default:
      return node.value;
  }
}

/** The first member called `name`; later duplicates are ignored, as the reference's JSON Pointer look-up does. */
export function findMember<M extends { readonly name: HujsonString }>(object: { readonly members: readonly M[] }, name: string): M | undefined {
  return object.members.find((m) => m.name.value === name);
}
