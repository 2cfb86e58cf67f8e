import { objectSchema } from '../../lib/manifest/schema-type';

// Each `@ts-expect-error` below is checked by `npm run typecheck` (which CI runs): should `objectSchema` stop
// refusing that drift, the directive itself becomes the error. At run time the schema is handed back unchanged.

interface Setting {
  readonly name: string;
  readonly enabled: boolean;
  readonly window?: string;
  readonly approvers: readonly string[];
}
const setting = objectSchema<Setting>();
const properties = { name: { type: 'string' }, enabled: { type: 'boolean' }, window: { type: 'string' }, approvers: { type: 'array' } } as const;

test('a schema that matches its type compiles and is handed back as written', () => {
  const schema = setting({ type: 'object', additionalProperties: false, required: ['name', 'enabled', 'approvers'], properties });
  expect(schema.properties).toBe(properties);
});

test('drift between a schema and its type does not compile', () => {
  // Each call stays on the one line its directive covers.
  // prettier-ignore
  const drifted = [
    // A required field left out of `required`: a manifest without it would pass the schema and break the runtime.
    // @ts-expect-error missingFromRequired: "approvers"
    setting({ type: 'object', additionalProperties: false, required: ['name', 'enabled'], properties }),
    // An optional field listed as required: synth would write manifests the schema refuses.
    // @ts-expect-error "window" is not a required key of Setting
    setting({ type: 'object', additionalProperties: false, required: ['name', 'enabled', 'approvers', 'window'], properties }),
    // A field the type lacks: the schema would accept what the runtime never reads.
    // @ts-expect-error notInType: "reminder"
    setting({ type: 'object', additionalProperties: false, required: ['name', 'enabled', 'approvers'], properties: { ...properties, reminder: { type: 'string' } } }),
    // A field of the type the schema lacks.
    // @ts-expect-error property "window" is missing
    setting({ type: 'object', additionalProperties: false, required: ['name', 'enabled', 'approvers'], properties: { name: properties.name, enabled: properties.enabled, approvers: properties.approvers } }),
    // A boolean described as a string.
    // @ts-expect-error enabled: { type: 'string' } does not describe a boolean
    setting({ type: 'object', additionalProperties: false, required: ['name', 'enabled', 'approvers'], properties: { ...properties, enabled: { type: 'string' } } }),
  ];
  expect(drifted).toHaveLength(5);
});
