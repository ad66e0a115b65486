import { GraphQLScalarType, Kind } from 'graphql';

/**
 * One event of a streamed completion, as a JSON object: `{"delta": "…"}` for each piece of text, then
 * `{"done": true, "id", "model", "provider", "promptTokens", "completionTokens", "cost"}`. A scalar because
 * the pieces are the answer itself, delivered as they come, not a record the gateway could read back.
 */
export const ChatStreamEventScalar = new GraphQLScalarType({
  name: 'ChatStreamEvent',
  description:
    'A streamed completion’s event (JSON): {"delta": text} for each piece, then {"done": true, id, model, provider, promptTokens, completionTokens, cost}',
  serialize: (value) => value,
  parseValue: () => {
    throw new TypeError('ChatStreamEvent is an output type');
  },
  parseLiteral: (ast) => {
    throw new TypeError(`ChatStreamEvent is an output type (got ${ast.kind === Kind.STRING ? 'a string' : ast.kind})`);
  },
});
