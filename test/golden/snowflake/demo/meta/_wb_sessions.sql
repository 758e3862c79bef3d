create table if not exists "WRITEBACK"."_WB_SESSIONS" (
  "SESSION_HASH" VARCHAR not null,
  "USER_NAME" VARCHAR not null,
  "DISPLAY_NAME" VARCHAR,
  "EMAIL" VARCHAR,
  "ROLE" VARCHAR not null,
  "ATTRIBUTES" VARCHAR not null,
  "ISSUER" VARCHAR not null,
  "SUBJECT" VARCHAR not null,
  "CREATED_AT" TIMESTAMP_NTZ not null,
  "LAST_SEEN_AT" TIMESTAMP_NTZ not null,
  "EXPIRES_AT" TIMESTAMP_NTZ not null,
  "REVOKED_AT" TIMESTAMP_NTZ,
  primary key ("SESSION_HASH") not enforced
);
