create table if not exists "writeback"."_wb_webhook_calls" (
  "call_id" TEXT not null,
  "table_name" TEXT not null,
  "action" TEXT not null,
  "url" TEXT not null,
  "user_name" TEXT not null,
  "entry_ids" TEXT not null,
  "status" TEXT not null,
  "attempts" INTEGER not null,
  "http_status" INTEGER,
  "error" TEXT,
  "created_at" TIMESTAMPTZ not null,
  "finished_at" TIMESTAMPTZ not null,
  primary key ("call_id")
);
