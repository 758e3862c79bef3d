create table if not exists "writeback"."_wb_scenario_paths" (
  "scenario" VARCHAR not null,
  "ancestor" VARCHAR not null,
  "depth" INTEGER not null,
  primary key ("scenario", "ancestor")
);
