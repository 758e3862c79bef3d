create table if not exists "writeback"."_wb_seeds" (
  "file" TEXT not null,
  "schema" TEXT not null,
  "table" TEXT not null,
  "fingerprint" TEXT not null,
  "loaded_at" TIMESTAMPTZ not null,
  primary key ("file")
);
