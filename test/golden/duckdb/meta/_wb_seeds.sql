create table if not exists "writeback"."_wb_seeds" (
  "file" VARCHAR not null,
  "schema" VARCHAR not null,
  "table" VARCHAR not null,
  "fingerprint" VARCHAR not null,
  "loaded_at" TIMESTAMP not null,
  primary key ("file")
);
