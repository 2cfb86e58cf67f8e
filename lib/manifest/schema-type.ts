/**
 * Ties each object of the manifest's JSON Schema to its TypeScript type, so the two cannot drift: a field added to
 * `FlowManifest` and not to the schema (or the other way round), a field made optional in one and required in the
 * other, or a boolean schema'd as a string, is a compile error at the schema, naming the field.
 *
 *   interface T { readonly a: boolean; readonly b?: string }
 *   objectSchema<T>()({ type: 'object', additionalProperties: false, required: ['a'],
 *                       properties: { a: { type: 'boolean' }, b: { type: 'string' } } })   // compiles
 *   … required: [] …             // error: missingFromRequired: "a"
 *   … properties: { a: { type: 'string' }, … }   // error: a's schema is not a boolean's
 *   … properties: { …, c: { type: 'string' } }   // error: notInType: "c"
 *
 * Nested objects are checked by their own `objectSchema` call; a record (`Record<string, X>`) by the call for `X`.
 */

/** The keys of `T` that are not optional. */
export type RequiredKeys<T> = { [K in keyof T]-?: Record<never, never> extends Pick<T, K> ? never : K }[keyof T] & string;

/** A schema that may describe a value of type `V`: by JSON type, `const`, `enum`, or a `oneOf` of alternatives (`V`
 * whole, not each member of a union: `enum: ['apiKey', 'oauthClient']` describes `'apiKey' | 'oauthClient'`). */
type SchemaFor<V> =
  | { readonly oneOf: readonly unknown[] }
  | ([V] extends [boolean]
      ? { readonly type: 'boolean' }
      : [V] extends [number]
        ? { readonly type: 'integer' | 'number' } | { readonly const: V }
        : [V] extends [string]
          ? { readonly type: 'string' } | { readonly const: V } | { readonly enum: readonly V[] }
          : [V] extends [readonly unknown[]]
            ? { readonly type: 'array' }
            : { readonly type: 'object' });

/** The schema of an object of type `T` with no other properties. */
export interface ObjectSchema<T> {
  readonly type: 'object';
  readonly additionalProperties: false;
  readonly required: readonly RequiredKeys<T>[];
  // `keyof T & string`, not `keyof T`: a mapped type over `keyof T` would take a union `T` member by member, and a
  // field that differs between members (`kind: 'apiKey'` | `kind: 'oauthClient'`) could then be described by neither.
  readonly properties: { readonly [K in keyof T & string]-?: SchemaFor<NonNullable<T[K]>> };
}

/** What `objectSchema` reports when `S` lists a property `T` lacks, or leaves a required one out of `required`. */
type Complete<T, S extends ObjectSchema<T>> = ([Exclude<keyof S['properties'], keyof T>] extends [never]
  ? unknown
  : { readonly notInType: Exclude<keyof S['properties'], keyof T> }) &
  ([Exclude<RequiredKeys<T>, S['required'][number]>] extends [never]
    ? unknown
    : { readonly missingFromRequired: Exclude<RequiredKeys<T>, S['required'][number]> });

/** `schema` as given, checked against `T` (see the file's header). */
export function objectSchema<T>() {
  return <const S extends ObjectSchema<T>>(schema: S & Complete<T, S>): S => schema;
}
