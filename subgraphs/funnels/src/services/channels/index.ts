import type { ChannelKind, MessengerChannel } from './channel.js';
import { TelegramChannel } from './telegram.js';
import { WhatsAppChannel } from './whatsapp.js';

export { ChannelError, type ChannelCredentials, type ChannelKind, type InboundMessage, type MessengerChannel } from './channel.js';
export { TelegramChannel, newWebhookSecret, type TelegramChannelOptions } from './telegram.js';
export { WhatsAppChannel, verifyWhatsAppSignature, type WhatsAppChannelOptions } from './whatsapp.js';

/** The channel of each messenger kind, made once from the settings (`Settings.messengers`). */
export class MessengerChannels {
  private readonly channels: Record<ChannelKind, MessengerChannel>;

  constructor(settings: { telegramApiRoot: string; whatsappApiRoot: string }) {
    this.channels = {
      telegram: new TelegramChannel({ apiRoot: settings.telegramApiRoot }),
      whatsapp: new WhatsAppChannel({ apiRoot: settings.whatsappApiRoot }),
    };
  }

  of(kind: ChannelKind): MessengerChannel {
    // The kind comes from a stored connection: a value this build does not know is a bug to name.
    const channel = this.channels[kind] as MessengerChannel | undefined;
    if (!channel) throw new Error(`No messenger channel of kind "${kind as string}"`);
    return channel;
  }
}
