create table if not exists "WRITEBACK"."_WB_SCENARIOS" (
  "NAME" VARCHAR not null,
  "PARENT" VARCHAR not null,
  "DESCRIPTION" VARCHAR,
  "CREATED_BY" VARCHAR not null,
  "CREATED_AT" TIMESTAMP_NTZ not null,
  "ARCHIVED_BY" VARCHAR,
  "ARCHIVED_AT" TIMESTAMP_NTZ,
  primary key ("NAME") not enforced
);
