create table "writeback"."revenue_forecast__head" (
  "seq" BIGINT not null,
  "head" TEXT not null,
  "updated_at" TIMESTAMPTZ not null
);
