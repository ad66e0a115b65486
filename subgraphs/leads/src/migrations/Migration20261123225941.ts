import { Migration } from '@mikro-orm/migrations';

export class Migration20261123225941 extends Migration {

  override name = 'Migration20261123225941';

  override up(): void | Promise<void> {
    this.addSql(`create table "leads"."forecasts" ("id" uuid not null, "organization_id" uuid not null, "created_by_id" int not null, "name" varchar(200) not null, "period_kind" text not null, "period_start" date not null, "period_end" date not null, "predicted_revenue" numeric(15,2) not null, "currency" varchar(3) not null, "predicted_deals" int null, "confidence" smallint null, "method" text not null, "notes" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "forecasts_organization_id_period_start_index" on "leads"."forecasts" ("organization_id", "period_start");`);

    this.addSql(`alter table "leads"."forecasts" add constraint "forecasts_period_check" check (period_end >= period_start);`);
    this.addSql(`alter table "leads"."forecasts" add constraint "forecasts_predicted_revenue_check" check (predicted_revenue >= 0);`);
    this.addSql(`alter table "leads"."forecasts" add constraint "forecasts_predicted_deals_check" check (predicted_deals >= 0);`);
    this.addSql(`alter table "leads"."forecasts" add constraint "forecasts_confidence_check" check ((confidence >= 0) AND (confidence <= 100));`);
    this.addSql(`alter table "leads"."forecasts" add constraint "forecasts_period_kind_check" check ("period_kind" in ('month', 'quarter', 'year', 'custom'));`);
    this.addSql(`alter table "leads"."forecasts" add constraint "forecasts_method_check" check ("method" in ('manual', 'ai'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "leads"."forecasts" cascade;`);
  }

}
