create table "writeback"."manual_products" (
  "id" TEXT,
  "name" TEXT,
  "category" TEXT,
  "price" DOUBLE PRECISION,
  "launched" DATE,
  "active" BOOLEAN,
  "units" BIGINT,
  "checked_at" TIMESTAMPTZ,
  "_scenario" TEXT not null,
  "_version" BIGINT not null,
  "_deleted" BOOLEAN not null,
  "_set_columns" TEXT,
  "_updated_by" TEXT not null,
  "_updated_at" TIMESTAMPTZ not null,
  "_entry_id" TEXT not null,
  primary key ("_scenario", "id")
);
