create table if not exists "writeback"."_wb_users" (
  "user_name" VARCHAR not null,
  "issuer" VARCHAR not null,
  "subject" VARCHAR not null,
  "display_name" VARCHAR,
  "email" VARCHAR,
  "first_seen_at" TIMESTAMP not null,
  "last_seen_at" TIMESTAMP not null,
  primary key ("user_name")
);
