create table "writeback"."revenue_forecast__head" (
  "seq" BIGINT not null,
  "head" VARCHAR not null,
  "updated_at" TIMESTAMP not null
);
