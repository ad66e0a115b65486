/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type CallsLeadByPhoneQueryVariables = Exact<{
  e164: string;
}>;


export type CallsLeadByPhoneQuery = { leadIdByPhone: string | null };

export type CallsVisibleLeadsQueryVariables = Exact<{
  ids: Array<string> | string;
}>;


export type CallsVisibleLeadsQuery = { visibleLeadIds: Array<string> };


export const CallsLeadByPhoneDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CallsLeadByPhone"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"e164"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"leadIdByPhone"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"e164"},"value":{"kind":"Variable","name":{"kind":"Name","value":"e164"}}}]}]}}]} as unknown as DocumentNode<CallsLeadByPhoneQuery, CallsLeadByPhoneQueryVariables>;
export const CallsVisibleLeadsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CallsVisibleLeads"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ids"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"visibleLeadIds"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ids"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ids"}}}]}]}}]} as unknown as DocumentNode<CallsVisibleLeadsQuery, CallsVisibleLeadsQueryVariables>;