// Reading Block Kit JSON in tests: the text objects and buttons wherever they sit.

/** A text object of Block Kit. */
export interface TextObject {
  readonly type: string;
  readonly text: string;
  readonly emoji?: boolean;
}

/** A button of Block Kit, as the tests read it. */
export interface Button {
  readonly action_id: string;
  readonly value: string;
  readonly text: { readonly text: string };
}

/** Every text object in the blocks, wherever it sits (section text, fields, context elements, buttons). */
export function textObjects(value: unknown): TextObject[] {
  return collect(value, (v) => (v.type === 'plain_text' || v.type === 'mrkdwn') && typeof v.text === 'string');
}

/** Every button in the blocks, wherever it sits (an actions block, or a section's accessory). */
export function buttons(value: unknown): Button[] {
  return collect(value, (v) => v.type === 'button');
}

function collect<T>(value: unknown, wanted: (v: Record<string, unknown>) => boolean): T[] {
  if (Array.isArray(value)) return value.flatMap((v) => collect<T>(v, wanted));
  if (typeof value !== 'object' || value === null) return [];
  const v = value as Record<string, unknown>;
  return [...(wanted(v) ? [v as T] : []), ...Object.values(v).flatMap((child) => collect<T>(child, wanted))];
}
