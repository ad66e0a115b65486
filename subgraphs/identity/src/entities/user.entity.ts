import { defineEntity, p } from '@mikro-orm/core';
import { Role } from '@salesgraph/platform';
import { Organization } from './organization.entity.js';

export const UserSchema = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: p.integer().primary().autoincrement(),
    organization: () => p.manyToOne(Organization).deleteRule('cascade').index(),
    /** Stored lower-case; unique across organizations because login names no organization. */
    email: p.string().length(254).unique(),
    /** Stored lower-case; unique across organizations for the same reason. */
    username: p.string().length(64).unique(),
    passwordHash: p.string().lazy().hidden(),
    firstName: p.string().length(100).nullable(),
    lastName: p.string().length(100).nullable(),
    role: p.enum(() => Role).default(Role.USER),
    isActive: p.boolean().default(true),
    lastLoginAt: p.datetime().nullable(),
    /** A status the user set (online, away, busy, offline); null means "from my realtime connections". */
    presence: p.string().length(20).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export class User extends UserSchema.class {}
UserSchema.setClass(User);
