/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** A stateless completion (OpenAI `/v1/chat/completions`): the whole conversation comes with it */
export type ChatCompletionInput = {
  /** 1–32,000 */
  maxTokens?: number | null | undefined;
  /** 1–200 messages */
  messages: Array<ChatMessageInput>;
  /** A model or persona model id (GET /v1/models); default: your preferred provider’s (at most 10,000 characters) */
  model?: string | null | undefined;
  /** A persona code whose system prompt leads the conversation (at most 10,000 characters) */
  persona?: string | null | undefined;
  /** 0–2 */
  temperature?: number | null | undefined;
};

export type ChatMessageInput = {
  /** At most 100,000 characters (at most 100,000 characters) */
  content: string;
  role: ChatRole;
};

export type ChatRole =
  | 'ASSISTANT'
  | 'SYSTEM'
  | 'USER';

export type SynthesizeSpeechInput = {
  /** espeak-ng (or local) for the offline engine; else a provider’s model, e.g. tts-1 (at most 200 characters) */
  model?: string | null | undefined;
  /** 0.25–4 (default 1) */
  speed?: number | null | undefined;
  /** 1–4096 characters (at most 4,096 characters) */
  text: string;
  /** A voice id of `voices` (default anna_ru) (at most 80 characters) */
  voice?: string | null | undefined;
};

export type GatewayAiModelsQueryVariables = Exact<{ [key: string]: never; }>;


export type GatewayAiModelsQuery = { aiModels: Array<{ name: string, provider: string, persona: string | null, created: string }> };

export type GatewayChatCompletionMutationVariables = Exact<{
  input: ChatCompletionInput;
}>;


export type GatewayChatCompletionMutation = { createChatCompletion: { id: string, content: string, model: string, provider: string, promptTokens: number, completionTokens: number, cost: number, created: string } };

export type GatewayChatCompletionStreamSubscriptionVariables = Exact<{
  input: ChatCompletionInput;
}>;


export type GatewayChatCompletionStreamSubscription = { chatCompletionStream: unknown };

export type GatewayChatMessageStreamSubscriptionVariables = Exact<{
  sessionId?: string | null | undefined;
  persona?: string | null | undefined;
  content: string;
}>;


export type GatewayChatMessageStreamSubscription = { chatMessageStream: unknown };

export type GatewayVoicesQueryVariables = Exact<{ [key: string]: never; }>;


export type GatewayVoicesQuery = { voices: Array<{ voice: string, name: string, engine: string, language: string | null, builtIn: boolean }> };

export type GatewaySynthesizeSpeechMutationVariables = Exact<{
  input: SynthesizeSpeechInput;
}>;


export type GatewaySynthesizeSpeechMutation = { synthesizeSpeech: { base64: string, engine: string, voice: string, durationSeconds: number, cached: boolean } };

export type GatewaySpeechAudioQueryVariables = Exact<{
  id: string;
}>;


export type GatewaySpeechAudioQuery = { speechAudio: { base64: string } };

export type GatewaySpeechHealthQueryVariables = Exact<{ [key: string]: never; }>;


export type GatewaySpeechHealthQuery = { speechHealth: { tts: string, stt: string, llm: string } };


export const GatewayAiModelsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"GatewayAiModels"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"aiModels"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"persona"}},{"kind":"Field","name":{"kind":"Name","value":"created"}}]}}]}}]} as unknown as DocumentNode<GatewayAiModelsQuery, GatewayAiModelsQueryVariables>;
export const GatewayChatCompletionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"GatewayChatCompletion"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ChatCompletionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createChatCompletion"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"content"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"promptTokens"}},{"kind":"Field","name":{"kind":"Name","value":"completionTokens"}},{"kind":"Field","name":{"kind":"Name","value":"cost"}},{"kind":"Field","name":{"kind":"Name","value":"created"}}]}}]}}]} as unknown as DocumentNode<GatewayChatCompletionMutation, GatewayChatCompletionMutationVariables>;
export const GatewayChatCompletionStreamDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"GatewayChatCompletionStream"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ChatCompletionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chatCompletionStream"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}]}]}}]} as unknown as DocumentNode<GatewayChatCompletionStreamSubscription, GatewayChatCompletionStreamSubscriptionVariables>;
export const GatewayChatMessageStreamDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"GatewayChatMessageStream"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sessionId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"persona"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"content"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chatMessageStream"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"sessionId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sessionId"}}},{"kind":"Argument","name":{"kind":"Name","value":"persona"},"value":{"kind":"Variable","name":{"kind":"Name","value":"persona"}}},{"kind":"Argument","name":{"kind":"Name","value":"content"},"value":{"kind":"Variable","name":{"kind":"Name","value":"content"}}}]}]}}]} as unknown as DocumentNode<GatewayChatMessageStreamSubscription, GatewayChatMessageStreamSubscriptionVariables>;
export const GatewayVoicesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"GatewayVoices"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"voices"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"voice"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"engine"}},{"kind":"Field","name":{"kind":"Name","value":"language"}},{"kind":"Field","name":{"kind":"Name","value":"builtIn"}}]}}]}}]} as unknown as DocumentNode<GatewayVoicesQuery, GatewayVoicesQueryVariables>;
export const GatewaySynthesizeSpeechDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"GatewaySynthesizeSpeech"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SynthesizeSpeechInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"synthesizeSpeech"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"base64"}},{"kind":"Field","name":{"kind":"Name","value":"engine"}},{"kind":"Field","name":{"kind":"Name","value":"voice"}},{"kind":"Field","name":{"kind":"Name","value":"durationSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"cached"}}]}}]}}]} as unknown as DocumentNode<GatewaySynthesizeSpeechMutation, GatewaySynthesizeSpeechMutationVariables>;
export const GatewaySpeechAudioDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"GatewaySpeechAudio"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"speechAudio"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"base64"}}]}}]}}]} as unknown as DocumentNode<GatewaySpeechAudioQuery, GatewaySpeechAudioQueryVariables>;
export const GatewaySpeechHealthDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"GatewaySpeechHealth"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"speechHealth"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tts"}},{"kind":"Field","name":{"kind":"Name","value":"stt"}},{"kind":"Field","name":{"kind":"Name","value":"llm"}}]}}]}}]} as unknown as DocumentNode<GatewaySpeechHealthQuery, GatewaySpeechHealthQueryVariables>;