/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type CreateForecastInput = {
  /** Percent, 0–100 */
  confidence?: number | null | undefined;
  /** ISO 4217 currency code (at most 3 characters) */
  currency?: string;
  /** At most 200 characters */
  name: string;
  /** At most 10,000 characters */
  notes?: string | null | undefined;
  /** Last day of the period (included): required for CUSTOM; for MONTH, QUARTER and YEAR it follows from periodStart and may be left out */
  periodEnd?: string | null | undefined;
  periodKind?: ForecastPeriodKind;
  /** First day of the period (the 1st of a month unless CUSTOM) */
  periodStart: string;
  /** Deals expected to close, 0 or more */
  predictedDeals?: number | null | undefined;
  /** Expected revenue, 0–9,999,999,999,999.99 (rounded to the cent) */
  predictedRevenue: number;
};

export type CreateOutboundMessageInput = {
  /** At most 100,000 characters */
  body: string;
  leadId: string;
  /** At most 300 characters */
  subject: string;
  /** Default: the lead's e-mail (at most 254 characters) */
  toAddress?: string | null | undefined;
};

/** MONTH, QUARTER and YEAR start on the 1st of a month and last 1, 3 or 12 months; CUSTOM runs from any date to any later one */
export type ForecastPeriodKind =
  | 'CUSTOM'
  | 'MONTH'
  | 'QUARTER'
  | 'YEAR';

export type LeadSource =
  | 'CRM'
  | 'EMAIL'
  | 'IMPORT'
  | 'KASPI'
  | 'OLX'
  | 'OTHER'
  | 'PHONE'
  | 'REFERRAL'
  | 'TELEGRAM'
  | 'WEBSITE'
  | 'WHATSAPP';

export type LeadStatus =
  | 'CONTACTED'
  | 'HOT'
  | 'LOST'
  | 'NEW'
  | 'QUALIFIED'
  | 'SPAM'
  | 'WON';

/** Who wrote a conversation message */
export type MessageSender =
  | 'BOT'
  | 'HUMAN'
  | 'LEAD';

/** hot ≥ 70, warm ≥ 40, cold below */
export type ScoreCategory =
  | 'COLD'
  | 'HOT'
  | 'WARM';

export type AiLeadQueryVariables = Exact<{
  id: string;
}>;


export type AiLeadQuery = { lead: { id: string, name: string, company: string | null, email: string | null, phone: string | null, source: LeadSource, status: LeadStatus, budget: number | null, createdAt: string, updatedAt: string, campaign: { id: string } | null, conversations: Array<{ sender: MessageSender, createdAt: string }> } | null };

export type AiLeadCampaignQueryVariables = Exact<{
  id: string;
}>;


export type AiLeadCampaignQuery = { lead: { id: string, campaign: { id: string } | null } | null };

export type AiWriteLeadScoreMutationVariables = Exact<{
  id: string;
  score: number;
}>;


export type AiWriteLeadScoreMutation = { updateLead: { id: string, qualityScore: number | null, scoreCategory: ScoreCategory | null } };

export type AiCreateDraftMutationVariables = Exact<{
  input: CreateOutboundMessageInput;
}>;


export type AiCreateDraftMutation = { createOutboundMessage: { id: string, subject: string, body: string } };

export type AiWonLeadsQueryVariables = Exact<{
  offset: number;
  first: number;
}>;


export type AiWonLeadsQuery = { leads: { totalCount: number, nodes: Array<{ id: string, budget: number | null, updatedAt: string }> } };

export type AiRecordForecastMutationVariables = Exact<{
  input: CreateForecastInput;
}>;


export type AiRecordForecastMutation = { recordAiForecast: { id: string } };

export type AiCampaignQueryVariables = Exact<{
  id: string;
}>;


export type AiCampaignQuery = { campaign: { id: string } | null };

export type AiVisibleLeadsQueryVariables = Exact<{
  ids: Array<string> | string;
}>;


export type AiVisibleLeadsQuery = { visibleLeadIds: Array<string> };

export type AiVisibleCampaignsQueryVariables = Exact<{
  ids: Array<string> | string;
}>;


export type AiVisibleCampaignsQuery = { visibleCampaignIds: Array<string> };


export const AiLeadDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AiLead"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"lead"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"company"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"budget"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"campaign"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}},{"kind":"Field","name":{"kind":"Name","value":"conversations"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sender"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]}}]} as unknown as DocumentNode<AiLeadQuery, AiLeadQueryVariables>;
export const AiLeadCampaignDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AiLeadCampaign"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"lead"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"campaign"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}}]} as unknown as DocumentNode<AiLeadCampaignQuery, AiLeadCampaignQueryVariables>;
export const AiWriteLeadScoreDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AiWriteLeadScore"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"score"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateLead"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"qualityScore"},"value":{"kind":"Variable","name":{"kind":"Name","value":"score"}}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"qualityScore"}},{"kind":"Field","name":{"kind":"Name","value":"scoreCategory"}}]}}]}}]} as unknown as DocumentNode<AiWriteLeadScoreMutation, AiWriteLeadScoreMutationVariables>;
export const AiCreateDraftDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AiCreateDraft"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateOutboundMessageInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createOutboundMessage"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"subject"}},{"kind":"Field","name":{"kind":"Name","value":"body"}}]}}]}}]} as unknown as DocumentNode<AiCreateDraftMutation, AiCreateDraftMutationVariables>;
export const AiWonLeadsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AiWonLeads"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"offset"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"leads"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"status"},"value":{"kind":"EnumValue","value":"WON"}}]}},{"kind":"Argument","name":{"kind":"Name","value":"offset"},"value":{"kind":"Variable","name":{"kind":"Name","value":"offset"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"EnumValue","value":"UPDATED_AT"}},{"kind":"Argument","name":{"kind":"Name","value":"direction"},"value":{"kind":"EnumValue","value":"ASC"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"budget"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]}}]}}]} as unknown as DocumentNode<AiWonLeadsQuery, AiWonLeadsQueryVariables>;
export const AiRecordForecastDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AiRecordForecast"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateForecastInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"recordAiForecast"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<AiRecordForecastMutation, AiRecordForecastMutationVariables>;
export const AiCampaignDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AiCampaign"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"campaign"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<AiCampaignQuery, AiCampaignQueryVariables>;
export const AiVisibleLeadsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AiVisibleLeads"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ids"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"visibleLeadIds"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ids"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ids"}}}]}]}}]} as unknown as DocumentNode<AiVisibleLeadsQuery, AiVisibleLeadsQueryVariables>;
export const AiVisibleCampaignsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AiVisibleCampaigns"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ids"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"visibleCampaignIds"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ids"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ids"}}}]}]}}]} as unknown as DocumentNode<AiVisibleCampaignsQuery, AiVisibleCampaignsQueryVariables>;