create table if not exists "writeback"."_wb_tokens" (
  "token_id" VARCHAR not null,
  "token_hash" VARCHAR not null,
  "user_name" VARCHAR not null,
  "role" VARCHAR not null,
  "attributes" VARCHAR not null,
  "created_at" TIMESTAMP not null,
  "created_by" VARCHAR not null,
  "revoked_at" TIMESTAMP,
  "kind" VARCHAR,
  "name" VARCHAR,
  "expires_at" TIMESTAMP,
  "last_used_at" TIMESTAMP,
  primary key ("token_id")
);
