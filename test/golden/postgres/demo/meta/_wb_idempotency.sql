create table if not exists "writeback"."_wb_idempotency" (
  "request_id" TEXT not null,
  "table_name" TEXT not null,
  "payload_hash" TEXT not null,
  "user_name" TEXT not null,
  "result" TEXT not null,
  "created_at" TIMESTAMPTZ not null,
  primary key ("request_id")
);
