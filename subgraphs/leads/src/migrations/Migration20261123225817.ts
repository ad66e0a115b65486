import { Migration } from '@mikro-orm/migrations';

export class Migration20261123225817 extends Migration {

  override name = 'Migration20261123225817';

  override up(): void | Promise<void> {
    this.addSql(`create schema if not exists "leads";`);
    this.addSql(`create table "leads"."niches" ("id" uuid not null, "organization_id" uuid not null, "name" varchar(200) not null, "category" varchar(100) null, "description" text null, "status" text not null default 'research', "cpl_target" numeric(14,2) null, "roi_target" numeric(10,2) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "niches_organization_id_created_at_index" on "leads"."niches" ("organization_id", "created_at");`);
    this.addSql(`alter table "leads"."niches" add constraint "niches_status_check" check ("status" in ('research', 'active', 'paused', 'completed', 'rejected'));`);

    this.addSql(`create table "leads"."campaigns" ("id" uuid not null, "organization_id" uuid not null, "niche_id" uuid not null, "name" varchar(200) not null, "platform" text not null, "status" text not null default 'draft', "budget" numeric(14,2) not null default 0, "spent" numeric(14,2) not null default 0, "start_date" date null, "end_date" date null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "campaigns_niche_id_index" on "leads"."campaigns" ("niche_id");`);
    this.addSql(`create index "campaigns_organization_id_created_at_index" on "leads"."campaigns" ("organization_id", "created_at");`);
    this.addSql(`alter table "leads"."campaigns" add constraint "campaigns_platform_check" check ("platform" in ('olx', 'kaspi', 'telegram', 'whatsapp'));`);
    this.addSql(`alter table "leads"."campaigns" add constraint "campaigns_status_check" check ("status" in ('draft', 'active', 'paused', 'completed', 'failed'));`);

    this.addSql(`create table "leads"."ads" ("id" uuid not null, "organization_id" uuid not null, "campaign_id" uuid not null, "title" varchar(200) not null, "content" text null, "url" varchar(1000) null, "external_id" varchar(200) null, "is_active" boolean not null default true, "spent" numeric(14,2) not null default 0, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "ads_campaign_id_index" on "leads"."ads" ("campaign_id");`);

    this.addSql(`create table "leads"."leads" ("id" uuid not null, "organization_id" uuid not null, "name" varchar(200) not null, "company" varchar(200) null, "email" varchar(254) null, "email_normalized" varchar(254) null, "phone" varchar(40) null, "phone_e164" varchar(20) null, "source" text not null default 'other', "status" text not null default 'new', "assigned_user_id" int null, "created_by_user_id" int null, "ad_id" uuid null, "campaign_id" uuid null, "platform_user_id" varchar(200) null, "budget" numeric(14,2) null, "notes" text null, "quality_score" int null, "score_category" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "leads_ad_id_index" on "leads"."leads" ("ad_id");`);
    this.addSql(`create index "leads_campaign_id_index" on "leads"."leads" ("campaign_id");`);
    this.addSql(`create index "leads_organization_id_created_at_index" on "leads"."leads" ("organization_id", "created_at");`);
    this.addSql(`create index "leads_organization_id_status_index" on "leads"."leads" ("organization_id", "status");`);
    this.addSql(`create index "leads_organization_id_assigned_user_id_index" on "leads"."leads" ("organization_id", "assigned_user_id");`);
    this.addSql(`create index "leads_organization_id_phone_e164_index" on "leads"."leads" ("organization_id", "phone_e164");`);
    this.addSql(`create index "leads_organization_id_email_normalized_index" on "leads"."leads" ("organization_id", "email_normalized");`);
    this.addSql(`create index "leads_search_index" on "leads"."leads" using gin (to_tsvector('simple', coalesce(name, '') || ' ' || coalesce(company, '') || ' ' || coalesce(email, '') || ' ' || coalesce(translate(email, '@.', '  '), '')));`);
    this.addSql(`alter table "leads"."leads" add constraint "leads_source_check" check ("source" in ('olx', 'kaspi', 'telegram', 'whatsapp', 'website', 'email', 'phone', 'referral', 'crm', 'import', 'other'));`);
    this.addSql(`alter table "leads"."leads" add constraint "leads_status_check" check ("status" in ('new', 'contacted', 'qualified', 'hot', 'won', 'lost', 'spam'));`);
    this.addSql(`alter table "leads"."leads" add constraint "leads_score_category_check" check ("score_category" in ('hot', 'warm', 'cold'));`);

    this.addSql(`create table "leads"."lead_events" ("id" uuid not null, "organization_id" uuid not null, "lead_id" uuid not null, "kind" text not null, "actor_user_id" int null, "from" varchar(200) null, "to" varchar(200) null, "occurred_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "lead_events_lead_id_occurred_at_index" on "leads"."lead_events" ("lead_id", "occurred_at");`);
    this.addSql(`alter table "leads"."lead_events" add constraint "lead_events_kind_check" check ("kind" in ('created', 'updated', 'status_changed', 'assigned', 'scored', 'merged'));`);

    this.addSql(`create table "leads"."conversation_messages" ("id" uuid not null, "organization_id" uuid not null, "lead_id" uuid not null, "message" text not null, "sender" text not null, "platform" text null, "author_user_id" int null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "conversation_messages_lead_id_created_at_index" on "leads"."conversation_messages" ("lead_id", "created_at");`);
    this.addSql(`alter table "leads"."conversation_messages" add constraint "conversation_messages_sender_check" check ("sender" in ('bot', 'lead', 'human'));`);
    this.addSql(`alter table "leads"."conversation_messages" add constraint "conversation_messages_platform_check" check ("platform" in ('olx', 'kaspi', 'telegram', 'whatsapp'));`);

    this.addSql(`alter table "leads"."campaigns" add constraint "campaigns_niche_id_foreign" foreign key ("niche_id") references "leads"."niches" ("id") on delete cascade;`);

    this.addSql(`alter table "leads"."ads" add constraint "ads_campaign_id_foreign" foreign key ("campaign_id") references "leads"."campaigns" ("id") on delete cascade;`);

    this.addSql(`alter table "leads"."leads" add constraint "leads_ad_id_foreign" foreign key ("ad_id") references "leads"."ads" ("id") on delete set null;`);
    this.addSql(`alter table "leads"."leads" add constraint "leads_campaign_id_foreign" foreign key ("campaign_id") references "leads"."campaigns" ("id") on delete set null;`);

    this.addSql(`alter table "leads"."lead_events" add constraint "lead_events_lead_id_foreign" foreign key ("lead_id") references "leads"."leads" ("id") on delete cascade;`);

    this.addSql(`alter table "leads"."conversation_messages" add constraint "conversation_messages_lead_id_foreign" foreign key ("lead_id") references "leads"."leads" ("id") on delete cascade;`);
  }

}
