create table if not exists "WRITEBACK"."_WB_USERS" (
  "USER_NAME" VARCHAR not null,
  "ISSUER" VARCHAR not null,
  "SUBJECT" VARCHAR not null,
  "DISPLAY_NAME" VARCHAR,
  "EMAIL" VARCHAR,
  "FIRST_SEEN_AT" TIMESTAMP_NTZ not null,
  "LAST_SEEN_AT" TIMESTAMP_NTZ not null,
  primary key ("USER_NAME") not enforced
);
