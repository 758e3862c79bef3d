create table if not exists "writeback"."_wb_scenarios" (
  "name" VARCHAR not null,
  "parent" VARCHAR not null,
  "description" VARCHAR,
  "created_by" VARCHAR not null,
  "created_at" TIMESTAMP not null,
  "archived_by" VARCHAR,
  "archived_at" TIMESTAMP,
  primary key ("name")
);
