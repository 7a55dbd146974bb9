/** Quick fixes: edits that repair a record's problems. The only way into this area from src/cli, src/extension and src/protocol. */
export { arrayElementDeletion, fixesFor } from './recordFixes';
