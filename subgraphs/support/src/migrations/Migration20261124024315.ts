import { Migration } from '@mikro-orm/migrations';

export class Migration20261124024315 extends Migration {

  override name = 'Migration20261124024315';

  override up(): void | Promise<void> {
    this.addSql(`create schema if not exists "support";`);
    this.addSql(`create table "support"."tickets" ("id" uuid not null, "organization_id" uuid not null, "subject" varchar(200) not null, "description" text not null, "department" text not null, "status" text not null, "priority" text not null, "funnel_id" uuid null, "requester_user_id" int not null, "assignee_user_id" int null, "messages_count" int not null default 0, "first_response_due_at" timestamptz not null, "resolution_due_at" timestamptz not null, "first_responded_at" timestamptz null, "resolved_at" timestamptz null, "first_response_breached_at" timestamptz null, "resolution_breached_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "tickets_organization_id_created_at_index" on "support"."tickets" ("organization_id", "created_at");`);
    this.addSql(`create index "tickets_organization_id_status_index" on "support"."tickets" ("organization_id", "status");`);
    this.addSql(`create index "tickets_requester_user_id_index" on "support"."tickets" ("requester_user_id");`);
    this.addSql(`alter table "support"."tickets" add constraint "tickets_department_check" check ("department" in ('technical', 'sales', 'billing', 'general'));`);
    this.addSql(`alter table "support"."tickets" add constraint "tickets_status_check" check ("status" in ('open', 'in_progress', 'waiting', 'closed'));`);
    this.addSql(`alter table "support"."tickets" add constraint "tickets_priority_check" check ("priority" in ('low', 'medium', 'high', 'urgent'));`);

    this.addSql(`create table "support"."ticket_messages" ("id" uuid not null, "organization_id" uuid not null, "ticket_id" uuid not null, "role" text not null, "text" text not null, "author_user_id" int not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "ticket_messages_ticket_id_created_at_index" on "support"."ticket_messages" ("ticket_id", "created_at");`);
    this.addSql(`alter table "support"."ticket_messages" add constraint "ticket_messages_role_check" check ("role" in ('user', 'support'));`);

    this.addSql(`create table "support"."attachments" ("id" uuid not null, "organization_id" uuid not null, "ticket_id" uuid not null, "message_id" uuid null, "name" varchar(255) not null, "content_type" varchar(255) not null, "size" int not null, "sha256" varchar(64) not null, "storage_key" varchar(300) not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "attachments_ticket_id_index" on "support"."attachments" ("ticket_id");`);
    this.addSql(`create index "attachments_message_id_index" on "support"."attachments" ("message_id");`);

    this.addSql(`alter table "support"."ticket_messages" add constraint "ticket_messages_ticket_id_foreign" foreign key ("ticket_id") references "support"."tickets" ("id") on delete cascade;`);

    this.addSql(`alter table "support"."attachments" add constraint "attachments_ticket_id_foreign" foreign key ("ticket_id") references "support"."tickets" ("id") on delete cascade;`);
    this.addSql(`alter table "support"."attachments" add constraint "attachments_message_id_foreign" foreign key ("message_id") references "support"."ticket_messages" ("id") on delete cascade;`);
  }

}
