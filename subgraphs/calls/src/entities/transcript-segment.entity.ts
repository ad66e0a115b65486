import { defineEntity, p } from '@mikro-orm/core';
import { Call } from './call.entity.js';

export const TranscriptSegmentSchema = defineEntity({
  name: 'TranscriptSegment',
  tableName: 'transcript_segments',
  properties: {
    id: p.integer().primary().autoincrement(),
    call: () => p.manyToOne(Call).deleteRule('cascade').index(),
    /** e.g. "agent", "customer" */
    speaker: p.string().length(40),
    text: p.text(),
    /** Seconds from the start of the call. */
    startOffset: p.double(),
    endOffset: p.double(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export class TranscriptSegment extends TranscriptSegmentSchema.class {}
TranscriptSegmentSchema.setClass(TranscriptSegment);
