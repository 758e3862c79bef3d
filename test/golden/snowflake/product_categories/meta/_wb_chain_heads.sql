create table if not exists "WRITEBACK"."_WB_CHAIN_HEADS" (
  "TABLE_NAME" VARCHAR not null,
  "SEQ" NUMBER(38, 0) not null,
  "HEAD" VARCHAR not null,
  "UPDATED_AT" TIMESTAMP_NTZ not null,
  primary key ("TABLE_NAME") not enforced
);
