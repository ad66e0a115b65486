import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import { conflict, notFound, type SignedIn } from '@salesgraph/platform';
import { User } from '../entities/index.js';

/** A user of the caller's organization; another organization's user is simply "not found". */
export async function findOwnUser(em: EntityManager, caller: SignedIn, id: number): Promise<User> {
  const user = await em.findOne(User, { id, organization: caller.organizationId });
  if (!user) throw notFound('User');
  return user;
}

/** Refuses an e-mail or username another account already has (they are global: login names no organization). */
export async function assertLoginNamesFree(
  em: EntityManager,
  names: { email?: string; username?: string },
  except?: number,
): Promise<void> {
  const or = [names.email && { email: names.email }, names.username && { username: names.username }].filter(Boolean) as object[];
  if (!or.length) return;
  const taken = await em.findOne(User, { $or: or, ...(except ? { id: { $ne: except } } : {}) });
  if (taken?.email === names.email) throw conflict('This e-mail is already in use');
  if (taken) throw conflict('This username is already in use');
}

/** Flushes, turning a unique-index race (two sign-ups with one e-mail) into a CONFLICT instead of a 500. */
export async function flushUnique(em: EntityManager): Promise<void> {
  try {
    await em.flush();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) throw conflict('This e-mail or username is already in use');
    throw error;
  }
}

export const normalizeLogin = (value: string) => value.trim().toLowerCase();

export interface ProfileChanges {
  email?: string;
  username?: string;
  firstName?: string;
  lastName?: string;
}

/** Applies the fields given (login names normalised and checked free); leaves the others as they are. */
export async function applyProfile(em: EntityManager, user: User, changes: ProfileChanges): Promise<void> {
  const email = changes.email && normalizeLogin(changes.email);
  const username = changes.username && normalizeLogin(changes.username);
  await assertLoginNamesFree(em, { email, username }, user.id);
  em.assign(user, {
    ...(email && { email }),
    ...(username && { username }),
    ...(changes.firstName !== undefined && { firstName: changes.firstName }),
    ...(changes.lastName !== undefined && { lastName: changes.lastName }),
  });
}
