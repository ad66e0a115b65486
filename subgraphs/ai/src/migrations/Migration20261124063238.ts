import { Migration } from '@mikro-orm/migrations';

export class Migration20261124063238 extends Migration {

  override name = 'Migration20261124063238';

  override up(): void | Promise<void> {
    this.addSql(`create table "ai"."speech_audio" ("id" uuid not null, "organization_id" uuid not null, "owner_user_id" int not null, "wav" bytea not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "speech_audio_expires_at_index" on "ai"."speech_audio" ("expires_at");`);

    this.addSql(`create table "ai"."tts_presets" ("id" uuid not null, "organization_id" uuid not null, "owner_user_id" int null, "slug" varchar(40) not null, "name" varchar(100) not null, "espeak_voice" varchar(60) not null, "provider_voice" varchar(60) null, "rate" int not null, "pitch" int not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "ai"."tts_presets" add constraint "tts_presets_organization_id_slug_unique" unique ("organization_id", "slug");`);

    this.addSql(`alter table "ai"."usage_records" drop constraint "usage_records_operation_check";`);
    this.addSql(`alter table "ai"."usage_records" add constraint "usage_records_operation_check" check ("operation" in ('SCORE_LEAD', 'GENERATE_EMAIL', 'ANALYZE_CALL', 'GENERATE_FORECAST', 'CHAT', 'AUTO_REPLY', 'SPEECH', 'TRANSCRIPTION'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "ai"."speech_audio" cascade;`);
    this.addSql(`drop table if exists "ai"."tts_presets" cascade;`);

    this.addSql(`alter table "ai"."usage_records" drop constraint "usage_records_operation_check";`);
    this.addSql(`alter table "ai"."usage_records" add constraint "usage_records_operation_check" check ("operation" in ('SCORE_LEAD', 'GENERATE_EMAIL', 'ANALYZE_CALL', 'GENERATE_FORECAST', 'CHAT', 'AUTO_REPLY'));`);
  }

}
