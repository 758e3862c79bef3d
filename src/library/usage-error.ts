/** How a command was called or configured is wrong (the CLI prints it without a stack trace); thrown by the layers below too. */
export { UsageError } from '../adapters/usage-error.js';
