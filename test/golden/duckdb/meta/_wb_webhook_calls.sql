create table if not exists "writeback"."_wb_webhook_calls" (
  "call_id" VARCHAR not null,
  "table_name" VARCHAR not null,
  "action" VARCHAR not null,
  "url" VARCHAR not null,
  "user_name" VARCHAR not null,
  "entry_ids" VARCHAR not null,
  "status" VARCHAR not null,
  "attempts" INTEGER not null,
  "http_status" INTEGER,
  "error" VARCHAR,
  "created_at" TIMESTAMP not null,
  "finished_at" TIMESTAMP not null,
  primary key ("call_id")
);
