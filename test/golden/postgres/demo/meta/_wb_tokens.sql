create table if not exists "writeback"."_wb_tokens" (
  "token_id" TEXT not null,
  "token_hash" TEXT not null,
  "user_name" TEXT not null,
  "role" TEXT not null,
  "attributes" TEXT not null,
  "created_at" TIMESTAMPTZ not null,
  "created_by" TEXT not null,
  "revoked_at" TIMESTAMPTZ,
  "kind" TEXT,
  "name" TEXT,
  "expires_at" TIMESTAMPTZ,
  "last_used_at" TIMESTAMPTZ,
  primary key ("token_id")
);
