create table if not exists "writeback"."_wb_idempotency" (
  "request_id" VARCHAR not null,
  "table_name" VARCHAR not null,
  "payload_hash" VARCHAR not null,
  "user_name" VARCHAR not null,
  "result" VARCHAR not null,
  "created_at" TIMESTAMP not null,
  primary key ("request_id")
);
