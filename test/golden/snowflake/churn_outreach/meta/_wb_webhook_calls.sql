create table if not exists "WRITEBACK"."_WB_WEBHOOK_CALLS" (
  "CALL_ID" VARCHAR not null,
  "TABLE_NAME" VARCHAR not null,
  "ACTION" VARCHAR not null,
  "URL" VARCHAR not null,
  "USER_NAME" VARCHAR not null,
  "ENTRY_IDS" VARCHAR not null,
  "STATUS" VARCHAR not null,
  "ATTEMPTS" NUMBER(38, 0) not null,
  "HTTP_STATUS" NUMBER(38, 0),
  "ERROR" VARCHAR,
  "CREATED_AT" TIMESTAMP_NTZ not null,
  "FINISHED_AT" TIMESTAMP_NTZ not null,
  primary key ("CALL_ID") not enforced
);
