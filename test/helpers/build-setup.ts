import type { TestProject } from 'vitest/node';
import { rmSync } from 'node:fs';
import { applyDemoProject } from '../integration/server/demo-project.js';
import { buildForTests, removeBuild } from './test-build.js';

/**
 * Global setup of the integration project, once per run (and per rerun in watch mode): a build of
 * the sources for the child processes the tests start, and the demo project applied once, which
 * appliedDemoProject() copies instead of applying it again in every test.
 */
export default async function setup(project: TestProject) {
  let [dir, demo] = await Promise.all([buildForTests(), applyDemoProject()]);
  const provide = () => {
    project.provide('writebackBuild', dir);
    project.provide('appliedDemo', demo);
  };
  const remove = () => {
    removeBuild(dir);
    rmSync(demo, { recursive: true, force: true });
  };
  provide();
  project.onTestsRerun(async () => {
    remove();
    [dir, demo] = await Promise.all([buildForTests(), applyDemoProject()]);
    provide();
  });
  return remove;
}
