create table if not exists "writeback"."_wb_heads" (
  "table_name" VARCHAR not null,
  "seq" BIGINT not null,
  "head" VARCHAR not null,
  "updated_at" TIMESTAMP not null,
  primary key ("table_name")
);
