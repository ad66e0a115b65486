/* eslint-disable */
export const AttachmentDownloadDocument: any = null;
export const SupportFunnelLookupDocument: any = null;
export const SupportUserLookupDocument: any = null;
