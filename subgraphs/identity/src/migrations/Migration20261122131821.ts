import { Migration } from '@mikro-orm/migrations';

export class Migration20261122131821 extends Migration {

  override name = 'Migration20261122131821';

  override up(): void | Promise<void> {
    this.addSql(`create table "identity"."realtime_connections" ("id" uuid not null, "user_id" int not null, "connected_at" timestamptz not null, "last_seen_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "realtime_connections_user_id_index" on "identity"."realtime_connections" ("user_id");`);
    this.addSql(`create index "realtime_connections_last_seen_at_index" on "identity"."realtime_connections" ("last_seen_at");`);

    this.addSql(`create table "identity"."user_phones" ("id" serial primary key, "user_id" int not null, "phone_number" varchar(40) not null, "phone_type" varchar(20) not null default 'work', "is_primary" boolean not null default false, "created_at" timestamptz not null);`);
    this.addSql(`create index "user_phones_user_id_index" on "identity"."user_phones" ("user_id");`);

    this.addSql(`alter table "identity"."users" add "presence" varchar(20) null;`);

    this.addSql(`alter table "identity"."realtime_connections" add constraint "realtime_connections_user_id_foreign" foreign key ("user_id") references "identity"."users" ("id") on delete cascade;`);

    this.addSql(`alter table "identity"."user_phones" add constraint "user_phones_user_id_foreign" foreign key ("user_id") references "identity"."users" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "identity"."realtime_connections" cascade;`);
    this.addSql(`drop table if exists "identity"."user_phones" cascade;`);

    this.addSql(`alter table "identity"."users" drop column "presence";`);
  }

}
