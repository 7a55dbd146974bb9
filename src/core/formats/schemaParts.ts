/** JSON Schema (draft-07) fragments shared by several formats. */

export const STRING = { type: 'string' } as const;
export const STRING_OR_NULL = { type: ['string', 'null'] } as const;

/** OpenAI-style message: typed where present; missing or misnamed keys are left to the semantic rules,
 * which can say "rename from to role" instead of a bare "required". */
export const OPENAI_MESSAGE = {
  type: 'object',
  properties: {
    role: STRING,
    content: {
      type: ['string', 'null', 'array'],
      items: { type: 'object', properties: { type: STRING }, required: ['type'] },
    },
    name: STRING,
    tool_call_id: STRING,
    tool_calls: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: STRING,
          type: STRING,
          // A string for OpenAI, an object for TRL and xtuner: toolCallRules.ts judges it per reader.
          function: { type: 'object', properties: { name: STRING }, required: ['name', 'arguments'] },
        },
        required: ['function'],
      },
    },
    function_call: { type: 'object', properties: { name: STRING }, required: ['name', 'arguments'] },
    weight: { enum: [0, 1] },
    loss_weight: { type: 'number', minimum: 0 },
  },
} as const;

export const OPENAI_MESSAGES = { type: 'array', items: OPENAI_MESSAGE } as const;

/** ShareGPT turn: `from`/`value` typed where present (see OPENAI_MESSAGE for why none is required). */
export const SHAREGPT_TURN = {
  type: 'object',
  properties: { from: STRING, value: STRING },
} as const;

/** A string, or a list of OpenAI-style messages (TRL's standard and conversational variants). */
export const TEXT_OR_MESSAGES = { type: ['string', 'array'], items: OPENAI_MESSAGE } as const;
