create table "WRITEBACK"."REVENUE_FORECAST__HEAD" (
  "SEQ" NUMBER(38, 0) not null,
  "HEAD" VARCHAR not null,
  "UPDATED_AT" TIMESTAMP_NTZ not null
);
