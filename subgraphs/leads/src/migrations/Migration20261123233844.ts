import { Migration } from '@mikro-orm/migrations';

export class Migration20261123233844 extends Migration {

  override name = 'Migration20261123233844';

  override up(): void | Promise<void> {
    this.addSql(`create table "leads"."outbound_messages" ("id" uuid not null, "organization_id" uuid not null, "lead_id" uuid not null, "created_by_user_id" int not null, "to_address" varchar(254) not null, "subject" varchar(300) not null, "body" text not null, "status" text not null default 'draft', "attempts" int not null default 0, "last_error" text null, "server_response" text null, "provider_message_id" varchar(300) null, "queued_at" timestamptz null, "sent_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "outbound_messages_organization_id_created_at_index" on "leads"."outbound_messages" ("organization_id", "created_at");`);
    this.addSql(`create index "outbound_messages_lead_id_created_at_index" on "leads"."outbound_messages" ("lead_id", "created_at");`);

    this.addSql(`alter table "leads"."outbound_messages" add constraint "outbound_messages_lead_id_foreign" foreign key ("lead_id") references "leads"."leads" ("id") on delete cascade;`);
    this.addSql(`alter table "leads"."outbound_messages" add constraint "outbound_messages_status_check" check ("status" in ('draft', 'queued', 'sent', 'failed'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "leads"."outbound_messages" cascade;`);
  }

}
