/**
 * Media lists and their placeholders. LLaMA-Factory and ms-swift read images, videos and audios from
 * `images`/`videos`/`audios` lists and place each where its tag (`<image>`, `<video>`, `<audio>`)
 * stands in the text:
 * - LLaMA-Factory raises "The number of images does not match the number of <image> tokens." when
 *   they differ (src/llamafactory/data/mm_plugin.py, every plugin's `process_messages`), which stops
 *   preprocessing;
 * - ms-swift documents that "the number of <image> tags should match the length of images"
 *   (docs/source_en/Customization/Custom-dataset.md, "Multimodal"); with no tag at all it inserts
 *   them itself, so only a count that is neither 0 nor the list's length is wrong for it.
 * A single string is read as a list of one (ms-swift `_cast_mm_data`; LLaMA-Factory's converter).
 */
import type { ReaderContext } from '../trainers';
import { readerVerdict, trainerList } from '../trainers';
import type { JsonPath } from './formatModule';
import { emitFor, type Report } from './reportHelpers';
import * as l10n from '@vscode/l10n';

const MEDIA: readonly { key: string; tag: string }[] = [
  { key: 'images', tag: '<image>' },
  { key: 'videos', tag: '<video>' },
  { key: 'audios', tag: '<audio>' },
];

function countTag(texts: readonly string[], tag: string): number {
  let n = 0;
  for (const t of texts) for (let i = t.indexOf(tag); i >= 0; i = t.indexOf(tag, i + tag.length)) n++;
  return n;
}

/** Checks each media list of `record` against the tags in `texts` (the record's message texts, in order). */
export function checkMediaPlaceholders(record: Record<string, unknown>, texts: readonly string[], reading: ReaderContext, report: Report): void {
  for (const { key, tag } of MEDIA) {
    const v = record[key];
    if (v === undefined || v === null) continue;
    const n = Array.isArray(v) ? v.length : typeof v === 'string' ? 1 : undefined;
    if (n === undefined) continue;
    const tags = countTag(texts, tag);
    if (tags === n) continue;
    // ms-swift places untagged media itself; LLaMA-Factory needs one tag per item.
    const affected = tags === 0 ? (['llamafactory'] as const) : (['llamafactory', 'ms-swift'] as const);
    const path: JsonPath = [key];
    emitFor(report, readerVerdict(reading, affected), path, 'media/placeholder-count', (verdict) =>
      l10n.t('"{0}" holds {1} item(s) but the messages have {2} {3} tag(s): {4} needs one tag per item, in order', key, n, tags, tag, trainerList(verdict.hit)));
  }
}

/** True when the record carries a media list (most records do not: the check is skipped). */
export function hasMedia(record: Record<string, unknown>): boolean {
  return record.images !== undefined || record.videos !== undefined || record.audios !== undefined;
}
