create table "writeback"."revenue_forecast" (
  "account_id" TEXT,
  "quarter" TEXT,
  "amount" NUMERIC(18, 2),
  "confidence" TEXT,
  "note" TEXT,
  "status" TEXT,
  "_scenario" TEXT not null,
  "_version" BIGINT not null,
  "_deleted" BOOLEAN not null,
  "_set_columns" TEXT,
  "_updated_by" TEXT not null,
  "_updated_at" TIMESTAMPTZ not null,
  "_entry_id" TEXT not null,
  primary key ("_scenario", "account_id", "quarter")
);
