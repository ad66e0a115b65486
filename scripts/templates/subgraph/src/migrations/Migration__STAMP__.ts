import { Migration } from '@mikro-orm/migrations';

export class Migration__STAMP__ extends Migration {

  override name = 'Migration__STAMP__';

  override up(): void | Promise<void> {
    this.addSql(`create schema if not exists "__name__";`);
    this.addSql(`create table "__name__"."notes" ("id" serial primary key, "organization_id" uuid not null, "author_id" int not null, "title" varchar(200) not null, "created_at" timestamptz not null);`);
    this.addSql(`create index "notes_organization_id_index" on "__name__"."notes" ("organization_id");`);
  }

}
