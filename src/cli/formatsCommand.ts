/** `pairwise formats`: every format id with its kind, trainers and one example record. */
import { parseArgs } from 'node:util';
import { allFormats } from '../core/formats';
import { EXIT_OK, type CliIo } from './io';
import { FORMATS_HELP } from './usage';

export function formatsCommand(args: string[], io: CliIo): number {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    io.out(FORMATS_HELP);
    return EXIT_OK;
  }
  const formats = allFormats();
  if (values.json) {
    io.out(JSON.stringify(formats.map((f) => ({ id: f.id, title: f.title, kind: f.kind, trainers: f.trainers, example: f.example })), null, 2) + '\n');
    return EXIT_OK;
  }
  const out: string[] = [];
  for (const f of formats) {
    out.push(`${f.id}  ${f.title} [${f.kind}; ${f.trainers.join(', ')}]\n  ${JSON.stringify(f.example)}\n`);
  }
  io.out(out.join('\n'));
  return EXIT_OK;
}
