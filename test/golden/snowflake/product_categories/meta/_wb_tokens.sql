create table if not exists "WRITEBACK"."_WB_TOKENS" (
  "TOKEN_ID" VARCHAR not null,
  "TOKEN_HASH" VARCHAR not null,
  "USER_NAME" VARCHAR not null,
  "ROLE" VARCHAR not null,
  "ATTRIBUTES" VARCHAR not null,
  "CREATED_AT" TIMESTAMP_NTZ not null,
  "CREATED_BY" VARCHAR not null,
  "REVOKED_AT" TIMESTAMP_NTZ,
  "KIND" VARCHAR,
  "NAME" VARCHAR,
  "EXPIRES_AT" TIMESTAMP_NTZ,
  "LAST_USED_AT" TIMESTAMP_NTZ,
  primary key ("TOKEN_ID") not enforced
);
