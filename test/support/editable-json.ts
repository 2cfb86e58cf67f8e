/**
 * A JSON document a test changes into shapes no type allows (a manifest with a field of the wrong kind, say), so the
 * validator's refusal can be checked. Typed as `any` on purpose, in this one place.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: a document made wrong on purpose
export type EditableJson = any;
