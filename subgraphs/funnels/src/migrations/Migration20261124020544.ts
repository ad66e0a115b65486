import { Migration } from '@mikro-orm/migrations';

export class Migration20261124020544 extends Migration {

  override name = 'Migration20261124020544';

  override up(): void | Promise<void> {
    this.addSql(`create table "funnels"."widget_visitors" ("id" uuid not null, "widget_id" uuid not null, "organization_id" uuid not null, "token_hash" varchar(64) not null, "name" varchar(200) null, "created_at" timestamptz not null, "last_seen_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "funnels"."widget_visitors" add constraint "widget_visitors_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "widget_visitors_widget_id_created_at_index" on "funnels"."widget_visitors" ("widget_id", "created_at");`);

    this.addSql(`alter table "funnels"."widget_visitors" add constraint "widget_visitors_widget_id_foreign" foreign key ("widget_id") references "funnels"."widget_instances" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "funnels"."widget_visitors" cascade;`);
  }

}
