create table if not exists "WRITEBACK"."_WB_SCENARIO_PATHS" (
  "SCENARIO" VARCHAR not null,
  "ANCESTOR" VARCHAR not null,
  "DEPTH" NUMBER(38, 0) not null,
  primary key ("SCENARIO", "ANCESTOR") not enforced
);
