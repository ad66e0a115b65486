import { Migration } from '@mikro-orm/migrations';

export class Migration20261122125103 extends Migration {

  override name = 'Migration20261122125103';

  override up(): void | Promise<void> {
    this.addSql(`create schema if not exists "identity";`);
    this.addSql(`create table "identity"."login_throttles" ("key" varchar(300) not null, "failures" int not null default 0, "window_started_at" timestamptz not null, "locked_until" timestamptz null, primary key ("key"));`);

    this.addSql(`create table "identity"."organizations" ("id" uuid not null, "name" varchar(120) not null, "slug" varchar(140) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "identity"."organizations" add constraint "organizations_slug_unique" unique ("slug");`);

    this.addSql(`create table "identity"."users" ("id" serial primary key, "organization_id" uuid not null, "email" varchar(254) not null, "username" varchar(64) not null, "password_hash" varchar(255) not null, "first_name" varchar(100) null, "last_name" varchar(100) null, "role" text not null default 'user', "is_active" boolean not null default true, "last_login_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql(`create index "users_organization_id_index" on "identity"."users" ("organization_id");`);
    this.addSql(`alter table "identity"."users" add constraint "users_email_unique" unique ("email");`);
    this.addSql(`alter table "identity"."users" add constraint "users_username_unique" unique ("username");`);
    this.addSql(`alter table "identity"."users" add constraint "users_role_check" check ("role" in ('admin', 'analyst', 'manager', 'user', 'web', 'guest'));`);

    this.addSql(`create table "identity"."auth_sessions" ("id" uuid not null, "user_id" int not null, "ip" varchar(64) null, "created_at" timestamptz not null, "last_refreshed_at" timestamptz null, "revoked_at" timestamptz null, "revoke_reason" varchar(40) null, primary key ("id"));`);
    this.addSql(`create index "auth_sessions_user_id_index" on "identity"."auth_sessions" ("user_id");`);

    this.addSql(`create table "identity"."refresh_tokens" ("id" uuid not null, "session_id" uuid not null, "token_hash" varchar(64) not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, "used_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "refresh_tokens_session_id_index" on "identity"."refresh_tokens" ("session_id");`);
    this.addSql(`alter table "identity"."refresh_tokens" add constraint "refresh_tokens_token_hash_unique" unique ("token_hash");`);

    this.addSql(`create table "identity"."api_keys" ("id" uuid not null, "organization_id" uuid not null, "user_id" int not null, "name" varchar(100) not null, "prefix" varchar(16) not null, "key_hash" varchar(64) not null, "role" text not null, "created_at" timestamptz not null, "expires_at" timestamptz null, "last_used_at" timestamptz null, "revoked_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "api_keys_organization_id_index" on "identity"."api_keys" ("organization_id");`);
    this.addSql(`create index "api_keys_user_id_index" on "identity"."api_keys" ("user_id");`);
    this.addSql(`alter table "identity"."api_keys" add constraint "api_keys_key_hash_unique" unique ("key_hash");`);
    this.addSql(`alter table "identity"."api_keys" add constraint "api_keys_role_check" check ("role" in ('admin', 'analyst', 'manager', 'user', 'web', 'guest'));`);

    this.addSql(`alter table "identity"."users" add constraint "users_organization_id_foreign" foreign key ("organization_id") references "identity"."organizations" ("id") on delete cascade;`);

    this.addSql(`alter table "identity"."auth_sessions" add constraint "auth_sessions_user_id_foreign" foreign key ("user_id") references "identity"."users" ("id") on delete cascade;`);

    this.addSql(`alter table "identity"."refresh_tokens" add constraint "refresh_tokens_session_id_foreign" foreign key ("session_id") references "identity"."auth_sessions" ("id") on delete cascade;`);

    this.addSql(`alter table "identity"."api_keys" add constraint "api_keys_organization_id_foreign" foreign key ("organization_id") references "identity"."organizations" ("id") on delete cascade;`);
    this.addSql(`alter table "identity"."api_keys" add constraint "api_keys_user_id_foreign" foreign key ("user_id") references "identity"."users" ("id") on delete cascade;`);
  }

}
