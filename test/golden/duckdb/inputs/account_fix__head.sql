create table "writeback"."account_fix__head" (
  "seq" BIGINT not null,
  "head" VARCHAR not null,
  "updated_at" TIMESTAMP not null
);
