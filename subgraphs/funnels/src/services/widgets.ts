import type { EntityManager } from '@mikro-orm/core';
import { badInput, type SignedIn } from '@salesgraph/platform';
import { WidgetInstance } from '../entities/index.js';
import type { WidgetInput } from '../types/inputs.js';
import { findFunnel, findOwnedWidget } from './access.js';

/** Web chat widgets (seed 004 `WidgetInstance`), owner-scoped like bots. */
export class WidgetService {
  async create(em: EntityManager, caller: SignedIn, input: WidgetInput): Promise<WidgetInstance> {
    if (!input.name?.trim()) throw badInput('A widget needs a name', [{ field: 'name', message: 'must not be empty' }]);
    const widget = em.create(WidgetInstance, {
      organizationId: caller.organizationId,
      ownerUserId: caller.userId,
      name: input.name.trim(),
      title: 'Chat with us',
      allowedOrigins: [],
    });
    await apply(em, caller, widget, input);
    await em.flush();
    return widget;
  }

  async update(em: EntityManager, caller: SignedIn, id: string, input: WidgetInput): Promise<WidgetInstance> {
    const widget = await findOwnedWidget(em, caller, id);
    await apply(em, caller, widget, input);
    await em.flush();
    return widget;
  }

  async delete(em: EntityManager, caller: SignedIn, id: string): Promise<string> {
    const widget = await findOwnedWidget(em, caller, id);
    await em.remove(widget).flush();
    return widget.id;
  }
}

async function apply(em: EntityManager, caller: SignedIn, widget: WidgetInstance, input: WidgetInput): Promise<void> {
  if (input.name !== undefined) widget.name = input.name.trim();
  if (input.title !== undefined) widget.title = input.title.trim();
  if (input.greeting !== undefined) widget.greeting = input.greeting?.trim() || null;
  if (input.funnelId !== undefined) widget.funnel = input.funnelId ? await findFunnel(em, caller, input.funnelId) : null;
  if (input.allowedOrigins !== undefined) widget.allowedOrigins = [...new Set(input.allowedOrigins.map(originOf))];
  if (input.isActive !== undefined) widget.isActive = input.isActive;
}

/** An origin a widget may be embedded on, as browsers send it (`https://shop.example`), or BAD_USER_INPUT. */
function originOf(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value.trim());
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin.length > 300)
    throw badInput(`"${value.slice(0, 100)}" is not an origin`, [
      { field: 'allowedOrigins', message: 'each must be like https://shop.example' },
    ]);
  return url.origin;
}
