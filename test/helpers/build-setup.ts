import type { TestProject } from 'vitest/node';
import { buildForTests, removeBuild } from './test-build.js';

/** Global setup of the projects whose tests start child processes: one build of the sources per run (and per rerun in watch mode). */
export default async function setup(project: TestProject) {
  let dir = await buildForTests();
  project.provide('writebackBuild', dir);
  project.onTestsRerun(async () => {
    removeBuild(dir);
    dir = await buildForTests();
    project.provide('writebackBuild', dir);
  });
  return () => removeBuild(dir);
}
