create table if not exists "writeback"."_wb_scenarios" (
  "name" TEXT not null,
  "parent" TEXT not null,
  "description" TEXT,
  "created_by" TEXT not null,
  "created_at" TIMESTAMPTZ not null,
  "archived_by" TEXT,
  "archived_at" TIMESTAMPTZ,
  primary key ("name")
);
