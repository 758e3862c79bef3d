create table "writeback"."manual_products__head" (
  "seq" BIGINT not null,
  "head" VARCHAR not null,
  "updated_at" TIMESTAMP not null
);
