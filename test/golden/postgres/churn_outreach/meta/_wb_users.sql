create table if not exists "writeback"."_wb_users" (
  "user_name" TEXT not null,
  "issuer" TEXT not null,
  "subject" TEXT not null,
  "display_name" TEXT,
  "email" TEXT,
  "first_seen_at" TIMESTAMPTZ not null,
  "last_seen_at" TIMESTAMPTZ not null,
  primary key ("user_name")
);
