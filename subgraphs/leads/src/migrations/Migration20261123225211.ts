import { Migration } from '@mikro-orm/migrations';

export class Migration20261123225211 extends Migration {

  override name = 'Migration20261123225211';

  override up(): void | Promise<void> {
    this.addSql(`create schema if not exists "leads";`);
    this.addSql(`create table "leads"."notes" ("id" serial primary key, "organization_id" uuid not null, "author_id" int not null, "title" varchar(200) not null, "created_at" timestamptz not null);`);
    this.addSql(`create index "notes_organization_id_index" on "leads"."notes" ("organization_id");`);
  }

}
