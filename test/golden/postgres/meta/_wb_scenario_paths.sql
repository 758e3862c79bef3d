create table if not exists "writeback"."_wb_scenario_paths" (
  "scenario" TEXT not null,
  "ancestor" TEXT not null,
  "depth" INTEGER not null,
  primary key ("scenario", "ancestor")
);
