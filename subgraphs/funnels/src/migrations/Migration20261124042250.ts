import { Migration } from '@mikro-orm/migrations';

export class Migration20261124042250 extends Migration {

  override name = 'Migration20261124042250';

  override up(): void | Promise<void> {
    this.addSql(`alter table "funnels"."dialogs" add "assistant_answered_message_id" uuid null, add "handed_over_at" timestamptz null, add "handover_reason" varchar(500) null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "funnels"."dialogs" drop column "assistant_answered_message_id", drop column "handed_over_at", drop column "handover_reason";`);
  }

}
