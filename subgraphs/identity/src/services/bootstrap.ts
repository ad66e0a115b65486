import type { EntityManager } from '@mikro-orm/core';
import { Role } from '@salesgraph/platform';
import { Organization, User } from '../entities/index.js';
import { hashPassword } from './passwords.js';
import { normalizeLogin } from './users.js';
import { slugFor } from './slugs.js';

export interface FirstAdmin {
  email: string;
  username: string;
  password: string;
  organizationName: string;
}

/** On an empty database, creates the first organization and its admin; otherwise does nothing. */
export async function ensureFirstAdmin(em: EntityManager, admin: FirstAdmin): Promise<User | null> {
  if ((await em.count(User, {})) > 0) return null;
  const organization = em.create(Organization, { name: admin.organizationName, slug: slugFor(admin.organizationName) });
  const user = em.create(User, {
    organization,
    email: normalizeLogin(admin.email),
    username: normalizeLogin(admin.username),
    passwordHash: await hashPassword(admin.password),
    role: Role.ADMIN,
    isActive: true,
    firstName: null,
    lastName: null,
  });
  await em.flush();
  return user;
}
