create table "writeback"."manual_products" (
  "id" TEXT,
  "name" TEXT,
  "category" TEXT,
  "brand" TEXT,
  "list_price" NUMERIC(10, 2),
  "_scenario" TEXT not null,
  "_version" BIGINT not null,
  "_deleted" BOOLEAN not null,
  "_set_columns" TEXT,
  "_updated_by" TEXT not null,
  "_updated_at" TIMESTAMPTZ not null,
  "_entry_id" TEXT not null,
  primary key ("_scenario", "id")
);
