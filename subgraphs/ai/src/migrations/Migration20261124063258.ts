import { Migration } from '@mikro-orm/migrations';

export class Migration20261124063258 extends Migration {

  override name = 'Migration20261124063258';

  override up(): void | Promise<void> {
    this.addSql(`create table "ai"."payments" ("id" uuid not null, "organization_id" uuid not null, "operation_id" varchar(100) not null, "notification_type" varchar(40) not null, "amount" numeric(14,2) not null, "withdraw_amount" numeric(14,2) null, "currency" varchar(3) not null, "rub_per_usd" numeric(14,6) not null, "credited_usd" numeric(14,6) not null, "sender" varchar(40) null, "paid_at" timestamptz not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "payments_organization_id_created_at_index" on "ai"."payments" ("organization_id", "created_at");`);
    this.addSql(`alter table "ai"."payments" add constraint "payments_operation_id_unique" unique ("operation_id");`);

    this.addSql(`create table "ai"."github_integrations" ("id" uuid not null, "organization_id" uuid not null, "name" varchar(100) not null, "secret_sealed" text not null, "secret_hint" varchar(16) not null, "hook_id" varchar(20) null, "last_delivery_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "github_integrations_organization_id_index" on "ai"."github_integrations" ("organization_id");`);
    this.addSql(`create index "github_integrations_hook_id_index" on "ai"."github_integrations" ("hook_id");`);

    this.addSql(`create table "ai"."integration_events" ("id" uuid not null, "organization_id" uuid not null, "integration_id" uuid not null, "delivery_id" varchar(100) not null, "event" varchar(40) not null, "action" varchar(40) null, "repository" varchar(200) null, "ref" varchar(255) null, "sha" varchar(64) null, "status" varchar(40) null, "conclusion" varchar(40) null, "title" varchar(300) null, "url" varchar(500) null, "actor" varchar(100) null, "received_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "integration_events_organization_id_received_at_index" on "ai"."integration_events" ("organization_id", "received_at");`);
    this.addSql(`alter table "ai"."integration_events" add constraint "integration_events_integration_id_delivery_id_unique" unique ("integration_id", "delivery_id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "ai"."payments" cascade;`);
    this.addSql(`drop table if exists "ai"."github_integrations" cascade;`);
    this.addSql(`drop table if exists "ai"."integration_events" cascade;`);
  }

}
