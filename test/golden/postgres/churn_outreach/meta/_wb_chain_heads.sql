create table if not exists "writeback"."_wb_chain_heads" (
  "table_name" TEXT not null,
  "seq" BIGINT not null,
  "head" TEXT not null,
  "updated_at" TIMESTAMPTZ not null,
  primary key ("table_name")
);
