import { Migration } from '@mikro-orm/migrations';

export class Migration20261124041355 extends Migration {

  override name = 'Migration20261124041355';

  override up(): void | Promise<void> {
    this.addSql(`create schema if not exists "ai";`);
    this.addSql(`create table "ai"."budgets" ("id" uuid not null, "organization_id" uuid not null, "campaign_id" uuid null, "limit_usd" numeric(14,2) not null, "period" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "ai"."budgets" add constraint "budgets_organization_id_campaign_id_unique" unique ("organization_id", "campaign_id");`);
    this.addSql(`alter table "ai"."budgets" add constraint "budgets_period_check" check ("period" in ('MONTH', 'TOTAL'));`);

    this.addSql(`create table "ai"."usage_records" ("id" bigserial primary key, "organization_id" uuid not null, "user_id" int null, "operation" text not null, "provider" varchar(40) not null, "provider_id" uuid null, "model" varchar(200) not null, "prompt_tokens" int not null, "completion_tokens" int not null, "cost" numeric(14,6) not null, "latency_ms" int not null, "object_type" text null, "object_id" varchar(64) null, "campaign_id" uuid null, "error" varchar(500) null, "created_at" timestamptz not null);`);
    this.addSql(`create index "usage_records_organization_id_created_at_index" on "ai"."usage_records" ("organization_id", "created_at");`);
    this.addSql(`create index "usage_records_organization_id_object_type_object_id_index" on "ai"."usage_records" ("organization_id", "object_type", "object_id");`);
    this.addSql(`create index "usage_records_organization_id_campaign_id_created_at_index" on "ai"."usage_records" ("organization_id", "campaign_id", "created_at");`);
    this.addSql(`alter table "ai"."usage_records" add constraint "usage_records_operation_check" check ("operation" in ('SCORE_LEAD', 'GENERATE_EMAIL', 'ANALYZE_CALL', 'GENERATE_FORECAST', 'CHAT', 'AUTO_REPLY'));`);
    this.addSql(`alter table "ai"."usage_records" add constraint "usage_records_object_type_check" check ("object_type" in ('LEAD', 'CALL', 'DIALOG', 'CAMPAIGN', 'CHAT_SESSION'));`);

    this.addSql(`create table "ai"."call_analyses" ("id" uuid not null, "organization_id" uuid not null, "call_id" int not null, "language" varchar(2) not null, "summary" text not null, "sentiment" text not null, "sentiment_score" numeric(4,2) not null, "topics" jsonb not null default '[]', "key_phrases" jsonb not null default '[]', "next_steps" jsonb not null default '[]', "provider" varchar(40) not null, "model" varchar(200) not null, "analyzed_by_user_id" int null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "ai"."call_analyses" add constraint "call_analyses_organization_id_call_id_unique" unique ("organization_id", "call_id");`);
    this.addSql(`alter table "ai"."call_analyses" add constraint "call_analyses_sentiment_check" check ("sentiment" in ('POSITIVE', 'NEUTRAL', 'NEGATIVE'));`);

    this.addSql(`create table "ai"."chat_sessions" ("id" uuid not null, "organization_id" uuid not null, "owner_user_id" int not null, "title" varchar(200) not null, "persona_code" varchar(40) not null, "model" varchar(200) null, "messages_count" int not null default 0, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "chat_sessions_organization_id_owner_user_id_updated_at_index" on "ai"."chat_sessions" ("organization_id", "owner_user_id", "updated_at");`);

    this.addSql(`create table "ai"."chat_messages" ("id" bigserial primary key, "session_id" uuid not null, "role" text not null, "content" text not null, "provider" varchar(40) null, "model" varchar(200) null, "created_at" timestamptz not null);`);
    this.addSql(`create index "chat_messages_session_id_id_index" on "ai"."chat_messages" ("session_id", "id");`);
    this.addSql(`alter table "ai"."chat_messages" add constraint "chat_messages_role_check" check ("role" in ('SYSTEM', 'USER', 'ASSISTANT'));`);

    this.addSql(`create table "ai"."providers" ("id" uuid not null, "organization_id" uuid not null, "owner_user_id" int null, "name" varchar(100) not null, "slug" varchar(40) not null, "base_url" varchar(500) not null, "api_key_sealed" text null, "api_key_hint" varchar(16) null, "models" jsonb not null default '[]', "default_model" varchar(200) not null, "enabled" boolean not null default true, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "ai"."providers" add constraint "providers_organization_id_slug_unique" unique ("organization_id", "slug");`);

    this.addSql(`create table "ai"."personas" ("id" uuid not null, "organization_id" uuid not null, "code" varchar(40) not null, "name" varchar(100) not null, "system_prompt" text not null, "voice" varchar(100) null, "default_model" varchar(200) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "ai"."personas" add constraint "personas_organization_id_code_unique" unique ("organization_id", "code");`);

    this.addSql(`alter table "ai"."chat_messages" add constraint "chat_messages_session_id_foreign" foreign key ("session_id") references "ai"."chat_sessions" ("id") on delete cascade;`);
  }

}
