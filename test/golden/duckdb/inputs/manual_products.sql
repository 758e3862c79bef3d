create table "writeback"."manual_products" (
  "id" VARCHAR,
  "name" VARCHAR,
  "category" VARCHAR,
  "price" DOUBLE,
  "launched" DATE,
  "active" BOOLEAN,
  "units" BIGINT,
  "checked_at" TIMESTAMP,
  "_scenario" VARCHAR not null,
  "_version" BIGINT not null,
  "_deleted" BOOLEAN not null,
  "_set_columns" VARCHAR,
  "_updated_by" VARCHAR not null,
  "_updated_at" TIMESTAMP not null,
  "_entry_id" VARCHAR not null,
  "_key" VARCHAR not null,
  primary key ("_key")
);
