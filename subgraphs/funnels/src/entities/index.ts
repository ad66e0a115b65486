export * from './funnel.entity.js';
export * from './client.entity.js';
export * from './messenger-connection.entity.js';
export * from './widget.entity.js';
export * from './widget-visitor.entity.js';
export * from './dialog.entity.js';

import { Client } from './client.entity.js';
import { Dialog, DialogMessage } from './dialog.entity.js';
import { FollowUp, Funnel, FunnelStage } from './funnel.entity.js';
import { MessengerConnection } from './messenger-connection.entity.js';
import { WidgetInstance } from './widget.entity.js';
import { WidgetVisitor } from './widget-visitor.entity.js';

export const entities = [Funnel, FunnelStage, FollowUp, Client, MessengerConnection, WidgetInstance, WidgetVisitor, Dialog, DialogMessage];
