create table "writeback"."account_fix" (
  "account_id" VARCHAR,
  "category" VARCHAR,
  "region" VARCHAR,
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
