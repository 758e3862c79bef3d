/** The library's public surface (re-exported by src/index.ts). */
export { openProject, OpenProjectError, type OpenProjectOptions } from './open-project.js';
export { Writeback, createWriteback, type WritebackOptions } from './writeback.js';
export * from '../write/index.js';
export * from '../workflow/index.js';
