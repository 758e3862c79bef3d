create table "WRITEBACK"."PRODUCT_FIX" (
  "PRODUCT_ID" VARCHAR,
  "CATEGORY" VARCHAR,
  "BRAND" VARCHAR,
  "REASON" VARCHAR,
  "_SCENARIO" VARCHAR not null,
  "_VERSION" NUMBER(38, 0) not null,
  "_DELETED" BOOLEAN not null,
  "_SET_COLUMNS" VARCHAR,
  "_UPDATED_BY" VARCHAR not null,
  "_UPDATED_AT" TIMESTAMP_NTZ not null,
  "_ENTRY_ID" VARCHAR not null,
  primary key ("_SCENARIO", "PRODUCT_ID") not enforced
);
