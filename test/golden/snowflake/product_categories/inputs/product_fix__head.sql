create table "WRITEBACK"."PRODUCT_FIX__HEAD" (
  "SEQ" NUMBER(38, 0) not null,
  "HEAD" VARCHAR not null,
  "UPDATED_AT" TIMESTAMP_NTZ not null
);
