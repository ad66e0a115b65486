export * from './ticket.entity.js';

import { Attachment, Ticket, TicketMessage } from './ticket.entity.js';

export const entities = [Ticket, TicketMessage, Attachment];
