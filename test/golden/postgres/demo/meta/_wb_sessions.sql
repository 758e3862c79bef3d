create table if not exists "writeback"."_wb_sessions" (
  "session_hash" TEXT not null,
  "user_name" TEXT not null,
  "display_name" TEXT,
  "email" TEXT,
  "role" TEXT not null,
  "attributes" TEXT not null,
  "issuer" TEXT not null,
  "subject" TEXT not null,
  "created_at" TIMESTAMPTZ not null,
  "last_seen_at" TIMESTAMPTZ not null,
  "expires_at" TIMESTAMPTZ not null,
  "revoked_at" TIMESTAMPTZ,
  primary key ("session_hash")
);
