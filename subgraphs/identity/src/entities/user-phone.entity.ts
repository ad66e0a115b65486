import { defineEntity, p } from '@mikro-orm/core';
import { User } from './user.entity.js';

/** A phone number of a user (seed 002 `/api/users/:id/phones`). */
export const UserPhoneSchema = defineEntity({
  name: 'UserPhone',
  tableName: 'user_phones',
  properties: {
    id: p.integer().primary().autoincrement(),
    user: () => p.manyToOne(User).deleteRule('cascade').index(),
    phoneNumber: p.string().length(40),
    phoneType: p.string().length(20).default('work'),
    isPrimary: p.boolean().default(false),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class UserPhone extends UserPhoneSchema.class {}
UserPhoneSchema.setClass(UserPhone);
