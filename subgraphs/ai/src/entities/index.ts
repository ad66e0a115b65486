export * from './budget.entity.js';
export * from './call-analysis.entity.js';
export * from './chat.entity.js';
export * from './persona.entity.js';
export * from './provider.entity.js';
export * from './speech.entity.js';
export * from './usage.entity.js';
export * from './webhooks.entity.js';

import { AiBudget } from './budget.entity.js';
import { CallAnalysis } from './call-analysis.entity.js';
import { ChatMessage, ChatSession } from './chat.entity.js';
import { Persona } from './persona.entity.js';
import { LlmProvider } from './provider.entity.js';
import { SpeechAudio, TtsPreset } from './speech.entity.js';
import { AiUsage } from './usage.entity.js';
import { AiPayment, GithubIntegration, IntegrationEvent } from './webhooks.entity.js';

export const entities = [
  AiBudget,
  AiUsage,
  CallAnalysis,
  ChatMessage,
  ChatSession,
  LlmProvider,
  Persona,
  SpeechAudio,
  TtsPreset,
  AiPayment,
  GithubIntegration,
  IntegrationEvent,
];
