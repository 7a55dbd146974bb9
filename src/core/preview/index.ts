/** The hover preview of a record. The only way into this area from src/cli, src/extension and src/protocol. */
export { recordHoverMarkdown, type TokenCounting } from './recordHover';
