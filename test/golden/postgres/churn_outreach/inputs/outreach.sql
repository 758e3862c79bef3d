create table "writeback"."outreach" (
  "account_id" TEXT,
  "status" TEXT,
  "contacted_on" DATE,
  "owner" TEXT,
  "notes" TEXT,
  "_scenario" TEXT not null,
  "_version" BIGINT not null,
  "_deleted" BOOLEAN not null,
  "_set_columns" TEXT,
  "_updated_by" TEXT not null,
  "_updated_at" TIMESTAMPTZ not null,
  "_entry_id" TEXT not null,
  primary key ("_scenario", "account_id")
);
