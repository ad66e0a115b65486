import { Migration } from '@mikro-orm/migrations';

export class Migration20261123231458 extends Migration {

  override name = 'Migration20261123231458';

  override up(): void | Promise<void> {
    this.addSql(`create table "leads"."lead_imports" ("id" uuid not null, "organization_id" uuid not null, "started_by_user_id" int not null, "file_name" varchar(255) not null, "merge" boolean not null, "status" text not null, "total" int not null, "processed" int not null default 0, "created" int not null default 0, "updated" int not null default 0, "skipped" int not null default 0, "rows" jsonb not null, "error" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "finished_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "lead_imports_organization_id_created_at_index" on "leads"."lead_imports" ("organization_id", "created_at");`);
    this.addSql(`create index "lead_imports_status_updated_at_index" on "leads"."lead_imports" ("status", "updated_at");`);

    this.addSql(`alter table "leads"."lead_imports" add constraint "lead_imports_status_check" check ("status" in ('running', 'completed', 'failed'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "leads"."lead_imports" cascade;`);
  }

}
