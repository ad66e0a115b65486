import { Migration } from '@mikro-orm/migrations';

export class Migration20261124014957 extends Migration {

  override name = 'Migration20261124014957';

  override up(): void | Promise<void> {
    this.addSql(`create schema if not exists "funnels";`);
    this.addSql(`create table "funnels"."clients" ("id" serial primary key, "organization_id" uuid not null, "name" varchar(200) not null, "email" varchar(320) null, "phone" varchar(50) null, "phone_e164" varchar(16) null, "manager" varchar(200) null, "assigned_user_id" int null, "status" text not null default 'active', "type" text not null default 'new', "created_at" timestamptz not null, "updated_at" timestamptz not null, "last_activity_at" timestamptz not null);`);
    this.addSql(`create index "clients_organization_id_created_at_index" on "funnels"."clients" ("organization_id", "created_at");`);
    this.addSql(`create index "clients_organization_id_phone_e164_index" on "funnels"."clients" ("organization_id", "phone_e164");`);
    this.addSql(`alter table "funnels"."clients" add constraint "clients_status_check" check ("status" in ('active', 'inactive'));`);
    this.addSql(`alter table "funnels"."clients" add constraint "clients_type_check" check ("type" in ('new', 'regular', 'inactive'));`);

    this.addSql(`create table "funnels"."funnels" ("id" uuid not null, "organization_id" uuid not null, "name" varchar(100) not null, "display_name" varchar(200) not null, "is_active" boolean not null default true, "created_by_user_id" int null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "funnels_organization_id_created_at_index" on "funnels"."funnels" ("organization_id", "created_at");`);
    this.addSql(`alter table "funnels"."funnels" add constraint "funnels_organization_id_name_unique" unique ("organization_id", "name");`);

    this.addSql(`create table "funnels"."funnel_stages" ("id" uuid not null, "funnel_id" uuid not null, "position" int not null, "name" varchar(100) not null, "assistant_code_name" varchar(100) not null, "assistant_name" varchar(200) not null, "prompt" text not null default '', primary key ("id"));`);
    this.addSql(`alter table "funnels"."funnel_stages" add constraint "funnel_stages_funnel_id_assistant_code_name_unique" unique ("funnel_id", "assistant_code_name");`);
    this.addSql(`alter table "funnels"."funnel_stages" add constraint "funnel_stages_funnel_id_position_unique" unique ("funnel_id", "position");`);

    this.addSql(`create table "funnels"."follow_ups" ("id" uuid not null, "stage_id" uuid not null, "position" int not null, "delay_minutes" numeric(10,3) not null, "text" text not null, primary key ("id"));`);

    this.addSql(`create table "funnels"."messenger_connections" ("id" uuid not null, "organization_id" uuid not null, "owner_user_id" int not null, "funnel_id" uuid null, "messenger_type" text not null, "name" varchar(200) null, "token_sealed" text not null, "token_hint" varchar(16) not null, "settings" jsonb not null default '{}', "webhook_secret_sealed" text not null, "app_secret_sealed" text null, "is_active" boolean not null default true, "state" text not null, "account_name" varchar(200) null, "last_error" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "messenger_connections_organization_id_created_at_index" on "funnels"."messenger_connections" ("organization_id", "created_at");`);
    this.addSql(`create index "messenger_connections_funnel_id_index" on "funnels"."messenger_connections" ("funnel_id");`);
    this.addSql(`alter table "funnels"."messenger_connections" add constraint "messenger_connections_messenger_type_check" check ("messenger_type" in ('telegram', 'whatsapp'));`);
    this.addSql(`alter table "funnels"."messenger_connections" add constraint "messenger_connections_state_check" check ("state" in ('stopped', 'running', 'failed'));`);

    this.addSql(`create table "funnels"."widget_instances" ("id" uuid not null, "organization_id" uuid not null, "owner_user_id" int not null, "funnel_id" uuid null, "name" varchar(200) not null, "title" varchar(200) not null default 'Chat with us', "greeting" text null, "allowed_origins" jsonb not null default '[]', "is_active" boolean not null default true, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "widget_instances_organization_id_created_at_index" on "funnels"."widget_instances" ("organization_id", "created_at");`);

    this.addSql(`create table "funnels"."dialogs" ("id" uuid not null, "organization_id" uuid not null, "thread_id" varchar(200) not null, "client_id" int not null, "funnel_id" uuid null, "stage_id" uuid null, "channel" text not null, "connection_id" uuid null, "widget_id" uuid null, "external_chat_id" varchar(200) null, "status" text not null, "manager_user_id" int null, "ai" boolean not null default false, "unsubscribed" boolean not null default false, "close_ratio" int not null default 0, "description" text null, "tags" jsonb not null default '[]', "price" numeric(14,2) null, "messages_count" int not null default 0, "last_message_text" text null, "last_message_at" timestamptz null, "last_client_message_at" timestamptz null, "awaiting_reply_since" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "last_activity_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "dialogs_organization_id_last_activity_at_index" on "funnels"."dialogs" ("organization_id", "last_activity_at");`);
    this.addSql(`create index "dialogs_funnel_id_last_activity_at_index" on "funnels"."dialogs" ("funnel_id", "last_activity_at");`);
    this.addSql(`create index "dialogs_client_id_index" on "funnels"."dialogs" ("client_id");`);
    this.addSql(`alter table "funnels"."dialogs" add constraint "dialogs_connection_id_external_chat_id_unique" unique ("connection_id", "external_chat_id");`);
    this.addSql(`alter table "funnels"."dialogs" add constraint "dialogs_widget_id_external_chat_id_unique" unique ("widget_id", "external_chat_id");`);
    this.addSql(`alter table "funnels"."dialogs" add constraint "dialogs_channel_check" check ("channel" in ('telegram', 'whatsapp', 'widget'));`);
    this.addSql(`alter table "funnels"."dialogs" add constraint "dialogs_status_check" check ("status" in ('open', 'pending', 'won', 'lost', 'closed'));`);

    this.addSql(`create table "funnels"."dialog_messages" ("id" uuid not null, "organization_id" uuid not null, "dialog_id" uuid not null, "role" text not null, "text" text not null, "author_user_id" int null, "delivery" text not null, "delivery_error" text null, "external_message_id" varchar(200) null, "follow_up_id" uuid null, "follow_up_anchor" timestamptz null, "created_at" timestamptz not null, "delivered_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "dialog_messages_dialog_id_created_at_index" on "funnels"."dialog_messages" ("dialog_id", "created_at");`);
    this.addSql(`alter table "funnels"."dialog_messages" add constraint "dialog_messages_dialog_id_follow_up_id_follow_up_anchor_unique" unique ("dialog_id", "follow_up_id", "follow_up_anchor");`);
    this.addSql(`alter table "funnels"."dialog_messages" add constraint "dialog_messages_dialog_id_external_message_id_unique" unique ("dialog_id", "external_message_id");`);
    this.addSql(`alter table "funnels"."dialog_messages" add constraint "dialog_messages_role_check" check ("role" in ('user', 'assistant', 'manager'));`);
    this.addSql(`alter table "funnels"."dialog_messages" add constraint "dialog_messages_delivery_check" check ("delivery" in ('received', 'pending', 'sent', 'failed'));`);

    this.addSql(`alter table "funnels"."funnel_stages" add constraint "funnel_stages_funnel_id_foreign" foreign key ("funnel_id") references "funnels"."funnels" ("id") on delete cascade;`);

    this.addSql(`alter table "funnels"."follow_ups" add constraint "follow_ups_stage_id_foreign" foreign key ("stage_id") references "funnels"."funnel_stages" ("id") on delete cascade;`);

    this.addSql(`alter table "funnels"."messenger_connections" add constraint "messenger_connections_funnel_id_foreign" foreign key ("funnel_id") references "funnels"."funnels" ("id") on delete set null;`);

    this.addSql(`alter table "funnels"."widget_instances" add constraint "widget_instances_funnel_id_foreign" foreign key ("funnel_id") references "funnels"."funnels" ("id") on delete set null;`);

    this.addSql(`alter table "funnels"."dialogs" add constraint "dialogs_client_id_foreign" foreign key ("client_id") references "funnels"."clients" ("id") on delete cascade;`);
    this.addSql(`alter table "funnels"."dialogs" add constraint "dialogs_funnel_id_foreign" foreign key ("funnel_id") references "funnels"."funnels" ("id") on delete set null;`);
    this.addSql(`alter table "funnels"."dialogs" add constraint "dialogs_stage_id_foreign" foreign key ("stage_id") references "funnels"."funnel_stages" ("id") on delete set null;`);
    this.addSql(`alter table "funnels"."dialogs" add constraint "dialogs_connection_id_foreign" foreign key ("connection_id") references "funnels"."messenger_connections" ("id") on delete set null;`);
    this.addSql(`alter table "funnels"."dialogs" add constraint "dialogs_widget_id_foreign" foreign key ("widget_id") references "funnels"."widget_instances" ("id") on delete set null;`);

    this.addSql(`alter table "funnels"."dialog_messages" add constraint "dialog_messages_dialog_id_foreign" foreign key ("dialog_id") references "funnels"."dialogs" ("id") on delete cascade;`);
    this.addSql(`alter table "funnels"."dialog_messages" add constraint "dialog_messages_follow_up_id_foreign" foreign key ("follow_up_id") references "funnels"."follow_ups" ("id") on delete set null;`);
  }

}
