import { Migration } from '@mikro-orm/migrations';

export class Migration20261124091319 extends Migration {

  override name = 'Migration20261124091319';

  override up(): void | Promise<void> {
    this.addSql(`create table "identity"."document_manifests" ("id" serial primary key, "client_name" varchar(100) not null, "client_version" varchar(100) not null, "digest" varchar(64) not null, "document_count" int not null, "registered_at" timestamptz not null);`);
    this.addSql(`alter table "identity"."document_manifests" add constraint "document_manifests_client_name_client_version_unique" unique ("client_name", "client_version");`);

    this.addSql(`create table "identity"."persisted_documents" ("hash" varchar(64) not null, "body" text not null, "registered_at" timestamptz not null, primary key ("hash"));`);

    this.addSql(`create table "identity"."manifest_documents" ("manifest_id" int not null, "document_hash" varchar(64) not null, primary key ("manifest_id", "document_hash"));`);
    this.addSql(`create index "manifest_documents_document_hash_index" on "identity"."manifest_documents" ("document_hash");`);

    this.addSql(`alter table "identity"."manifest_documents" add constraint "manifest_documents_manifest_id_foreign" foreign key ("manifest_id") references "identity"."document_manifests" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "identity"."manifest_documents" add constraint "manifest_documents_document_hash_foreign" foreign key ("document_hash") references "identity"."persisted_documents" ("hash") on update cascade on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "identity"."manifest_documents" drop constraint "manifest_documents_manifest_id_foreign";`);
    this.addSql(`alter table "identity"."manifest_documents" drop constraint "manifest_documents_document_hash_foreign";`);

    this.addSql(`drop table if exists "identity"."document_manifests" cascade;`);
    this.addSql(`drop table if exists "identity"."persisted_documents" cascade;`);
    this.addSql(`drop table if exists "identity"."manifest_documents" cascade;`);
  }

}
