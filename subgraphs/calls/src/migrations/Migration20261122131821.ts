import { Migration } from '@mikro-orm/migrations';

export class Migration20261122131821 extends Migration {

  override name = 'Migration20261122131821';

  override up(): void | Promise<void> {
    this.addSql(`create schema if not exists "calls";`);
    this.addSql(`create table "calls"."companies" ("id" serial primary key, "organization_id" uuid not null, "name" varchar(200) not null, "inn" varchar(12) null, "status" varchar(20) not null default 'active', "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql(`create index "companies_organization_id_index" on "calls"."companies" ("organization_id");`);

    this.addSql(`create table "calls"."calls" ("id" serial primary key, "organization_id" uuid not null, "caller_number" varchar(40) not null, "caller_e164" varchar(20) null, "receiver_number" varchar(40) null, "channel_id" varchar(120) null, "status" text not null default 'incoming', "ring_deadline" timestamptz null, "accepted_at" timestamptz null, "answered_at" timestamptz null, "ended_at" timestamptz null, "duration" int null, "notes" text null, "assigned_user_id" int null, "answered_by_user_id" int null, "caller_company_id" int null, "customer_name" varchar(200) null, "customer_company" varchar(200) null, "customer_email" varchar(254) null, "customer_phone" varchar(40) null, "purpose" varchar(100) null, "priority" text not null default 'medium', "follow_up_date" timestamptz null, "outcome" text null, "recording_url" varchar(1000) null, "tags" text[] not null default '{}', "transfer_count" int not null default 0, "is_on_hold" boolean not null default false, "hold_started_at" timestamptz null, "hold_seconds" int not null default 0, "is_muted" boolean not null default false, "is_speaker_on" boolean not null default false, "lead_id" uuid null, "external_id" varchar(200) null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql(`create index "calls_ring_deadline_index" on "calls"."calls" ("ring_deadline");`);
    this.addSql(`create index "calls_answered_by_user_id_index" on "calls"."calls" ("answered_by_user_id");`);
    this.addSql(`create index "calls_organization_id_status_index" on "calls"."calls" ("organization_id", "status");`);
    this.addSql(`create index "calls_organization_id_created_at_index" on "calls"."calls" ("organization_id", "created_at");`);
    this.addSql(`create index "calls_organization_id_assigned_user_id_index" on "calls"."calls" ("organization_id", "assigned_user_id");`);
    this.addSql(`alter table "calls"."calls" add constraint "calls_status_check" check ("status" in ('incoming', 'accepted', 'rejected', 'missed', 'completed'));`);
    this.addSql(`alter table "calls"."calls" add constraint "calls_priority_check" check ("priority" in ('low', 'medium', 'high', 'urgent'));`);

    this.addSql(`create table "calls"."call_tasks" ("id" serial primary key, "organization_id" uuid not null, "call_id" int null, "title" varchar(200) not null, "description" text null, "status" text not null default 'open', "due_date" timestamptz null, "assigned_user_id" int null, "created_by_user_id" int not null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql(`create index "call_tasks_call_id_index" on "calls"."call_tasks" ("call_id");`);
    this.addSql(`create index "call_tasks_organization_id_assigned_user_id_index" on "calls"."call_tasks" ("organization_id", "assigned_user_id");`);
    this.addSql(`alter table "calls"."call_tasks" add constraint "call_tasks_status_check" check ("status" in ('open', 'in_progress', 'done', 'cancelled'));`);

    this.addSql(`create table "calls"."call_events" ("id" uuid not null, "organization_id" uuid not null, "call_id" int not null, "type" text not null, "actor_user_id" int null, "from_user_id" int null, "target_user_id" int null, "reason" text null, "is_on_hold" boolean null, "occurred_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "call_events_call_id_index" on "calls"."call_events" ("call_id");`);
    this.addSql(`alter table "calls"."call_events" add constraint "call_events_type_check" check ("type" in ('incoming', 'answered', 'rejected', 'missed', 'ended', 'notes_updated', 'hold_changed', 'transferred', 'updated'));`);

    this.addSql(`create table "calls"."company_phones" ("id" serial primary key, "organization_id" uuid not null, "company_id" int not null, "phone_number" varchar(40) not null, "e164" varchar(20) not null, "phone_type" varchar(20) not null default 'main', "contact_person" varchar(200) null);`);
    this.addSql(`create index "company_phones_company_id_index" on "calls"."company_phones" ("company_id");`);
    this.addSql(`create index "company_phones_organization_id_e164_index" on "calls"."company_phones" ("organization_id", "e164");`);

    this.addSql(`create table "calls"."transcript_segments" ("id" serial primary key, "call_id" int not null, "speaker" varchar(40) not null, "text" text not null, "start_offset" double precision not null, "end_offset" double precision not null, "created_at" timestamptz not null);`);
    this.addSql(`create index "transcript_segments_call_id_index" on "calls"."transcript_segments" ("call_id");`);

    this.addSql(`alter table "calls"."calls" add constraint "calls_caller_company_id_foreign" foreign key ("caller_company_id") references "calls"."companies" ("id") on delete set null;`);

    this.addSql(`alter table "calls"."call_tasks" add constraint "call_tasks_call_id_foreign" foreign key ("call_id") references "calls"."calls" ("id") on delete cascade;`);

    this.addSql(`alter table "calls"."call_events" add constraint "call_events_call_id_foreign" foreign key ("call_id") references "calls"."calls" ("id") on delete cascade;`);

    this.addSql(`alter table "calls"."company_phones" add constraint "company_phones_company_id_foreign" foreign key ("company_id") references "calls"."companies" ("id") on delete cascade;`);

    this.addSql(`alter table "calls"."transcript_segments" add constraint "transcript_segments_call_id_foreign" foreign key ("call_id") references "calls"."calls" ("id") on delete cascade;`);
  }

}
