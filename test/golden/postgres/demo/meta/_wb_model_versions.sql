create table if not exists "writeback"."_wb_model_versions" (
  "model" TEXT not null,
  "version" INTEGER not null,
  "fingerprint" TEXT not null,
  "sql" TEXT not null,
  "applied_at" TIMESTAMPTZ not null,
  "applied_by" TEXT not null,
  primary key ("model", "version")
);
