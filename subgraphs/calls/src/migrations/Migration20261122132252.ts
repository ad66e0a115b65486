import { Migration } from '@mikro-orm/migrations';

export class Migration20261122132252 extends Migration {

  override name = 'Migration20261122132252';

  override up(): void | Promise<void> {
    this.addSql(`create table "calls"."telephony_integrations" ("id" uuid not null, "organization_id" uuid not null, "name" varchar(100) not null, "secret_sealed" text not null, "secret_hint" varchar(8) not null, "ring_timeout_seconds" int null, "created_at" timestamptz not null, "last_event_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "telephony_integrations_organization_id_index" on "calls"."telephony_integrations" ("organization_id");`);

    this.addSql(`create table "calls"."telephony_receipts" ("integration_id" uuid not null, "event_id" varchar(200) not null, "call_id" int null, "received_at" timestamptz not null, primary key ("integration_id", "event_id"));`);

    this.addSql(`alter table "calls"."calls" add constraint "calls_organization_id_external_id_unique" unique ("organization_id", "external_id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "calls"."telephony_integrations" cascade;`);
    this.addSql(`drop table if exists "calls"."telephony_receipts" cascade;`);

    this.addSql(`alter table "calls"."calls" drop constraint "calls_organization_id_external_id_unique";`);
  }

}
