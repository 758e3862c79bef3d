create table "writeback"."account_category__log" (
  "_entry_id" TEXT not null,
  "_seq" BIGINT not null,
  "_op" TEXT not null,
  "_scenario" TEXT not null,
  "_version" BIGINT not null,
  "_user" TEXT not null,
  "_at" TIMESTAMPTZ not null,
  "_set_columns" TEXT,
  "_old_values" TEXT,
  "_request_id" TEXT,
  "_comment" TEXT,
  "_prev_hash" TEXT,
  "_hash" TEXT not null,
  "account_id" TEXT,
  "category" TEXT,
  "reason" TEXT,
  "reviewed" BOOLEAN
);
