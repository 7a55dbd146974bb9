/** Token counting. The only way into this area from src/cli, src/extension and src/protocol. */
export { createTokenCounter } from './tokenCounter';
