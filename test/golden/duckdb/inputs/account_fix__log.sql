create table "writeback"."account_fix__log" (
  "_entry_id" VARCHAR not null,
  "_seq" BIGINT not null,
  "_op" VARCHAR not null,
  "_scenario" VARCHAR not null,
  "_version" BIGINT not null,
  "_user" VARCHAR not null,
  "_at" TIMESTAMP not null,
  "_set_columns" VARCHAR,
  "_old_values" VARCHAR,
  "_request_id" VARCHAR,
  "_comment" VARCHAR,
  "_prev_hash" VARCHAR,
  "_hash" VARCHAR not null,
  "account_id" VARCHAR,
  "category" VARCHAR,
  "region" VARCHAR
);
