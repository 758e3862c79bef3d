import type { Command } from 'commander';
import { registerValidate } from './validate.js';
import { registerCompile } from './compile.js';
import { registerPlan } from './plan.js';
import { registerApply } from './apply.js';
import { registerVersions } from './versions.js';
import { registerPrune } from './prune.js';
import { registerDev } from './dev.js';
import { registerInit } from './init.js';
import { registerServe } from './serve.js';
import { registerWrite } from './write.js';
import { registerHistory } from './history.js';
import { registerVerify } from './verify.js';
import { registerToken } from './token.js';
import { registerScenario } from './scenario.js';
import { registerPending } from './pending.js';
import { registerAction } from './action.js';
import { registerQuery } from './query.js';
import { registerDbt } from './dbt.js';
import { registerLineage } from './lineage.js';

/** Every `writeback` subcommand, one file each. */
export function registerCommands(program: Command): void {
  for (const register of [
    registerInit,
    registerValidate,
    registerCompile,
    registerPlan,
    registerApply,
    registerVersions,
    registerPrune,
    registerDev,
    registerServe,
    registerWrite,
    registerHistory,
    registerVerify,
    registerToken,
    registerScenario,
    registerPending,
    registerAction,
    registerQuery,
    registerDbt,
    registerLineage,
  ]) {
    register(program);
  }
}
