create table if not exists "WRITEBACK"."_WB_SEEDS" (
  "FILE" VARCHAR not null,
  "SCHEMA" VARCHAR not null,
  "TABLE" VARCHAR not null,
  "FINGERPRINT" VARCHAR not null,
  "LOADED_AT" TIMESTAMP_NTZ not null,
  primary key ("FILE") not enforced
);
