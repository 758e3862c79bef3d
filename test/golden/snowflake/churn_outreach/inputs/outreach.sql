create table "WRITEBACK"."OUTREACH" (
  "ACCOUNT_ID" VARCHAR,
  "STATUS" VARCHAR,
  "CONTACTED_ON" DATE,
  "OWNER" VARCHAR,
  "NOTES" VARCHAR,
  "_SCENARIO" VARCHAR not null,
  "_VERSION" NUMBER(38, 0) not null,
  "_DELETED" BOOLEAN not null,
  "_SET_COLUMNS" VARCHAR,
  "_UPDATED_BY" VARCHAR not null,
  "_UPDATED_AT" TIMESTAMP_NTZ not null,
  "_ENTRY_ID" VARCHAR not null,
  primary key ("_SCENARIO", "ACCOUNT_ID") not enforced
);
