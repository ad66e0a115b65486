import { Migration } from '@mikro-orm/migrations';

export class Migration20261124035858 extends Migration {

  override name = 'Migration20261124035858';

  override up(): void | Promise<void> {
    this.addSql(`create schema if not exists "ai";`);
    this.addSql(`create table "ai"."notes" ("id" serial primary key, "organization_id" uuid not null, "author_id" int not null, "title" varchar(200) not null, "created_at" timestamptz not null);`);
    this.addSql(`create index "notes_organization_id_index" on "ai"."notes" ("organization_id");`);
  }

}
