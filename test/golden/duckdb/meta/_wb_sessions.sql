create table if not exists "writeback"."_wb_sessions" (
  "session_hash" VARCHAR not null,
  "user_name" VARCHAR not null,
  "display_name" VARCHAR,
  "email" VARCHAR,
  "role" VARCHAR not null,
  "attributes" VARCHAR not null,
  "issuer" VARCHAR not null,
  "subject" VARCHAR not null,
  "created_at" TIMESTAMP not null,
  "last_seen_at" TIMESTAMP not null,
  "expires_at" TIMESTAMP not null,
  "revoked_at" TIMESTAMP,
  primary key ("session_hash")
);
