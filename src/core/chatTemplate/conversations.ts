/** The token sequences a trainer builds from one record. */
import type { CanonicalRecord, SftRecord } from '../model';

/** The conversations the trainer builds from one record: the record itself, or prompt+chosen and prompt+rejected as TRL DPO concatenates them (trl/trainer/dpo_trainer.py tokenize_row). */
export function conversations(rec: CanonicalRecord): { label: string; sft: SftRecord }[] {
  if (rec.type === 'sft') return [{ label: '', sft: rec }];
  if (rec.type === 'preference')
    return [
      { label: 'chosen', sft: { type: 'sft', messages: [...rec.prompt, ...rec.chosen] } },
      { label: 'rejected', sft: { type: 'sft', messages: [...rec.prompt, ...rec.rejected] } },
    ];
  return [];
}
