import { Migration } from '@mikro-orm/migrations';

export class Migration20261123234916 extends Migration {

  override name = 'Migration20261123234916';

  override up(): void | Promise<void> {
    this.addSql(`create table "leads"."crm_connections" ("id" uuid not null, "organization_id" uuid not null, "provider" text not null, "name" varchar(100) not null, "base_url" varchar(1000) not null, "credentials_sealed" text not null, "credentials_hint" varchar(16) not null, "webhook_secret_hash" varchar(64) not null, "webhook_secret_hint" varchar(16) not null, "is_active" boolean not null default true, "created_by_user_id" int null, "sync_state" text not null default 'idle', "last_sync_at" timestamptz null, "last_sync_started_at" timestamptz null, "last_sync_pulled" int not null default 0, "last_sync_pushed" int not null default 0, "last_sync_created" int not null default 0, "last_sync_updated" int not null default 0, "last_error" text null, "last_webhook_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "crm_connections_organization_id_created_at_index" on "leads"."crm_connections" ("organization_id", "created_at");`);

    this.addSql(`alter table "leads"."leads" add "crm_connection_id" uuid null, add "crm_external_id" varchar(100) null, add "crm_synced_at" timestamptz null;`);
    this.addSql(`alter table "leads"."leads" add constraint "leads_organization_id_crm_connection_id_crm_external_id_unique" unique ("organization_id", "crm_connection_id", "crm_external_id");`);

    this.addSql(`alter table "leads"."crm_connections" add constraint "crm_connections_provider_check" check ("provider" in ('amocrm', 'bitrix24', 'generic'));`);
    this.addSql(`alter table "leads"."crm_connections" add constraint "crm_connections_sync_state_check" check ("sync_state" in ('idle', 'queued', 'running', 'succeeded', 'failed'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "leads"."crm_connections" cascade;`);

    this.addSql(`alter table "leads"."leads" drop constraint "leads_organization_id_crm_connection_id_crm_external_id_unique";`);
    this.addSql(`alter table "leads"."leads" drop column "crm_connection_id", drop column "crm_external_id", drop column "crm_synced_at";`);
  }

}
