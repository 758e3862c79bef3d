create table "writeback"."manual_products__head" (
  "seq" BIGINT not null,
  "head" TEXT not null,
  "updated_at" TIMESTAMPTZ not null
);
