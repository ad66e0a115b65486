import { Migration } from '@mikro-orm/migrations';

export class Migration20261124023311 extends Migration {

  override name = 'Migration20261124023311';

  override up(): void | Promise<void> {
    this.addSql(`create schema if not exists "support";`);
    this.addSql(`create table "support"."notes" ("id" serial primary key, "organization_id" uuid not null, "author_id" int not null, "title" varchar(200) not null, "created_at" timestamptz not null);`);
    this.addSql(`create index "notes_organization_id_index" on "support"."notes" ("organization_id");`);
  }

}
