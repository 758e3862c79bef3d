create table if not exists "writeback"."_wb_model_versions" (
  "model" VARCHAR not null,
  "version" INTEGER not null,
  "fingerprint" VARCHAR not null,
  "sql" VARCHAR not null,
  "applied_at" TIMESTAMP not null,
  "applied_by" VARCHAR not null,
  primary key ("model", "version")
);
