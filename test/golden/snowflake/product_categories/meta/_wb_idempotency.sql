create table if not exists "WRITEBACK"."_WB_IDEMPOTENCY" (
  "REQUEST_ID" VARCHAR not null,
  "TABLE_NAME" VARCHAR not null,
  "PAYLOAD_HASH" VARCHAR not null,
  "USER_NAME" VARCHAR not null,
  "RESULT" VARCHAR not null,
  "CREATED_AT" TIMESTAMP_NTZ not null,
  primary key ("REQUEST_ID") not enforced
);
